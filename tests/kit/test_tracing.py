"""Tracing: off it does nothing; on, one order is one trace through the RPCs, the outbox and delivery."""

import json
import logging

from sqlmodel import select

from mystore_kit import logs, tracing
from mystore_kit.database import unit_of_work
from mystore_kit.events import publisher
from mystore_kit.events.outbox import OutboxEvent
from tests.addresses import ADDRESS
from tests.events import order_created
from tests.support import post_event

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = f"00-{TRACE}-00f067aa0ba902b7-01"


def sign_in(bff):
    bff.post("/api/auth/register", json={"email": "tracer@example.com", "password": "correct horse"})
    assert (
        bff.post(
            "/api/auth/login", json={"email": "tracer@example.com", "password": "correct horse"}
        ).status_code
        == 200
    )


def place_order(bff, spans=None):
    product = bff.get("/api/products").get_json()["products"][0]
    if spans is not None:
        spans.clear()  # the order's trace alone
    items = [{"productId": product["id"], "quantity": 1}]
    response = bff.post("/api/orders", json={"items": items, "shippingAddress": ADDRESS})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


def test_off_nothing_is_traced_and_rows_carry_no_context(bff, database_url):
    assert not tracing.enabled()
    assert tracing.span("x") is tracing.span("y")  # one shared null context
    assert tracing.inject({"a": "b"}) == {"a": "b"} and tracing.current_ids() is None
    sign_in(bff)
    order_id = place_order(bff)
    with unit_of_work("orders") as session:
        row = session.exec(select(OutboxEvent).where(OutboxEvent.subject == order_id)).one()
    assert row.traceparent is None and "traceparent" not in row.envelope().attributes


def test_an_order_is_one_trace_from_the_bff_through_the_outbox_to_every_consumer(bff, database_url, spans):
    sign_in(bff)
    order_id = place_order(bff, spans)
    with unit_of_work("orders") as session:
        row = session.exec(select(OutboxEvent).where(OutboxEvent.subject == order_id)).one()
    assert tracing.trace_id({"traceparent": row.traceparent}) != ""
    publisher.publish("orders")  # the fast path is off in tests: what the relay would do
    publisher.publish("shipping")  # ShipmentCreated, to order-on-shipment-created
    finished = spans.get_finished_spans()
    assert {s.context.trace_id for s in finished} == {finished[0].context.trace_id}
    names = [s.name for s in finished]
    for expected in (
        "POST /api/orders",
        "call order-create",
        "call catalog-list",
        "create mystore.order.v1.OrderCreated",
        "publish orders",
        "deliver shipping-on-order-created",
        "deliver notification-on-order-created",
        "deliver analytics-on-order-created",
        "create mystore.shipping.v1.ShipmentCreated",
        "publish shipments",
        "deliver order-on-shipment-created",
    ):
        assert expected in names, f"no span {expected!r} in {names}"
    statements = [s for s in finished if s.attributes.get("db.system.name")]
    assert any(s.name.startswith("INSERT ") for s in statements), "no database spans"
    by_id = {s.context.span_id: s for s in finished}
    (root,) = [s for s in finished if s.parent is None]
    assert root.name == "POST /api/orders"
    assert all(s.parent.span_id in by_id for s in finished if s is not root)
    created = next(s for s in finished if s.name == "create mystore.order.v1.OrderCreated")
    assert row.traceparent.split("-")[2] == format(created.context.span_id, "016x")
    assert created.attributes["mystore.order_id"] == order_id
    applied = [
        s for s in finished if s.attributes.get("cloudevents.event_type") == "mystore.order.v1.OrderCreated"
    ]
    assert len(applied) == 3  # the three subscribers' server spans, children of their deliveries
    assert {by_id[s.parent.span_id].parent.span_id for s in applied} <= {
        s.context.span_id for s in finished if s.name.startswith("deliver ")
    }


def test_a_consumer_continues_the_http_traceparent_and_links_the_events_own(database_url, spans):
    other = "00-11111111111111111111111111111111-2222222222222222-01"
    response = post_event(
        "notification-on-order-created",
        type="mystore.order.v1.OrderCreated",
        data=order_created(),
        traceparent=PARENT,  # ce-traceparent: the distributed-tracing extension
    )
    assert response.status_code == 200
    (served,) = [s for s in spans.get_finished_spans() if s.kind.name == "SERVER"]
    assert format(served.context.trace_id, "032x") == TRACE  # no HTTP traceparent: the event's
    spans.clear()
    from tests.support import _client

    headers = {
        "ce-specversion": "1.0",
        "ce-id": "linked-1",
        "ce-source": "/tests",
        "ce-type": "mystore.order.v1.OrderCreated",
        "ce-traceparent": PARENT,
        "traceparent": other,
        "Content-Type": "application/json",
    }
    answer = _client("notification-on-order-created").post(
        "/", data=json.dumps(order_created()), headers=headers
    )
    assert answer.status_code == 200
    (served,) = [s for s in spans.get_finished_spans() if s.kind.name == "SERVER"]
    assert format(served.context.trace_id, "032x") == "1" * 32
    assert [format(link.context.trace_id, "032x") for link in served.links] == [TRACE]


def test_log_lines_carry_the_span_and_the_bound_order(spans):
    formatter = logs.JsonLines("order-create")
    record = logging.LogRecord("mystore.test", logging.INFO, __file__, 1, "hello %s", ("you",), None)
    with tracing.span("work", parent={"traceparent": PARENT}), logs.order("order-7"):
        line = json.loads(formatter.format(record))
    assert line["message"] == "hello you" and line["function"] == "order-create" and line["level"] == "INFO"
    assert line["trace_id"] == TRACE and len(line["span_id"]) == 16 and line["order_id"] == "order-7"
    outside = json.loads(formatter.format(record))
    assert "trace_id" not in outside and "order_id" not in outside
