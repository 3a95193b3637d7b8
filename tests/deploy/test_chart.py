"""helm/my-store is the declaration deployed: one Knative Service per function, one KafkaSource per
subscription, and every rendered object valid against the strict schemas of helm/schemas."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from mystore_kit.declaration import load_declaration
from mystore_kit.migrate import services_with_migrations
from scripts.lib import deploy_checks as checks
from tests.deploy.conftest import FUTURE_DECLARATION, scratch_chart

ROOT = checks.ROOT
CHART = checks.CHART


def of_kind(docs, kind, api_group):
    return {
        doc["metadata"]["name"]: doc
        for doc in docs
        if doc["kind"] == kind and doc["apiVersion"].startswith(api_group + "/")
    }


def env_of(container) -> dict:
    return {item["name"]: item.get("value", item.get("valueFrom")) for item in container.get("env", [])}


def database_services(declaration) -> set[str]:
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    return {f.service for f in declaration.functions} - set(values["servicesWithoutDatabase"])


def assert_deploys(declaration, docs):
    """The rendered chart runs exactly the declaration: its functions, subscriptions and schedules."""
    services = of_kind(docs, "Service", "serving.knative.dev")
    assert set(services) == {f.name for f in declaration.functions}
    databases = database_services(declaration)
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    for function in declaration.functions:
        service = services[function.name]
        labels = service["metadata"]["labels"]
        assert (labels.get("networking.knative.dev/visibility") == "cluster-local") == (not function.public)
        spec = service["spec"]["template"]["spec"]
        (container,) = spec["containers"]
        env = env_of(container)
        assert env["MYSTORE_FUNCTION"] == function.name
        assert env["MYSTORE_HOST"] == "0.0.0.0"
        streams = int(env.get("MYSTORE_MAX_STREAMS", 0))
        assert spec["containerConcurrency"] == int(env["MYSTORE_THREADS"]) + streams
        if function.threads:  # declared, unless values say otherwise
            assert env["MYSTORE_THREADS"] == str(function.threads)
        assert streams == function.streams  # the BFF's live status streams; queue-proxy counts them
        assert "{name}" in env["MYSTORE_FUNCTION_URL_TEMPLATE"]
        assert env["MYSTORE_KAFKA_BOOTSTRAP_SERVERS"] == values["kafka"]["bootstrapServers"]
        assert container["resources"]["requests"]["memory"] and container["resources"]["requests"]["cpu"]
        assert container["securityContext"]["runAsNonRoot"] is True
        image = "my-store-bff" if function.name in values["storefrontFunctions"] else "my-store-functions"
        assert checks.repository(container["image"]).endswith("/" + image)
        if function.service in databases:
            url = env["MYSTORE_DATABASE_URL"]
            assert url.startswith(f"postgresql+psycopg://{function.service}:$(DATABASE_PASSWORD)@")
            assert url.endswith(f"/{function.service}")
            assert env["DATABASE_PASSWORD"]["secretKeyRef"]["key"] == function.service
        else:
            assert "MYSTORE_DATABASE_URL" not in env
        # No function is handed another service's database, nor more than one.
        assert [name for name in env if "DATABASE" in name] in (
            [],
            ["DATABASE_PASSWORD", "MYSTORE_DATABASE_URL"],
        )
        if function.name == "grpc-api":  # an edge: it calls the functions, with no database or signing key
            assert "MYSTORE_DATABASE_URL" not in env and "MYSTORE_JWT_PRIVATE_KEY" not in env
        assert env["MYSTORE_JWT_PUBLIC_KEY"]["secretKeyRef"]["key"] == "public.pem"
        assert ("MYSTORE_JWT_PRIVATE_KEY" in env) == (function.name in values["jwt"]["signers"])
        annotations = service["spec"]["template"]["metadata"]["annotations"]
        assert {"autoscaling.knative.dev/min-scale", "autoscaling.knative.dev/max-scale"} <= set(annotations)
        ports = [port["name"] for port in container.get("ports", [])]
        assert ports == (["h2c"] if function.trigger == "grpc" else [])

    sources = of_kind(docs, "KafkaSource", "sources.knative.dev")
    assert set(sources) == {s.name for s in declaration.subscriptions}
    for subscription in declaration.subscriptions:
        spec = sources[subscription.name]["spec"]
        assert spec["topics"] == [subscription.topic]
        assert spec["consumerGroup"] == subscription.consumerGroup
        assert spec["bootstrapServers"] == [values["kafka"]["bootstrapServers"]]
        assert spec["sink"]["ref"] == {
            "apiVersion": "serving.knative.dev/v1",
            "kind": "Service",
            "name": subscription.sink,
        }
        delivery = subscription.delivery
        assert spec["delivery"] == {
            "retry": delivery.retry,
            "backoffPolicy": delivery.backoffPolicy,
            "backoffDelay": delivery.backoffDelay,
            "deadLetterSink": {
                "ref": {
                    "apiVersion": "serving.knative.dev/v1",
                    "kind": "Service",
                    "name": delivery.deadLetterSink,
                }
            },
        }

    pings = of_kind(docs, "PingSource", "sources.knative.dev")
    scheduled = {f.name: f for f in declaration.functions if f.trigger == "ping"}
    assert set(pings) == set(scheduled)
    for name, function in scheduled.items():
        assert pings[name]["spec"]["sink"]["ref"]["name"] == name
        assert pings[name]["spec"]["schedule"] == (function.schedule or values["ping"]["defaultSchedule"])

    topics = {
        doc["spec"]["topicName"]: doc for doc in of_kind(docs, "KafkaTopic", "kafka.strimzi.io").values()
    }
    assert {s.topic for s in declaration.subscriptions} <= set(topics)
    assert {"orders", "shipments"} <= set(topics)
    assert all(topic["spec"]["partitions"] == 3 for topic in topics.values())

    (migrations,) = [
        doc for doc in docs if doc["kind"] == "Job" and doc["metadata"]["name"].endswith("-migrations")
    ]
    pod = migrations["spec"]["template"]["spec"]
    migrated = {
        c["name"].removeprefix("migrate-"): c
        for c in pod["initContainers"]
        if c["name"].startswith("migrate-")
    }
    assert set(migrated) == databases
    for service, container in migrated.items():
        assert container["command"] == ["python", "-m", "mystore_kit.migrate", service]
        assert env_of(container)["MYSTORE_DATABASE_URL"].endswith(f"/{service}")


# --- the chart is the declaration ---------------------------------------------------------------------


def test_the_chart_copy_of_the_declaration_is_fresh():
    result = subprocess.run([str(ROOT / "scripts" / "gen-chart"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_gen_chart_leaves_a_fresh_copy_untouched(tmp_path):
    """Tilt runs gen-chart on every load and watches the chart: a rewrite would reload it forever."""
    for path in ("scripts/gen-chart", "scripts/lib/common.sh", "functions/functions.yaml"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, tmp_path / path)
    (tmp_path / "helm/my-store/files").mkdir(parents=True)
    copy = tmp_path / "helm/my-store/files/functions.yaml"
    gen_chart = [str(tmp_path / "scripts" / "gen-chart")]
    subprocess.run(gen_chart, check=True, capture_output=True)  # first run: writes the copy
    assert copy.read_text() == (CHART / "files" / "functions.yaml").read_text()
    before = copy.stat()
    result = subprocess.run(gen_chart, check=True, capture_output=True, text=True)
    after = copy.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert "wrote" not in result.stderr
    (tmp_path / "functions/functions.yaml").write_text("functions: []\n")  # a change is still written
    subprocess.run(gen_chart, check=True, capture_output=True)
    assert copy.read_text().endswith("functions: []\n")


@pytest.mark.parametrize("values", ["default", "dev", "prod"])
def test_knative_services_and_kafka_sources_are_the_declared_functions_and_subscriptions(rendered, values):
    assert_deploys(load_declaration(), rendered[values])


def test_the_chart_gives_a_database_to_exactly_the_services_with_migrations():
    assert database_services(load_declaration()) == set(services_with_migrations())


def test_a_fuller_declaration_deploys_too(future):
    declaration, docs = future
    assert_deploys(declaration, docs)
    kinds = {doc["kind"] for doc in docs}
    assert {"KafkaSource", "PingSource"} <= kinds


def test_the_public_function_alone_is_reachable_from_outside(rendered):
    services = of_kind(rendered["prod"], "Service", "serving.knative.dev")
    public = {
        name
        for name, s in services.items()
        if "networking.knative.dev/visibility" not in s["metadata"]["labels"]
    }
    assert public == {f.name for f in load_declaration().functions if f.public} == {"bff"}


SIZING = CHART / "files" / "sizing.yaml"


def test_the_measured_sizing_names_declared_functions_only():
    """./scripts/bench sizing writes it from a run of the store declared now."""
    sized = set(yaml.safe_load(SIZING.read_text())["functions"])
    assert sized and sized <= {f.name for f in load_declaration().functions}


def test_resource_requests_come_from_the_measured_sizing(rendered):
    """Measured by default; the dev values keep Minikube's budget (every function at 10m)."""
    sized = yaml.safe_load(SIZING.read_text())["functions"]
    default = of_kind(rendered["default"], "Service", "serving.knative.dev")
    dev = of_kind(rendered["dev"], "Service", "serving.knative.dev")
    for name, resources in sized.items():
        (container,) = default[name]["spec"]["template"]["spec"]["containers"]
        assert container["resources"] == resources, name
        (container,) = dev[name]["spec"]["template"]["spec"]["containers"]
        assert container["resources"]["requests"]["cpu"] == "10m", name


