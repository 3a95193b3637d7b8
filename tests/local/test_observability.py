"""One order, seen: its trace in Zipkin, its JSON log lines, the counters it moves.

The store as `./scripts/dev --kafka --postgres --tracing` runs it: every process traces to the
Zipkin server ./scripts/test starts (MYSTORE_TEST_ZIPKIN), across the real Kafka broker.
"""

import json
import subprocess
import sys
import uuid

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from mystore_kit.declaration import load_declaration
from mystore_local.dispatcher import METRICS_PORT
from tests.events import order_created
from tests.local.stack import Shopper, Stack, fresh_topics, wait_for

ORDER_SUBSCRIBERS = (
    "shipping-on-order-created",
    "notification-on-order-created",
    "analytics-on-order-created",
)


@pytest.fixture(scope="module")
def zipkin(zipkin_url):
    return zipkin_url


@pytest.fixture(scope="module")
def stack(tmp_path_factory, kafka_bootstrap, postgres_url, zipkin):
    fresh_topics(kafka_bootstrap)
    running = Stack(
        tmp_path_factory.mktemp("observed"),
        postgres_url=postgres_url,
        kafka=kafka_bootstrap,
        MYSTORE_TRACING_ENDPOINT=f"{zipkin}/api/v2/spans",
        MYSTORE_TRACING_EXPORT_SECONDS="0.2",
        MYSTORE_CATALOG_CACHE_SECONDS="0",  # every order asks catalog-list: its span is in each trace
    )
    running.start()  # with the dispatcher: the runner keeps every process's lines in var/logs
    yield running
    running.stop()


@pytest.fixture(scope="module")
def shopper(stack):
    return Shopper("observed-shopper@example.com")


def trace(zipkin, trace_id):
    response = requests.get(f"{zipkin}/api/v2/trace/{trace_id}", timeout=10)
    return response.json() if response.status_code == 200 else []


def services(spans):
    return {span["localEndpoint"]["serviceName"] for span in spans}


def ancestors(span, by_id):
    """The names ("service: span") of the span's ancestors, nearest first."""
    chain = []
    while span.get("parentId") in by_id:
        span = by_id[span["parentId"]]
        chain.append(f"{span['localEndpoint']['serviceName']}: {span['name']}")
    return chain


@pytest.fixture(scope="module")
def placed(stack, shopper, zipkin):
    """An order placed through the BFF and SHIPPED, and its trace once Zipkin has all of it."""
    product = shopper.products()[0]
    order = shopper.order([{"productId": product["id"], "quantity": 1}])
    assert shopper.statuses(order["id"], seconds=30)[-1]["status"] == "SHIPPED"
    query = {"annotationQuery": f"mystore.order_id={order['id']}", "limit": 10}
    expected = {
        "bff",
        "order-create",
        "catalog-list",
        "kafka-source",
        "order-on-shipment-created",
        *ORDER_SUBSCRIBERS,
    }

    def whole_trace():
        # The order's other requests (the status stream, GET /api/orders/{id}) are traces of their own.
        found = requests.get(f"{zipkin}/api/v2/traces", params=query, timeout=10).json()
        placing = [spans for spans in found if any(s["name"] == "post /api/orders" for s in spans)]
        if len(placing) != 1 or not expected <= services(placing[0]):
            return None
        ids = {span["id"] for span in placing[0]}  # every process's batch is in: one root
        return placing if sum(span.get("parentId") not in ids for span in placing[0]) == 1 else None

    (spans,) = wait_for(whole_trace, seconds=30, message=f"one trace with spans of {sorted(expected)}")
    return order["id"], spans


def test_an_order_is_one_trace_from_the_bff_through_kafka_to_shipped(placed):
    order_id, spans = placed
    assert {span["traceId"] for span in spans} == {spans[0]["traceId"]}
    by_id = {span["id"]: span for span in spans}
    (root,) = [span for span in spans if span.get("parentId") not in by_id]
    assert root["localEndpoint"]["serviceName"] == "bff" and root["name"] == "post /api/orders"
    names = {f"{s['localEndpoint']['serviceName']}: {s['name']}" for s in spans}
    assert "catalog-list: catalog-list" in names and "order-create: call catalog-list" in names
    assert any(s["name"].startswith(("select", "insert", "update")) for s in spans), "no database spans"
    for subscriber in ORDER_SUBSCRIBERS:
        (served,) = [
            s for s in spans if s["localEndpoint"]["serviceName"] == subscriber and s["kind"] == "SERVER"
        ]
        chain = ancestors(served, by_id)
        assert chain[:2] == [
            "kafka-source: send mystore.order.v1.ordercreated",
            "kafka-source: process orders",
        ], chain
        publish = next(name for name in chain if name.endswith(": publish orders"))
        assert publish.split(":")[0] in ("order-create", "order-outbox-relay")  # fast path, else the relay
        assert chain[chain.index(publish) + 1] == "order-create: create mystore.order.v1.ordercreated"
        assert chain[-1] == "bff: post /api/orders"
    (shipped,) = [
        s
        for s in spans
        if s["localEndpoint"]["serviceName"] == "order-on-shipment-created" and s["kind"] == "SERVER"
    ]
    chain = ancestors(shipped, by_id)
    assert (
        "kafka-source: process shipments" in chain
        and "shipping-on-order-created: shipping-on-order-created" in chain
    )
    assert by_id[root["id"]]["tags"].get("http.response.status_code") == "201"


