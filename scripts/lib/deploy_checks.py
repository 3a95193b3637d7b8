"""Static checks of the delivery side: rendering the chart, strict schema validation, the Tiltfile.

No cluster and no Docker run here, so what Knative, Strimzi and Argo CD would accept is checked
against the strict JSON Schemas of helm/schemas (an unknown or misspelt field fails), and the
Tiltfile is evaluated by go.starlark.net (Tilt's interpreter) against stubs of Tilt's builtins.
scripts/check-deploy and the tests in tests/deploy share this module:

    python -m scripts.lib.deploy_checks validate FILE...   (- reads stdin) every YAML document, strictly
    python -m scripts.lib.deploy_checks tiltfile           evaluate the Tiltfile, check it against the chart
    python -m scripts.lib.deploy_checks budget             what a Minikube needs (docs/deploy.md's table)
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "helm" / "my-store"
RELEASE = NAMESPACE = "my-store"
SCHEMAS = ROOT / "helm" / "schemas"  # vendored: see its README
TOOLS_DIR = Path(os.environ.get("MYSTORE_TOOLS_DIR", Path.home() / ".cache" / "mystore" / "bin"))
# Manifests kept as files (not rendered): the cluster setup and the Argo CD objects.
MANIFEST_GLOBS = ("knative/*.yaml", "helm/argocd/*.yaml")
# Workload kinds whose pods Tilt follows (Knative Services once registered with k8s_kind).
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "Job", "DaemonSet", "ReplicaSet", "Pod", "CronJob"}


# --- tools ----------------------------------------------------------------------------------------


def tool(name: str) -> str:
    """Path of a tool scripts/check-deploy installs (helm, kubeconform, actionlint, starlark)."""
    path = TOOLS_DIR / name
    if not path.exists():
        print(f"{name} not in {TOOLS_DIR}: installing with scripts/check-deploy --install", file=sys.stderr)
        subprocess.run([str(ROOT / "scripts" / "check-deploy"), "--install"], check=True)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run ./scripts/check-deploy --install")
    return str(path)


def schemas_dir() -> Path | None:
    """The strict schemas: $MYSTORE_SCHEMAS_DIR, else the repository's own copy (helm/schemas)."""
    path = Path(os.environ.get("MYSTORE_SCHEMAS_DIR") or SCHEMAS)
    return path if path.is_dir() else None


# --- rendering -------------------------------------------------------------------------------------


def load_documents(text: str) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


def helm_template(
    *values: str,
    chart: Path = CHART,
    sets: Iterable[str] = (),
    release: str = RELEASE,
    namespace: str = NAMESPACE,
) -> list[dict]:
    """The chart rendered as `helm template` (hooks included), with values files relative to it."""
    command = [tool("helm"), "template", release, str(chart), "--namespace", namespace]
    for name in values:
        command += ["--values", str(chart / name)]
    for assignment in sets:
        command += ["--set", assignment]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"helm template failed:\n{result.stderr}")
    return load_documents(result.stdout)


def manifest_files() -> list[Path]:
    return sorted(path for pattern in MANIFEST_GLOBS for path in ROOT.glob(pattern))


# --- schema validation -----------------------------------------------------------------------------


def describe(doc: dict) -> str:
    metadata = doc.get("metadata") or {}
    namespace = f"{metadata['namespace']}/" if metadata.get("namespace") else ""
    return f"{doc.get('apiVersion')} {doc.get('kind')} {namespace}{metadata.get('name')}"


@cache
def _validator(path: Path) -> Draft202012Validator:
    return Draft202012Validator(json.loads(path.read_text()))


def validate(docs: Iterable[dict], schemas: Path) -> list[str]:
    """Problems of each document against its kind's strict schema (a kind without one is a problem)."""
    problems = []
    for doc in docs:
        if not isinstance(doc, dict) or "apiVersion" not in doc or "kind" not in doc:
            problems.append(f"not a Kubernetes object: {str(doc)[:80]}")
            continue
        group, _, version = doc["apiVersion"].rpartition("/")
        path = schemas / (group or "core") / f"{doc['kind'].lower()}_{version}.json"
        if not path.exists():
            problems.append(f"{describe(doc)}: no schema ({path.relative_to(schemas)})")
            continue
        for error in sorted(_validator(path).iter_errors(doc), key=lambda e: list(e.absolute_path)):
            where = "/".join(map(str, error.absolute_path))
            problems.append(f"{describe(doc)}: /{where}: {error.message[:300]}")
    return problems


