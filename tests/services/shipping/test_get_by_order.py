"""shipping-get by order id, and when shipping applied the order's OrderCreated (the journey)."""

import uuid

import pytest

from tests.events import order_created
from tests.support import MODES, post_event

GET = "mystore.shipping.v1.GetShipmentRequest"


def deliver(data, event_id):
    return post_event(
        "shipping-on-order-created", type="mystore.order.v1.OrderCreated", data=data, id=event_id,
        source="/mystore/order",
    )  # fmt: skip


@pytest.mark.parametrize("mode", MODES)
def test_the_shipment_of_an_order_says_when_its_order_created_was_received(database_url, mode):
    event, event_id = order_created(), str(uuid.uuid4())
    assert deliver(event, event_id).status_code == 200
    key = {"source": "/mystore/order", "id": event_id}
    data = {"orderId": event["orderId"], "orderCreated": key}
    reply = post_event("shipping-get", type=GET, data=data, mode=mode)
    assert reply.status_code == 200
    body = reply.get_json()
    assert body["shipment"]["orderId"] == event["orderId"] and "orderCreatedReceivedAt" in body
    by_tracking_id = {"trackingId": body["shipment"]["trackingId"], "orderCreated": key}
    assert post_event("shipping-get", type=GET, data=by_tracking_id).get_json() == body
    other_event = {"orderId": event["orderId"], "orderCreated": {**key, "id": str(uuid.uuid4())}}
    assert "orderCreatedReceivedAt" not in post_event("shipping-get", type=GET, data=other_event).get_json()


@pytest.mark.parametrize("mode", MODES)
def test_an_order_without_a_shipment_is_404_and_a_request_needs_one_key(database_url, mode):
    missing = post_event("shipping-get", type=GET, data={"orderId": str(uuid.uuid4())}, mode=mode)
    assert missing.status_code == 404 and missing.get_json()["code"] == "NOT_FOUND"
    for data in ({}, {"orderId": str(uuid.uuid4()), "trackingId": "MS-X"}):
        answer = post_event("shipping-get", type=GET, data=data, mode=mode)
        assert answer.status_code == 400 and answer.get_json()["code"] == "INVALID_ARGUMENT"
