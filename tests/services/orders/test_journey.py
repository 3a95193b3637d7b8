"""order-get with withJourney: the OrderCreated event's key, when it was published, its trace, SHIPPED."""

import uuid

import pytest
from sqlmodel import select

from mystore_kit.database import unit_of_work
from mystore_kit.events import publisher
from mystore_kit.events.outbox import OutboxEvent
from mystore_services.orders.models import Order
from tests.addresses import ADDRESS
from tests.events import shipment_created
from tests.support import MODES, post_event

GET = "mystore.order.v1.GetOrderRequest"
USER = str(uuid.uuid4())


def place(product_id: str, *, deliver: bool = True) -> str:
    """An order placed; delivered: its events published as the relay would (the fast path is off)."""
    data = {
        "userId": USER,
        "userEmail": "u@example.com",
        "items": [{"productId": product_id, "quantity": 1}],
        "shippingAddress": ADDRESS,
    }
    reply = post_event("order-create", type="mystore.order.v1.CreateOrderRequest", data=data)
    if deliver:
        publisher.publish("orders")  # OrderCreated, by the direct channel to its three subscribers
        publisher.publish("shipping")  # ShipmentCreated, to order-on-shipment-created
    return reply.get_json()["order"]["id"]


def get(order_id: str, *, user: str = USER, mode: str = "binary", with_journey: bool = True):
    data = {"userId": user, "orderId": order_id, "withJourney": with_journey}
    return post_event("order-get", type=GET, data=data, mode=mode)


@pytest.mark.parametrize("mode", MODES)
def test_the_journey_of_a_delivered_order_names_its_event_and_when_it_was_published_and_shipped(
    products, mode
):
    order_id = place(next(iter(products)))
    reply = get(order_id, mode=mode)
    assert reply.status_code == 200
    journey = reply.get_json()["journey"]
    with unit_of_work("orders") as session:
        row = session.exec(select(OutboxEvent).where(OutboxEvent.subject == order_id)).one()
        order = session.get(Order, order_id)
    assert journey["orderCreated"] == {"source": "/mystore/order", "id": row.id}
    assert row.published_at is not None and order.shipped_at is not None
    assert {"eventPublishedAt", "shippedAt"} <= set(journey)


def test_a_journey_with_tracing_on_carries_the_trace_id(products, spans):
    order_id = place(next(iter(products)))
    journey = get(order_id).get_json()["journey"]
    with unit_of_work("orders") as session:
        row = session.exec(select(OutboxEvent).where(OutboxEvent.subject == order_id)).one()
    assert row.traceparent and journey["traceId"] == row.traceparent.split("-")[1]
    assert len(journey["traceId"]) == 32


def test_a_pending_order_has_its_event_but_no_publication_or_shipment_yet(database_url):
    order = Order(user_id=USER, total_minor=100, currency="EUR")
    row = OutboxEvent(
        topic="orders", key=order.id, type="mystore.order.v1.OrderCreated", source="/mystore/order",
        subject=order.id, data=b"{}", traceparent="00-" + "a" * 32 + "-" + "b" * 16 + "-01",
    )  # fmt: skip
    with unit_of_work("orders") as session:
        session.add(order)
        session.add(row)
    journey = get(order.id).get_json()["journey"]
    assert journey == {"orderCreated": {"source": "/mystore/order", "id": row.id}, "traceId": "a" * 32}
    post_event(
        "order-on-shipment-created",
        type="mystore.shipping.v1.ShipmentCreated",
        data=shipment_created(order.id),
    )
    assert "shippedAt" in get(order.id).get_json()["journey"]


def test_without_with_journey_the_reply_has_none_and_another_users_order_is_404(products):
    order_id = place(next(iter(products)), deliver=False)
    assert "journey" not in get(order_id, with_journey=False).get_json()
    missing = get(order_id, user=str(uuid.uuid4()))
    assert missing.status_code == 404 and missing.get_json()["code"] == "NOT_FOUND"