@pytest.mark.parametrize("values", ["default", "dev", "prod"])
def test_helm_lint_strict(helm, values):
    command = [helm, "lint", "--strict", str(CHART)]
    if values != "default":
        command += ["--values", str(CHART / f"values-{values}.yaml")]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_values_for_an_undeclared_function_fail_the_render(helm):
    with pytest.raises(RuntimeError, match="functions.no-such-function overrides a function"):
        checks.helm_template(sets=["functions.no-such-function.minScale=1"])


def test_a_misspelt_value_fails_the_render(helm):
    with pytest.raises(RuntimeError, match="additional properties 'minScal' not allowed"):
        checks.helm_template(sets=["functionDefaults.minScal=1"])


def kafka_names(docs) -> tuple[set[str], set[str], set[str]]:
    """(KafkaTopic names, topics the KafkaSources read, their consumer groups)."""
    topics = {doc["spec"]["topicName"] for doc in of_kind(docs, "KafkaTopic", "kafka.strimzi.io").values()}
    sources = of_kind(docs, "KafkaSource", "sources.knative.dev").values()
    read = {topic for source in sources for topic in source["spec"]["topics"]}
    return topics, read, {source["spec"]["consumerGroup"] for source in sources}


def test_topics_and_consumer_groups_are_the_releases(helm, schemas):
    """Two releases on one Kafka share no topic or consumer group; my-store keeps today's names."""
    declaration = load_declaration()
    plain_groups = {s.consumerGroup for s in declaration.subscriptions}
    topics, read, groups = kafka_names(checks.helm_template("values-prod.yaml"))
    assert topics == {"orders", "shipments", "order-status"} and read <= topics and groups == plain_groups
    staging = checks.helm_template("values-prod.yaml", release="staging", namespace="my-store-staging")
    staging_topics, staging_read, staging_groups = kafka_names(staging)
    assert staging_topics == {"staging-orders", "staging-shipments", "staging-order-status"}
    assert staging_read <= staging_topics
    assert staging_groups == {"staging-" + group for group in plain_groups}
    assert not (staging_topics & topics) and not (staging_groups & groups)
    # The KafkaTopic objects share the Kafka namespace: their names are the release's too.
    names = {doc["metadata"]["name"] for doc in of_kind(staging, "KafkaTopic", "kafka.strimzi.io").values()}
    assert names == staging_topics
    # ...and the functions publish to the release's topics (kit.events.kafka adds the prefix).
    for service in of_kind(staging, "Service", "serving.knative.dev").values():
        assert (
            env_of(service["spec"]["template"]["spec"]["containers"][0])["MYSTORE_KAFKA_TOPIC_PREFIX"]
            == "staging-"
        )
    for service in of_kind(checks.helm_template(), "Service", "serving.knative.dev").values():
        assert "MYSTORE_KAFKA_TOPIC_PREFIX" not in env_of(
            service["spec"]["template"]["spec"]["containers"][0]
        )
    assert checks.validate(staging, schemas) == []
    # An explicit prefix wins, and a malformed one fails the render.
    topics, _, _ = kafka_names(checks.helm_template(sets=["kafka.namePrefix=blue-"]))
    assert topics == {"blue-orders", "blue-shipments", "blue-order-status"}
    with pytest.raises(RuntimeError, match="namePrefix"):
        checks.helm_template(sets=["kafka.namePrefix=Blue"])


