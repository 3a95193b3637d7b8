"""The rest of the delivery agrees with the chart: the Tiltfile, the images, the cluster setup, Argo CD
and the workflows."""

import re
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

from mystore_kit.declaration import load_declaration
from scripts.lib import deploy_checks as checks
from tests.deploy.test_image import build_context, pattern_regex

ROOT = checks.ROOT


def load(path: str) -> list[dict]:
    return checks.load_documents((ROOT / path).read_text())


def test_check_deploy_passes():
    """The whole of scripts/check-deploy, so that ./scripts/test runs it: helm lint and template, the
    strict schemas (jsonschema and kubeconform), actionlint, hadolint, shellcheck and the Tiltfile."""
    result = subprocess.run([str(ROOT / "scripts" / "check-deploy")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "ok:" in result.stderr


# --- Tiltfile ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tilt_plan(helm):
    return checks.TiltPlan(checks.evaluate_tiltfile())


def test_the_tiltfile_evaluates_and_agrees_with_the_chart(tilt_plan):
    assert checks.cross_check_tiltfile(tilt_plan, load_declaration()) == []


def test_the_tiltfile_builds_the_function_images_with_live_update(tilt_plan):
    functions = {"dev.local/my-store-functions", "dev.local/my-store-bff"}
    assert set(tilt_plan.builds) == functions | {"dev.local/my-store-jobs"}
    for ref in functions:
        build = tilt_plan.builds[ref]
        steps = [step["step"] for step in build["live_update"]]
        assert steps == ["fall_back_on", "sync", "run"]  # sync, then restart the process
        assert build["target"].endswith("-dev")
    (kind,) = tilt_plan.only("k8s_kind")
    assert kind["image_json_path"] == ["{.spec.template.spec.containers[*].image}"]


def test_the_jobs_run_an_image_that_a_saved_handler_does_not_touch(tilt_plan, rendered):
    """A Job's pod has finished: a live-updated image (or one rebuilt on every save) re-runs it."""
    jobs = {
        checks.repository(image)
        for doc in rendered["dev"]
        if doc["kind"] == "Job"
        for image in checks.images_of(doc)
        if image.startswith("dev.local/")
    }
    assert jobs == {"dev.local/my-store-jobs"}
    build = tilt_plan.builds["dev.local/my-store-jobs"]
    assert build["live_update"] == [] and build["target"] == "functions"
    context = {
        path
        for path in build_context()
        if any(path == only or path.startswith(only + "/") for only in build["only"])
        and not any(pattern_regex(pattern).fullmatch(path) for pattern in build["ignore"])
    }
    migrations = {path for path in build_context() if "/migrations/" in path}
    assert migrations and migrations <= context
    assert {"pyproject.toml", "functions/functions.yaml", "functions/mystore_kit/migrate.py"} <= context
    assert "functions/mystore_services/orders/handlers.py" not in context
    assert not [path for path in context if path.startswith(("functions/mystore_edges/", "frontend/"))]


def test_the_tiltfile_groups_resources_and_forwards_the_store_and_pgadmin(tilt_plan):
    resources = tilt_plan.resources
    for function in load_declaration().functions:
        assert resources[function.name]["labels"] == [function.service]
        assert "my-store-migrations" in resources[function.name]["resource_deps"]
    forwards = {p["local_port"] for r in resources.values() for p in r.get("port_forwards", [])}
    assert {8080, 5050} <= forwards
    assert {r["name"] for r in tilt_plan.only("local_resource")} >= {"check-deploy", "tests"}


def test_the_cross_check_catches_a_drifted_tiltfile(tmp_path, helm):
    drifted = (ROOT / "Tiltfile").read_text()
    drifted = drifted.replace("'dev.local/my-store-bff'", "'dev.local/my-store-storefront'")
    drifted = drifted.replace("target='functions-dev'", "target='functions-debug'")
    drifted = drifted.replace("port_forward(5050, 5050", "port_forward(5050, 80")
    drifted = drifted.replace("target='functions',\n", "target='functions',\n    live_update=LIVE_UPDATE,\n")
    path = tmp_path / "Tiltfile"
    path.write_text(drifted)
    problems = checks.cross_check_tiltfile(
        checks.TiltPlan(checks.evaluate_tiltfile(path)), load_declaration()
    )
    assert any("my-store-storefront: no rendered object runs it" in p for p in problems)
    assert any("dev.local/my-store-bff, which the Tiltfile does not build" in p for p in problems)
    assert any("no stage 'functions-debug'" in p for p in problems)
    assert any("pgAdmin's port" in p for p in problems)
    assert any("my-store-jobs: a Job runs it, and it has a live_update" in p for p in problems)


def test_the_tiltfile_deploys_to_the_minikube_profile_knative_setup_creates(helm):
    setup = (ROOT / "knative" / "setup").read_text()
    default = re.search(r"^PROFILE=\$\{MINIKUBE_PROFILE:-(\S+)\}$", setup, re.M)[1]
    for env, context in (({}, default), ({"MINIKUBE_PROFILE": "shop"}, "shop")):
        plan = checks.TiltPlan(checks.evaluate_tiltfile(env=env))
        (allowed,) = plan.only("allow_k8s_contexts")
        assert allowed["contexts"] == [context]


def test_a_misspelt_tilt_argument_fails_evaluation(tmp_path, helm):
    path = tmp_path / "Tiltfile"
    path.write_text((ROOT / "Tiltfile").read_text().replace("resource_deps=", "resource_dep="))
    with pytest.raises(RuntimeError, match='unexpected keyword argument "resource_dep"'):
        checks.evaluate_tiltfile(path)


# --- images -------------------------------------------------------------------------------------------


def test_the_dockerfile_runs_as_a_numeric_non_root_user():
    text = (ROOT / "Dockerfile").read_text()
    stages = checks.dockerfile_stages()
    assert {"functions", "bff", "functions-dev", "bff-dev", "storefront"} <= stages
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and all(re.fullmatch(r"[1-9]\d*(:\d+)?", user) for user in users)
    runtime = text[text.index("AS functions\n") :]
    assert not re.search(r"\b(uv|pip|npm|gcc|apt-get)\b install", runtime)  # no build tools in runtime stages
    values = yaml.safe_load((checks.CHART / "values.yaml").read_text())
    assert users[0].split(":")[0] == str(values["securityContext"]["runAsUser"])


def test_knative_settings_use_the_current_key_names():
    """Knative reads kebab-case keys; the camelCase spellings are legacy aliases."""
    for doc in load("knative/serving-config.yaml"):
        if doc["metadata"]["name"] in {"config-deployment", "config-network"}:
            for key in doc["data"]:
                assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key), key


def test_the_images_are_named_so_knative_does_not_resolve_them():
    serving = {doc["metadata"]["name"]: doc for doc in load("knative/serving-config.yaml")}
    skipped = serving["config-deployment"]["data"]["registries-skipping-tag-resolving"].split(",")
    dev = yaml.safe_load((checks.CHART / "values-dev.yaml").read_text())["images"]
    for image in (dev["functions"], dev["storefront"]):
        assert image["repository"].split("/")[0] in skipped


def workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())