# --- resource requests ---------------------------------------------------------------------------

# Knative's default requests for the queue-proxy sidecar of every function pod (config-deployment
# queue-sidecar-cpu-request; no memory request), unless the Service's annotations say otherwise.
QUEUE_PROXY_DEFAULTS = {"cpu": "25m", "memory": "0"}
QUEUE_PROXY_ANNOTATION = "queue.sidecar.serving.knative.dev/{}-resource-request"


def millicores(quantity: str | int | float) -> int:
    text = str(quantity)
    return int(text[:-1]) if text.endswith("m") else round(float(text) * 1000)


def mebibytes(quantity: str | int) -> int:
    text = str(quantity)
    for suffix, factor in (("Gi", 1024), ("Mi", 1), ("Ki", 1 / 1024)):
        if text.endswith(suffix):
            return round(float(text[: -len(suffix)]) * factor)
    return round(int(text) / 2**20)


@dataclass(frozen=True)
class Requests:
    """CPU (millicores) and memory (MiB) requested by `pods` pods."""

    cpu: int = 0
    memory: int = 0
    pods: int = 0

    def __add__(self, other: "Requests") -> "Requests":
        return Requests(self.cpu + other.cpu, self.memory + other.memory, self.pods + other.pods)


def _containers(containers: list[dict]) -> Requests:
    total = Requests()
    for container in containers:
        requests = (container.get("resources") or {}).get("requests") or {}
        total += Requests(millicores(requests.get("cpu", 0)), mebibytes(requests.get("memory", 0)))
    return total


def requests_of(doc: dict) -> Requests:
    """What an object's pods request while it runs: replicas x (containers, and for a Knative Service
    at its minScale, the queue-proxy sidecar); a Job's pod, the larger of its init and main phases."""
    spec = doc.get("spec") or {}
    template = spec.get("template") or {}
    pod = template.get("spec") or {}
    containers = _containers(pod.get("containers") or [])
    if doc["kind"] == "Service" and doc["apiVersion"].startswith("serving.knative.dev/"):
        annotations = (template.get("metadata") or {}).get("annotations") or {}
        replicas = int(annotations.get("autoscaling.knative.dev/min-scale", 0))
        sidecar = {
            r: annotations.get(QUEUE_PROXY_ANNOTATION.format(r), q) for r, q in QUEUE_PROXY_DEFAULTS.items()
        }
        per_pod = containers + Requests(millicores(sidecar["cpu"]), mebibytes(sidecar["memory"]))
        return Requests(per_pod.cpu * replicas, per_pod.memory * replicas, replicas)
    if doc["kind"] in {"Deployment", "StatefulSet"}:
        replicas = int(spec.get("replicas", 1))
        return Requests(containers.cpu * replicas, containers.memory * replicas, replicas)
    if doc["kind"] == "Job":
        init = [_containers([c]) for c in pod.get("initContainers") or []]
        return Requests(
            max([containers.cpu] + [r.cpu for r in init]),
            max([containers.memory] + [r.memory for r in init]),
            1,
        )
    return Requests()


def store_requests(docs: Iterable[dict]) -> tuple[Requests, Requests]:
    """(what the running store requests, what its Jobs request while they run)."""
    running, jobs = Requests(), Requests()
    for doc in docs:
        if doc["kind"] == "Job":
            jobs += requests_of(doc)
        else:
            running += requests_of(doc)
    return running, jobs


# What the rest of a knative/setup cluster requests, as the pinned releases' manifests set it (where
# a manifest sets none, nothing is counted: the headroom covers it).
PLATFORM_REQUESTS = (
    (
        "kube-system",
        "apiserver 250m, controller-manager 200m, scheduler 100m, etcd, CoreDNS",
        Requests(750, 170),
    ),
    ("Knative Serving", "activator 300m; autoscaler, controller, webhook 100m each", Requests(600, 360)),
    ("Kourier", "net-kourier-controller 200m (its Envoy gateway sets none)", Requests(200, 200)),
    ("Knative Eventing", "controller, webhook 100m; job-sink, PingSource adapter 125m", Requests(450, 278)),
    ("KafkaSource", "eventing-kafka-broker's controller, webhook, dispatcher set none", Requests(0, 0)),
    (
        "Strimzi + Kafka",
        "cluster operator 200m/384Mi; the broker of knative/kafka.yaml 250m/1Gi",
        Requests(450, 1408),
    ),
)
MINIKUBE = Requests(4000, 8192)  # knative/setup's defaults: MINIKUBE_CPUS=4, MINIKUBE_MEMORY=8g