def test_uninstall_keeps_the_topics(rendered):
    """The topics hold the event history: kept by helm uninstall and by deleting the Application."""
    for values in ("default", "dev", "prod"):
        for topic in of_kind(rendered[values], "KafkaTopic", "kafka.strimzi.io").values():
            annotations = topic["metadata"]["annotations"]
            assert annotations["helm.sh/resource-policy"] == "keep"
            assert annotations["argocd.argoproj.io/sync-options"] == "Delete=false"
            assert annotations["tilt.dev/down-policy"] == "keep"


def test_the_event_sources_template_says_what_a_sink_answers_to_another_type():
    """on_event answers a wrong-type event with 400 (tests/services/shipping: test_a_wrong_type_is_400)."""
    text = (CHART / "templates" / "event-sources.yaml").read_text()
    assert "any other type with a 400" in text and "2xx" not in text


def test_a_subscription_to_a_topic_the_chart_does_not_create_fails_the_render(tmp_path, helm):
    declaration = {
        **FUTURE_DECLARATION,
        "subscriptions": [{**FUTURE_DECLARATION["subscriptions"][0], "topic": "payments"}],
    }
    with pytest.raises(RuntimeError, match="reads topic payments"):
        checks.helm_template(chart=scratch_chart(tmp_path, declaration))


