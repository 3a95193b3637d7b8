"""GET /metrics of a function: Prometheus text, and counters that move with what it serves."""

from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from mystore.order.v1.events_pb2 import OrderCreated
from mystore_kit.database import unit_of_work
from mystore_kit.declaration import Delivery
from mystore_kit.events.envelope import Envelope
from mystore_kit.events.outbox import add_event
from mystore_local.delivery import deliver
from tests.support import _client, post_event


def scrape(name):
    response = _client(name).get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return {family.name: family for family in text_string_to_metric_families(response.get_data(as_text=True))}


def count(function, outcome):
    return (
        REGISTRY.get_sample_value("mystore_requests_total", {"function": function, "outcome": outcome}) or 0
    )


def test_an_rpc_function_counts_its_answers_by_outcome(database_url, monkeypatch):
    monkeypatch.setenv("MYSTORE_FUNCTION", "auth-validate")
    from mystore_kit.settings import get_settings

    get_settings.cache_clear()
    before_ok, before_bad = count("auth-validate", "2xx"), count("auth-validate", "4xx")
    assert (
        post_event("auth-validate", type="mystore.auth.v1.ValidateRequest", data={"token": "x"}).status_code
        == 401
    )
    assert post_event("auth-validate", type="wrong.Type", data={}).status_code == 400
    families = scrape("auth-validate")
    assert "mystore_requests" in families and "mystore_request_duration_seconds" in families
    assert count("auth-validate", "4xx") == before_bad + 2 and count("auth-validate", "2xx") == before_ok


def test_the_bff_serves_metrics_before_routing(bff):
    before = count("bff", "2xx")
    assert bff.get("/healthz").status_code == 200
    response = bff.get("/metrics")
    assert response.status_code == 200
    families = {f.name for f in text_string_to_metric_families(response.get_data(as_text=True))}
    assert "mystore_requests" in families and count("bff", "2xx") == before + 1


def of_orders(family):
    (sample,) = [s for s in family.samples if s.labels == {"service": "orders"}]
    return sample.value


def test_a_relay_tells_how_many_outbox_rows_wait(database_url, functions_in_process):
    from mystore_kit.events.publisher import publish

    families = scrape("order-outbox-relay")
    assert of_orders(families["mystore_outbox_pending"]) == 0
    with unit_of_work("orders") as session:
        order_id = "8e3b7f0e-1111-4222-8333-444455556666"
        add_event(
            session, topic="orders", key=order_id, subject=order_id, source="/tests", event=OrderCreated()
        )
    families = scrape("order-outbox-relay")
    assert of_orders(families["mystore_outbox_pending"]) == 1
    assert of_orders(families["mystore_outbox_oldest_pending_age_seconds"]) >= 0
    publish("orders")
    assert REGISTRY.get_sample_value("mystore_outbox_pending", {"service": "orders"}) == 0


def test_deliveries_retries_and_dead_letters_are_counted_per_subscription(make_sink):
    policy = Delivery(retry=2, backoffPolicy="linear", backoffDelay="PT0.01S", deadLetterSink="dead-letter")
    sink, dead = make_sink([500, 200]), make_sink()

    def value(name, **labels):
        return REGISTRY.get_sample_value(name, {"subscription": "metered", **labels}) or 0

    event = Envelope.new(type="t.v1.Thing", source="/tests", data=b"{}")
    deliver(event, sink_url=sink.url, delivery=policy, dead_letter_url=dead.url, subscription="metered")
    assert value("mystore_deliveries_total", outcome="delivered") == 1
    assert value("mystore_delivery_retries_total") == 1
    poison = make_sink([400])
    deliver(event, sink_url=poison.url, delivery=policy, dead_letter_url=dead.url, subscription="metered")
    assert value("mystore_dead_letters_total") == 1
    assert value("mystore_deliveries_total", outcome="dead_lettered") == 1