def budget_table(dev_docs: list[dict]) -> str:
    """The Markdown table of what a Minikube needs for the dev store (docs/deploy.md shows it)."""
    store, jobs = store_requests(dev_docs)
    platform = sum((requests for _, _, requests in PLATFORM_REQUESTS), Requests())
    total = platform + store
    rows = [(name, detail, r) for name, detail, r in PLATFORM_REQUESTS]
    rows.append(
        (
            "my-store",
            f"values-dev.yaml: {store.pods} pods (the Jobs: {jobs.cpu}m, {jobs.memory} MiB more)",
            store,
        )
    )
    lines = ["| part | what requests it | CPU | memory |", "| --- | --- | ---: | ---: |"]
    lines += [f"| {name} | {detail} | {r.cpu}m | {r.memory} MiB |" for name, detail, r in rows]
    lines.append(f"| **sum** | | **{total.cpu}m** | **{total.memory} MiB** |")
    lines.append(
        f"| Minikube | `knative/setup`: {MINIKUBE.cpu // 1000} CPUs, {MINIKUBE.memory // 1024} GiB "
        f"(left: {MINIKUBE.cpu - total.cpu}m, {MINIKUBE.memory - total.memory} MiB) | {MINIKUBE.cpu}m "
        f"| {MINIKUBE.memory} MiB |"
    )
    return "\n".join(lines)


# --- the Tiltfile ------------------------------------------------------------------------------------

# Stubs of the Tilt builtins, with Tilt's own parameter names (a misspelt keyword fails as it would in
# Tilt). Each call prints one JSON record; `read_yaml` answers from the repository's YAML files.
TILT_STUBS = r"""
TRIGGER_MODE_AUTO = "auto"
TRIGGER_MODE_MANUAL = "manual"
_FILES = json.decode(%(files)s)
_ENV = json.decode(%(env)s)

def _record(call, **kwargs):
    print("TILT " + json.encode(dict(call=call, **kwargs)))

def _list(value):
    if value == None:
        return []
    if type(value) == "list":
        return value
    return [value]

def tilt_os_getenv(key, default=None):
    return _ENV.get(key, default)

def allow_k8s_contexts(contexts):
    _record("allow_k8s_contexts", contexts=_list(contexts))

def update_settings(max_parallel_updates=3, k8s_upsert_timeout_secs=30, suppress_unused_image_warnings=None):
    _record("update_settings")

def fall_back_on(files):
    return dict(step="fall_back_on", files=_list(files))

def sync(local_path, remote_path):
    return dict(step="sync", local_path=local_path, remote_path=remote_path)

def run(cmd, trigger=[], echo_off=False):
    return dict(step="run", cmd=cmd, trigger=_list(trigger))

def docker_build(ref, context, build_args={}, dockerfile="Dockerfile", dockerfile_contents="",
                 live_update=[], match_in_env_vars=False, ignore=[], only=[], entrypoint=[], target="",
                 ssh="", network="", secret="", extra_tag="", container_args=None, cache_from=[],
                 pull=False, platform="", extra_hosts=[], env_vars={}):
    _record("docker_build", ref=ref, context=context, build_args=build_args, dockerfile=dockerfile,
            live_update=live_update, ignore=_list(ignore), only=_list(only), target=target)

def k8s_kind(kind, api_version=None, image_json_path=None, image_object=None, pod_readiness=""):
    _record("k8s_kind", kind=kind, api_version=api_version, image_json_path=_list(image_json_path))

def local(command, quiet=False, command_bat="", echo_off=False, env={}, dir="", stdin=None):
    _record("local", command=command)
    return ""

def read_yaml(paths, default=None):
    if paths in _FILES:
        return _FILES[paths]
    if default != None:
        return default
    fail("read_yaml: %%s is not a YAML file of the repository" %% paths)

def watch_file(file_path):
    _record("watch_file", path=file_path)

def helm(pathToChartDir, name="", namespace="", values=[], set=[], kube_version="", skip_crds=False):
    return dict(helm=dict(chart=pathToChartDir, name=name, namespace=namespace, values=_list(values),
                          set=_list(set)))

def k8s_yaml(yaml, allow_duplicates=False):
    _record("k8s_yaml", yaml=yaml)

def port_forward(local_port, container_port=None, name=None, link_path=None, host=None):
    return dict(local_port=local_port, container_port=container_port or local_port, name=name)

def link(url, name=""):
    return dict(url=url, name=name)

def _port_forwards(value):
    forwards = []
    for forward in _list(value):
        if type(forward) == "int":
            forward = port_forward(forward)
        elif type(forward) == "string":
            parts = forward.split(":")
            forward = port_forward(int(parts[0]), int(parts[-1]))
        forwards.append(forward)
    return forwards

def k8s_resource(workload="", new_name="", port_forwards=[], extra_pod_selectors=[],
                 trigger_mode=TRIGGER_MODE_AUTO, resource_deps=[], objects=[], auto_init=True,
                 pod_readiness="", links=[], labels=[], discovery_strategy=""):
    _record("k8s_resource", workload=workload, new_name=new_name,
            port_forwards=_port_forwards(port_forwards), resource_deps=_list(resource_deps),
            objects=_list(objects), labels=_list(labels))

def local_resource(name, cmd="", deps=[], trigger_mode=TRIGGER_MODE_AUTO, resource_deps=[], ignore=[],
                   auto_init=True, serve_cmd="", cmd_bat="", serve_cmd_bat="", allow_parallel=False,
                   links=[], tags=[], env={}, serve_env={}, readiness_probe=None, dir="", serve_dir="",
                   labels=[]):
    _record("local_resource", name=name, cmd=cmd, deps=_list(deps), resource_deps=_list(resource_deps),
            labels=_list(labels), trigger_mode=trigger_mode, auto_init=auto_init)
"""
TILT_BUILTINS = sorted(
    set(re.findall(r"^def ([a-z]\w*)\(", TILT_STUBS, re.M)) | {"TRIGGER_MODE_AUTO", "TRIGGER_MODE_MANUAL"}
)
# Tilt's `os` module: go.starlark.net has no modules to build one with, so `os.getenv(` becomes a
# call of the stub `tilt_os_getenv(`, which answers from the environment of the evaluation.
OS_GETENV = re.compile(r"\bos\.getenv\(")


