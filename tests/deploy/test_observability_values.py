"""The chart's observability values: tracing to a Zipkin endpoint, pods annotated for Prometheus."""

import pytest

from scripts.lib import deploy_checks as checks

ENDPOINT = "http://zipkin.observability.svc.cluster.local:9411/api/v2/spans"


def services(documents):
    return [
        d for d in documents if d["kind"] == "Service" and d["apiVersion"].startswith("serving.knative.dev")
    ]


def env_of(service):
    (container,) = service["spec"]["template"]["spec"]["containers"]
    return {item["name"]: item.get("value") for item in container["env"]}


def test_tracing_is_off_unless_an_endpoint_is_given(helm):
    assert all("MYSTORE_TRACING_ENDPOINT" not in env_of(s) for s in services(checks.helm_template()))
    traced = services(checks.helm_template(sets=[f"observability.zipkinEndpoint={ENDPOINT}"]))
    assert traced and all(env_of(s)["MYSTORE_TRACING_ENDPOINT"] == ENDPOINT for s in traced)


def test_the_bff_alone_links_to_the_trace_ui_when_one_is_given(helm):
    assert all("MYSTORE_TRACE_UI_URL" not in env_of(s) for s in services(checks.helm_template()))
    linked = services(
        checks.helm_template(sets=["observability.traceUiUrl=https://zipkin.example.com/zipkin"])
    )
    given = {s["metadata"]["name"]: env_of(s).get("MYSTORE_TRACE_UI_URL") for s in linked}
    assert {name for name, url in given.items() if url} == {"bff"}
    assert given["bff"] == "https://zipkin.example.com/zipkin"


def test_every_function_is_annotated_for_scraping_on_its_metrics_port(helm):
    for service in services(checks.helm_template()):
        annotations = service["spec"]["template"]["metadata"]["annotations"]
        grpc = service["metadata"]["labels"]["my-store.dev/trigger"] == "grpc"
        assert (
            annotations["prometheus.io/scrape"] == "true" and annotations["prometheus.io/path"] == "/metrics"
        )
        assert annotations["prometheus.io/port"] == ("8081" if grpc else "8080")
    quiet = services(checks.helm_template(sets=["observability.prometheusScrape=false"]))
    assert all("prometheus.io/scrape" not in s["spec"]["template"]["metadata"]["annotations"] for s in quiet)


def test_an_endpoint_that_is_no_url_fails_the_render(helm):
    with pytest.raises(RuntimeError, match="zipkinEndpoint"):
        checks.helm_template(sets=["observability.zipkinEndpoint=zipkin:9411"])