def publish_with_kcat(bootstrap, event, *, traceparent):
    subprocess.run(
        [
            "kcat", "-P", "-b", bootstrap, "-t", "orders", "-k", event["orderId"],
            "-H", "ce_specversion=1.0",
            "-H", f"ce_id={uuid.uuid4()}",
            "-H", "ce_source=/kcat",
            "-H", "ce_type=mystore.order.v1.OrderCreated",
            "-H", f"ce_subject={event['orderId']}",
            "-H", f"ce_traceparent={traceparent}",
            "-H", "content-type=application/json",
        ],
        input=json.dumps(event).encode(),
        check=True,
        timeout=30,
    )  # fmt: skip


def test_a_kcat_record_with_a_hand_written_traceparent_is_consumed_in_that_trace(
    stack, kafka_bootstrap, zipkin
):
    trace_id, parent_id = uuid.uuid4().hex, uuid.uuid4().hex[:16]
    event = order_created()
    publish_with_kcat(kafka_bootstrap, event, traceparent=f"00-{trace_id}-{parent_id}-01")
    # The dispatcher exports its spans in batches of its own, apart from the consumers': wait for both.
    spans = wait_for(
        lambda: (
            (found := trace(zipkin, trace_id))
            and set(ORDER_SUBSCRIBERS) <= services(found)
            and len([s for s in found if s["name"] == "process orders"]) >= 3
            and found
        ),
        seconds=30,
        message="the consumers' and the dispatcher's spans in the hand-written trace",
    )
    processed = [s for s in spans if s["name"] == "process orders"]
    assert len(processed) == 3 and {s["parentId"] for s in processed} == {parent_id}
    assert {s["tags"]["mystore.order_id"] for s in processed} == {event["orderId"]}
    lines = wait_for(
        lambda: [line for line in log_lines(stack) if line.get("trace_id") == trace_id],
        message="log lines in the hand-written trace",
    )
    assert set(ORDER_SUBSCRIBERS) <= {line["function"] for line in lines}  # kafka-source's are DEBUG


def log_lines(stack):
    """Every line every process logged, each parsed as JSON (one that is not fails the test)."""
    parsed = []
    for path in sorted((stack.var_dir / "logs").glob("*.log")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            try:
                parsed.append(json.loads(line))
            except ValueError:
                pytest.fail(f"{path.name}:{number} is not a JSON line: {line!r}")
    return parsed


def test_every_process_logs_json_lines_with_the_trace_of_the_order(stack, placed):
    order_id, spans = placed
    trace_id = spans[0]["traceId"]
    names = {path.stem for path in (stack.var_dir / "logs").glob("*.log")}
    assert names == {f.name for f in load_declaration().functions} | {"kafka-source"}
    lines = log_lines(stack)
    assert all({"time", "level", "function", "message"} <= set(line) for line in lines)
    about_order = [line for line in lines if line.get("order_id") == order_id]
    assert {line.get("trace_id") for line in about_order} == {trace_id}
    # The dispatcher (kafka-source) logs a first-attempt delivery at DEBUG: its sink's line says it.
    assert {"order-create", "order-on-shipment-created", *ORDER_SUBSCRIBERS} <= {
        line["function"] for line in about_order
    }
    shown = subprocess.run(
        [sys.executable, "-m", "mystore_local.log_view", "--order", order_id],
        env=stack.env,
        capture_output=True,
        text=True,
        check=True,
        cwd=stack.var_dir,
    ).stdout.splitlines()
    assert len(shown) >= len(about_order) and all(
        order_id[:8] in row or trace_id[:16] in row for row in shown
    )


def metrics(port):
    text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def requests_of(samples, function):
    return sum(
        v
        for (name, labels), v in samples.items()
        if name == "mystore_requests_total" and ("function", function) in labels
    )


def test_every_function_serves_prometheus_metrics_and_an_order_moves_them(stack, shopper, placed):
    functions = load_declaration().functions
    ports = {f.name: f.port + 1 if f.trigger == "grpc" else f.port for f in functions}
    ports["kafka-source"] = METRICS_PORT
    before = {name: metrics(port) for name, port in ports.items()}  # each parses as Prometheus text
    product = shopper.products()[0]
    order = shopper.order([{"productId": product["id"], "quantity": 1}])
    assert shopper.statuses(order["id"], seconds=30)[-1]["status"] == "SHIPPED"
    moved = ("bff", "order-create", "catalog-list", "order-on-shipment-created", *ORDER_SUBSCRIBERS)

    def after():
        now = {name: metrics(ports[name]) for name in (*moved, "kafka-source")}
        return now if all(requests_of(now[n], n) > requests_of(before[n], n) for n in moved) else None

    now = wait_for(after, message="the request counters to move")
    delivered = (
        "mystore_deliveries_total",
        (("outcome", "delivered"), ("subscription", "order-on-shipment-created")),
    )
    assert now["kafka-source"][delivered] > before["kafka-source"].get(delivered, 0)
    assert any(name == "mystore_consumer_lag" for name, _ in now["kafka-source"])
    assert (
        "mystore_request_duration_seconds_count",
        (("function", "order-create"), ("outcome", "2xx")),
    ) in now["order-create"]
    relay = metrics(ports["order-outbox-relay"])
    assert ("mystore_outbox_pending", (("service", "orders"),)) in relay
    assert ("mystore_outbox_oldest_pending_age_seconds", (("service", "orders"),)) in relay