# What the Tiltfile may read_yaml: the declaration and the chart's values.
READABLE_YAML = ("functions/*.yaml", "helm/my-store/values*.yaml")


def evaluate_tiltfile(path: Path = ROOT / "Tiltfile", env: dict[str, str] | None = None) -> list[dict]:
    """The Tilt calls the Tiltfile makes, evaluated by go.starlark.net with Tilt's dialect options.
    `env` is what os.getenv sees (default: this process's environment)."""
    source = path.read_text()
    wanted = set(re.findall(r"\bos\.getenv\(\s*['\"](\w+)['\"]", source))
    environment = {k: v for k, v in (os.environ if env is None else env).items() if k in wanted}
    files = {
        str(yaml_path.relative_to(ROOT)): yaml.safe_load(yaml_path.read_text())
        for pattern in READABLE_YAML
        for yaml_path in ROOT.glob(pattern)
    }
    with tempfile.TemporaryDirectory() as scratch:
        stubs = Path(scratch) / "tilt_stubs.star"
        stubs.write_text(
            TILT_STUBS
            % {
                "files": json.dumps(json.dumps(files, default=str)),
                "env": json.dumps(json.dumps(environment)),
            }
        )
        names = ", ".join(json.dumps(name) for name in TILT_BUILTINS)
        program = Path(scratch) / "Tiltfile"
        # One line in front (the stubs' load); error positions are shifted back below.
        loads = f"load({json.dumps(str(stubs))}, {names})\n"
        program.write_text(loads + OS_GETENV.sub("tilt_os_getenv(", source))
        result = subprocess.run(
            [tool("starlark"), "-globalreassign", "-recursion", str(program)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        shifted = re.sub(r"Tiltfile:(\d+):", lambda m: f"Tiltfile:{int(m[1]) - 1}:", output)
        raise RuntimeError(f"the Tiltfile does not evaluate:\n{shifted.replace(str(program), 'Tiltfile')}")
    return [json.loads(line[5:]) for line in output.splitlines() if line.startswith("TILT ")]


@dataclass
class TiltPlan:
    calls: list[dict]
    builds: dict[str, dict] = field(default_factory=dict)  # image ref -> docker_build
    resources: dict[str, dict] = field(default_factory=dict)  # resource name -> k8s/local resource

    def __post_init__(self) -> None:
        for call in self.calls:
            if call["call"] == "docker_build":
                self.builds[call["ref"]] = call
            elif call["call"] == "k8s_resource":
                self.resources[call["new_name"] or call["workload"]] = call
            elif call["call"] == "local_resource":
                self.resources[call["name"]] = call

    def only(self, kind: str) -> list[dict]:
        return [call for call in self.calls if call["call"] == kind]


def dockerfile_stages(path: Path = ROOT / "Dockerfile") -> set[str]:
    return set(re.findall(r"^FROM\s+(?:--\S+\s+)*\S+\s+AS\s+(\S+)", path.read_text(), re.M | re.I))


def images_of(doc: dict) -> Iterator[str]:
    """Container images of a rendered object (pod templates of workloads and Knative Services)."""
    spec = doc.get("spec") or {}
    pod = (spec.get("template") or {}).get("spec") or {}
    for container in (pod.get("containers") or []) + (pod.get("initContainers") or []):
        yield container["image"]


def repository(image: str) -> str:
    name, _, tag = image.rpartition(":")
    return name if name and "/" not in tag else image


def cross_check_tiltfile(plan: TiltPlan, declaration) -> list[str]:
    """Where the Tiltfile disagrees with the chart it deploys, the Dockerfile or the declaration."""
    problems = []
    helm_calls = [call["yaml"]["helm"] for call in plan.only("k8s_yaml") if isinstance(call["yaml"], dict)]
    if len(helm_calls) != 1:
        return [f"the Tiltfile deploys {len(helm_calls)} Helm charts, expected helm/my-store once"]
    chart_call = helm_calls[0]
    chart = ROOT / chart_call["chart"]
    if chart.resolve() != CHART.resolve():
        problems.append(f"helm() renders {chart_call['chart']}, not helm/my-store")
    values = [str((ROOT / name).relative_to(chart)) for name in chart_call["values"]]
    docs = helm_template(*values, sets=chart_call["set"])
    if chart_call["namespace"] != NAMESPACE or chart_call["name"] != RELEASE:
        problems.append(
            f"helm() release {chart_call['name']}/{chart_call['namespace']}, expected {RELEASE}/{NAMESPACE}"
        )

    kinds = plan.only("k8s_kind")
    if not any(
        k["kind"] == "Service"
        and k["api_version"] == "serving.knative.dev/v1"
        and k["image_json_path"] == ["{.spec.template.spec.containers[*].image}"]
        for k in kinds
    ):
        problems.append("k8s_kind does not register serving.knative.dev/v1 Service with its image path")

    # Images: every image the chart deploys from dev.local is built, and every build is deployed.
    # The functions' builds live-update; a Job's never does (its pod has finished: Tilt would
    # rebuild the image and re-run the Job on every save instead).
    stages = dockerfile_stages()
    runners: dict[str, set[str]] = {}  # image repository -> kinds of the objects that run it
    for doc in docs:
        for image in images_of(doc):
            runners.setdefault(repository(image), set()).add(doc["kind"])
    deployed = set(runners)
    for ref, build in plan.builds.items():
        if ref not in deployed:
            problems.append(f"docker_build {ref}: no rendered object runs it")
        if build["target"] and build["target"] not in stages:
            problems.append(f"docker_build {ref}: the Dockerfile has no stage {build['target']!r}")
        syncs = [step for step in build["live_update"] if step.get("step") == "sync"]
        kinds = runners.get(ref, set())
        if syncs and "Job" in kinds:
            problems.append(f"docker_build {ref}: a Job runs it, and it has a live_update")
        if kinds == {"Job"}:
            continue
        if not syncs:
            problems.append(f"docker_build {ref}: no live_update sync")
        dockerfile = (ROOT / build["dockerfile"]).read_text()
        for step in syncs:
            pattern = (
                rf"^COPY\b.*\s{re.escape(step['local_path'])}/?\s+{re.escape(step['remote_path'])}/?\s*$"
            )
            if not re.search(pattern, dockerfile, re.M):
                problems.append(
                    f"docker_build {ref}: live_update syncs {step['local_path']} to "
                    f"{step['remote_path']}, where the Dockerfile does not copy it"
                )
    for image in sorted(deployed):
        if image.startswith("dev.local/") and image not in plan.builds:
            problems.append(f"the chart runs {image}, which the Tiltfile does not build")

    # Resources: workloads and objects exist in the rendered chart; every function has one.
    workloads = {
        doc["metadata"]["name"]
        for doc in docs
        if doc["kind"] in WORKLOAD_KINDS
        or (doc["kind"] == "Service" and doc["apiVersion"].startswith("serving.knative.dev/"))
    }
    objects = {
        (doc["metadata"]["name"], doc["kind"].lower(), doc["metadata"].get("namespace", NAMESPACE))
        for doc in docs
    }
    for name, resource in plan.resources.items():
        if resource["call"] != "k8s_resource":
            continue
        if resource["workload"] and resource["workload"] not in workloads:
            problems.append(f"k8s_resource {resource['workload']}: the chart renders no such workload")
        for selector in resource["objects"]:
            parts = selector.split(":")
            if len(parts) < 2:
                problems.append(f"k8s_resource {name}: object selector {selector!r} lacks a kind")
                continue
            wanted = (parts[0], parts[1].lower(), parts[2] if len(parts) > 2 else NAMESPACE)
            if wanted not in objects:
                problems.append(f"k8s_resource {name}: the chart renders no {selector}")
        for dependency in resource["resource_deps"]:
            if dependency not in plan.resources and dependency not in workloads:
                problems.append(f"k8s_resource {name}: unknown resource_deps {dependency}")
    for function in declaration.functions:
        if function.name not in plan.resources:
            problems.append(f"function {function.name} has no k8s_resource (labels, dependencies)")
    for subscription in declaration.subscriptions:
        selector = f"{subscription.name}:kafkasource"
        owner = plan.resources.get(subscription.sink, {})
        if selector not in owner.get("objects", []):
            problems.append(
                f"KafkaSource {subscription.name} is not grouped with its sink {subscription.sink}"
            )

    # Port-forwards: the storefront and pgAdmin, to ports their containers listen on.
    forwards = {name: r.get("port_forwards", []) for name, r in plan.resources.items()}
    public = [f.name for f in declaration.functions if f.public]
    for name in public:
        if not any(p["container_port"] == 8080 for p in forwards.get(name, [])):
            problems.append(f"no port-forward to {name}'s port 8080")
    pgadmin = f"{RELEASE}-pgadmin"
    pgadmin_ports = {
        port["containerPort"]
        for doc in docs
        if doc["kind"] == "Deployment" and doc["metadata"]["name"] == pgadmin
        for port in doc["spec"]["template"]["spec"]["containers"][0].get("ports", [])
    }
    if not pgadmin_ports:
        problems.append("the dev values do not render pgAdmin")
    elif not any(p["container_port"] in pgadmin_ports for p in forwards.get(pgadmin, [])):
        problems.append(f"no port-forward to pgAdmin's port {sorted(pgadmin_ports)}")

    # Checks and tests offered as local resources, running scripts that exist.
    local_resources = plan.only("local_resource")
    if not local_resources:
        problems.append("no local_resource runs the tests")
    for resource in local_resources:
        script = resource["cmd"].split()[0] if resource["cmd"] else ""
        if script.startswith("./") and not (ROOT / script).exists():
            problems.append(f"local_resource {resource['name']}: {script} does not exist")
    return problems


# --- command line ----------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    if argv[:1] == ["validate"] and len(argv) > 1:
        schemas = schemas_dir()
        if schemas is None:
            print(
                f"no strict schemas at {os.environ.get('MYSTORE_SCHEMAS_DIR') or SCHEMAS}",
                file=sys.stderr,
            )
            return 1
        docs = []
        for name in argv[1:]:
            docs += load_documents(sys.stdin.read() if name == "-" else Path(name).read_text())
        problems = validate(docs, schemas)
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(docs)} documents, {len(problems)} problems")
        return 1 if problems else 0
    if argv == ["tiltfile"]:
        from mystore_kit.declaration import load_declaration

        plan = TiltPlan(evaluate_tiltfile())
        problems = cross_check_tiltfile(plan, load_declaration())
        for problem in problems:
            print(problem, file=sys.stderr)
        print(
            f"{len(plan.calls)} Tilt calls, {len(plan.builds)} images, {len(plan.resources)} resources, "
            f"{len(problems)} problems"
        )
        return 1 if problems else 0
    if argv == ["budget"]:
        print(budget_table(helm_template("values-dev.yaml")))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