def test_build_push_builds_every_runtime_target_for_amd64_and_arm64_to_ghcr_by_commit():
    build_push = workflow("build-push.yml")
    job = build_push["jobs"]["image"]
    targets = set(job["strategy"]["matrix"]["target"])
    assert targets == {"functions", "bff"} <= checks.dockerfile_stages()
    meta = next(step for step in job["steps"] if step.get("id") == "meta")
    assert meta["with"]["images"].startswith("ghcr.io/")
    assert "type=sha,format=long" in meta["with"]["tags"]
    assert "type=semver,pattern={{version}}" in meta["with"]["tags"]  # v1.2.3 -> 1.2.3, the appVersion
    build = next(step for step in job["steps"] if step.get("uses", "").startswith("docker/build-push-action"))
    assert set(build["with"]["platforms"].split(",")) == {"linux/amd64", "linux/arm64"}
    assert any(step.get("uses", "").startswith("docker/setup-qemu-action") for step in job["steps"])
    triggers = build_push[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"] and triggers["push"]["tags"] == ["v*"]
    prod = yaml.safe_load((checks.CHART / "values-prod.yaml").read_text())["images"]
    for target, values_key in (("functions", "functions"), ("bff", "storefront")):
        assert prod[values_key]["repository"].endswith(f"/my-store-{target}")


def test_images_are_built_only_from_commits_whose_tests_pass():
    jobs = workflow("build-push.yml")["jobs"]
    assert jobs["ci"]["uses"] == "./.github/workflows/ci.yml"
    assert jobs["image"]["needs"] == "ci"
    ci = workflow("ci.yml")
    assert "workflow_call" in ci[True]
    runs = [step.get("run", "") for job in ci["jobs"].values() for step in job["steps"]]
    assert "./scripts/test" in runs


def test_argo_cd_deploys_a_revision_whose_images_exist():
    """The Application tracks the ref build-push moves after pushing that commit's images, and the
    prod values run the image tag that commit's chart names (its appVersion)."""
    (application,) = load("helm/argocd/application.yaml")
    revision = application["spec"]["source"]["targetRevision"]
    jobs = workflow("build-push.yml")["jobs"]
    release = jobs["release"]
    assert release["needs"] == "image" and release["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert release["permissions"] == {"contents": "write"}
    pushes = [step["run"] for step in release["steps"] if "git push" in step.get("run", "")]
    assert pushes == [f'git push --force origin "$GITHUB_SHA:refs/heads/{revision}"']
    assert revision not in {"main", "HEAD"}
    # The images of that commit are tagged with the chart's appVersion, which the prod values run.
    chart = yaml.safe_load((checks.CHART / "Chart.yaml").read_text())
    assert chart["version"] == chart["appVersion"]
    assert yaml.safe_load((checks.CHART / "values-prod.yaml").read_text())["images"]["tag"] == ""
    docs = checks.helm_template("values-prod.yaml")
    assert {
        image.rpartition(":")[2] for doc in docs for image in checks.images_of(doc) if "ghcr.io" in image
    } == {chart["appVersion"]}
    # A tag that is not v<appVersion> fails before any image is pushed.
    guard = next(
        step for step in jobs["image"]["steps"] if step.get("name") == "A release tag is the chart's version"
    )
    assert guard["if"] == "startsWith(github.ref, 'refs/tags/v')"
    for version, tag, ok in (("0.1.0", "v0.1.0", True), ("0.1.0", "v0.2.0", False)):
        scratch_chart = f'version: {version}\nappVersion: "{version}"\n'
        result = run_guard(guard["run"], scratch_chart, tag)
        assert (result.returncode == 0) == ok, result.stdout + result.stderr


def test_argo_cd_diffs_knative_services_server_side():
    """Knative's defaulting webhook adds fields to every Service: a client-side diff never settles."""
    (application,) = load("helm/argocd/application.yaml")
    options = application["metadata"]["annotations"]["argocd.argoproj.io/compare-options"].split(",")
    assert {"ServerSideDiff=true", "IncludeMutationWebhook=true"} <= set(options)
    sync_options = application["spec"]["syncPolicy"]["syncOptions"]
    assert {"ServerSideApply=true", "RespectIgnoreDifferences=true"} <= set(sync_options)
    ignored = {(entry["group"], entry["kind"]) for entry in application["spec"]["ignoreDifferences"]}
    assert ("serving.knative.dev", "Service") in ignored


def run_guard(script: str, chart_yaml: str, tag: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "helm" / "my-store").mkdir(parents=True)
        (Path(scratch) / "helm" / "my-store" / "Chart.yaml").write_text(chart_yaml)
        return subprocess.run(
            ["bash", "-e", "-c", script],
            cwd=scratch,
            env={"GITHUB_REF_NAME": tag, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
        )


def test_minikube_has_room_for_the_dev_store(rendered):
    """knative/setup's Minikube holds the platform and the dev store with a fifth to spare, and
    knative/setup and docs/deploy.md state the sum."""
    store, _ = checks.store_requests(rendered["dev"])
    total = sum((requests for _, _, requests in checks.PLATFORM_REQUESTS), store)
    assert total.cpu <= 0.8 * checks.MINIKUBE.cpu and total.memory <= 0.8 * checks.MINIKUBE.memory
    setup = (ROOT / "knative" / "setup").read_text()
    assert f"CPUS=${{MINIKUBE_CPUS:-{checks.MINIKUBE.cpu // 1000}}}" in setup
    assert f"MEMORY=${{MINIKUBE_MEMORY:-{checks.MINIKUBE.memory // 1024}g}}" in setup
    assert f"{total.cpu}m CPU and {total.memory} MiB" in setup
    assert checks.budget_table(rendered["dev"]) in (ROOT / "docs" / "deploy.md").read_text()


def helm_installs() -> list[tuple[str, str]]:
    """(file, command) of every `helm install` / `helm upgrade --install` in the docs and scripts."""
    paths = [ROOT / "README.md", *ROOT.glob("docs/*.md"), *ROOT.glob("knative/*"), *ROOT.glob("scripts/*")]
    found = []
    for path in paths:
        if path.is_file():
            text = path.read_text().replace("\\\n", " ")
            for command in re.findall(r"helm (?:upgrade --install|install) [^\n`]*", text):
                found.append((str(path.relative_to(ROOT)), command))
    return found


def test_helm_waits_for_the_hook_jobs_to_finish(rendered):
    """Helm waits for a hook Job only --timeout (5m by default): the migrations may take longer."""
    deadline = max(
        doc["spec"]["activeDeadlineSeconds"]
        for values in ("default", "dev", "prod")
        for doc in rendered[values]
        if doc["kind"] == "Job" and "helm.sh/hook" in doc["metadata"].get("annotations", {})
    )
    commands = helm_installs()
    assert commands
    for path, command in commands:
        timeout = re.search(r"--timeout[ =](\d+)m\b", command)
        assert timeout and int(timeout[1]) * 60 >= deadline + 60, f"{path}: {command}"


# --- the cluster: knative/ --------------------------------------------------------------------------


def test_the_chart_talks_to_the_kafka_cluster_knative_setup_creates():
    kafka = {doc["kind"]: doc for doc in load("knative/kafka.yaml")}
    values = yaml.safe_load((checks.CHART / "values.yaml").read_text())["kafka"]
    cluster = kafka["Kafka"]["metadata"]
    (plain,) = [listener for listener in kafka["Kafka"]["spec"]["kafka"]["listeners"] if not listener["tls"]]
    assert values["cluster"] == cluster["name"] and values["namespace"] == cluster["namespace"]
    assert (
        values["bootstrapServers"]
        == f"{cluster['name']}-kafka-bootstrap.{cluster['namespace']}.svc:{plain['port']}"
    )
    pool = kafka["KafkaNodePool"]
    assert pool["metadata"]["labels"]["strimzi.io/cluster"] == cluster["name"]
    assert sorted(pool["spec"]["roles"]) == ["broker", "controller"] and pool["spec"]["replicas"] == 1
    assert (
        "topicOperator" in kafka["Kafka"]["spec"]["entityOperator"]
    )  # it reconciles the chart's KafkaTopics


def test_the_setup_is_pinned():
    versions = dict(
        line.split("=", 1)
        for line in (ROOT / "knative" / "versions.env").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert all(re.fullmatch(r"v?\d+\.\d+\.\d+", value) for value in versions.values())
    setup = (ROOT / "knative" / "setup").read_text()
    assert "latest" not in setup
    for name in versions:
        assert f"${name}" in setup or f"${{{name}}}" in setup or f'"${name}"' in setup
    namespaces = {doc["metadata"]["name"] for doc in load("knative/namespaces.yaml")}
    assert namespaces == {"my-store", "kafka"}


# --- Argo CD ----------------------------------------------------------------------------------------


def test_argo_cd_syncs_the_chart_automatically_within_its_project(rendered):
    (application,) = load("helm/argocd/application.yaml")
    (project,) = load("helm/argocd/project.yaml")
    spec = application["spec"]
    assert spec["project"] == project["metadata"]["name"]
    assert spec["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}
    source = spec["source"]
    assert (ROOT / source["path"]).resolve() == checks.CHART.resolve()
    for values_file in source["helm"]["valueFiles"]:
        assert (checks.CHART / values_file).is_file()
    assert source["repoURL"] in project["spec"]["sourceRepos"]
    destinations = {(d["server"], d["namespace"]) for d in project["spec"]["destinations"]}
    assert (spec["destination"]["server"], spec["destination"]["namespace"]) in destinations

    # The project admits every object the chart renders with the prod values, and nothing more.
    allowed = {(entry["group"], entry["kind"]) for entry in project["spec"]["namespaceResourceWhitelist"]}
    rendered_kinds = {(doc["apiVersion"].rpartition("/")[0], doc["kind"]) for doc in rendered["prod"]}
    assert rendered_kinds <= allowed
    namespaces = {
        doc["metadata"].get("namespace", spec["destination"]["namespace"]) for doc in rendered["prod"]
    }
    assert namespaces <= {namespace for _, namespace in destinations}