def test_pgadmin_is_pinned_and_may_exec_its_python(rendered):
    """dpage/pgadmin4 sets a file capability on its Python; a floating tag decides which one runs."""
    values = yaml.safe_load((CHART / "values.yaml").read_text())["pgadmin"]
    assert re.fullmatch(r"dpage/pgadmin4:\d+\.\d+\.\d+", values["image"])
    (deployment,) = [
        doc
        for doc in rendered["dev"]
        if doc["kind"] == "Deployment" and doc["metadata"]["name"].endswith("-pgadmin")
    ]
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["image"] == values["image"]
    context = container["securityContext"]
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"] == {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}
    assert env_of(container)["PGADMIN_DISABLE_POSTFIX"] == "true"  # postfix needs setuid root
    assert pod["securityContext"]["runAsNonRoot"] is True


def pod_specs(docs):
    """(kind, name, pod spec) of every Knative Service and Job."""
    for doc in docs:
        if doc["kind"] == "Job" or doc["apiVersion"].startswith("serving.knative.dev/"):
            yield doc["kind"], doc["metadata"]["name"], doc["spec"]["template"]["spec"]


def test_private_images_are_pulled_with_the_given_secrets_and_account(helm, schemas):
    docs = checks.helm_template(
        "values-prod.yaml", sets=["imagePullSecrets[0].name=ghcr-pull", "serviceAccountName=my-store-runner"]
    )
    specs = list(pod_specs(docs))
    assert {kind for kind, _, _ in specs} == {"Service", "Job"}
    for _, name, spec in specs:
        assert spec["imagePullSecrets"] == [{"name": "ghcr-pull"}], name
        own_account = "my-store-secrets" if name == "my-store-secrets" else "my-store-runner"
        assert spec["serviceAccountName"] == own_account, name
    assert checks.validate(docs, schemas) == []
    # Unset: the namespace's default account, no pull secrets.
    for _, name, spec in pod_specs(checks.helm_template("values-prod.yaml")):
        assert "imagePullSecrets" not in spec
        assert spec.get("serviceAccountName") in (None, "my-store-secrets"), name
    with pytest.raises(RuntimeError, match="imagePullSecrets"):
        checks.helm_template(sets=["imagePullSecrets[0]=ghcr-pull"])  # a name, not {name: ...}


# --- secrets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("values", ["default", "dev", "prod"])
def test_no_secret_is_ever_rendered(helm, values):
    command = [helm, "template", "my-store", str(CHART)]
    if values != "default":
        command += ["--values", str(CHART / f"values-{values}.yaml")]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert not re.search(r"^kind: Secret$", text, re.M)
    assert "PRIVATE KEY-----" not in text


def test_secrets_are_generated_before_anything_reads_them(rendered):
    hooks = [doc for doc in rendered["dev"] if doc["metadata"]["name"] == "my-store-secrets"]
    assert {doc["kind"] for doc in hooks} == {"ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Job"}
    for doc in hooks:
        annotations = doc["metadata"]["annotations"]
        assert annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
        assert int(annotations["helm.sh/hook-weight"]) < 0
    (job,) = [doc for doc in hooks if doc["kind"] == "Job"]
    env = env_of(job["spec"]["template"]["spec"]["containers"][0])
    assert set(env["DB_KEYS"].split(",")) == {"postgres", "pgadmin"} | database_services(load_declaration())


def test_migrations_run_after_the_database_and_before_new_code(rendered):
    (job,) = [doc for doc in rendered["dev"] if doc["metadata"]["name"] == "my-store-migrations"]
    annotations = job["metadata"]["annotations"]
    assert annotations["helm.sh/hook"] == "post-install,pre-upgrade"  # the in-chart PostgreSQL exists
    assert annotations["argocd.argoproj.io/hook"] == "Sync"
    wave = int(annotations["argocd.argoproj.io/sync-wave"])
    waves = {
        doc["kind"]: int(doc["metadata"].get("annotations", {}).get("argocd.argoproj.io/sync-wave", 0))
        for doc in rendered["dev"]
        if doc["kind"] in {"StatefulSet", "KafkaSource", "KafkaTopic"}
        or doc["apiVersion"].startswith("serving.knative.dev/")
    }
    assert waves["StatefulSet"] < wave < waves["Service"] <= waves.get("KafkaSource", waves["Service"])
    external = checks.helm_template(
        sets=["postgresql.enabled=false", "postgresql.externalHost=db.example.com"]
    )
    (job,) = [doc for doc in external if doc["metadata"]["name"] == "my-store-migrations"]
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"


# --- strict schemas --------------------------------------------------------------------------------


@pytest.mark.parametrize("values", ["default", "dev", "prod"])
def test_every_rendered_document_validates(rendered, schemas, values):
    assert checks.validate(rendered[values], schemas) == []


def test_every_document_of_a_fuller_declaration_validates(future, schemas):
    assert checks.validate(future[1], schemas) == []


@pytest.mark.parametrize("path", checks.manifest_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_manifest_file_validates(path, schemas):
    docs = checks.load_documents(path.read_text())
    assert docs
    assert checks.validate(docs, schemas) == []


def test_the_repository_carries_the_strict_schemas_it_validates_against(rendered, monkeypatch):
    """Every checkout validates strictly (GitHub Actions has no shared/): helm/schemas is the default."""
    monkeypatch.delenv("MYSTORE_SCHEMAS_DIR", raising=False)
    assert checks.schemas_dir() == checks.SCHEMAS and (checks.SCHEMAS / "README.md").is_file()
    docs = rendered["default"] + rendered["dev"] + rendered["prod"]
    for path in checks.manifest_files():
        docs += checks.load_documents(path.read_text())
    assert checks.validate(docs, checks.SCHEMAS) == []


def test_the_vendored_schemas_are_the_shared_sets():
    shared = Path(os.environ.get("MYSTORE_SCHEMAS_DIR") or ROOT.parent / "shared" / "schemas")
    if not shared.is_dir() or shared.resolve() == checks.SCHEMAS.resolve():
        pytest.skip(f"no shared schema set at {shared} to compare with")
    vendored = sorted(checks.SCHEMAS.rglob("*.json"))
    assert vendored
    for path in vendored:
        relative = path.relative_to(checks.SCHEMAS)
        assert path.read_bytes() == (shared / relative).read_bytes(), relative


def test_a_misspelt_field_fails_validation(future, schemas):
    docs = future[1]
    service = next(iter(of_kind(docs, "Service", "serving.knative.dev").values()))
    service["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    source = next(iter(of_kind(docs, "KafkaSource", "sources.knative.dev").values()))
    source["spec"]["delivery"]["retries"] = 3
    topic = next(iter(of_kind(docs, "KafkaTopic", "kafka.strimzi.io").values()))
    topic["spec"]["partition"] = 3
    problems = checks.validate([service, source, topic], schemas)
    assert len(problems) == 3
    assert all("Additional properties are not allowed" in problem for problem in problems)


def test_a_kind_without_a_schema_fails_validation(schemas):
    problems = checks.validate(
        [{"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}], schemas
    )
    assert problems and "no schema" in problems[0]
