"""analytics-order-get: when analytics counted an order's OrderCreated event; 404 until it did."""

import uuid

import pytest

from tests.events import order_created
from tests.support import MODES, post_event

GET = "mystore.analytics.v1.GetOrderCountedRequest"


@pytest.mark.parametrize("mode", MODES)
def test_a_counted_event_is_found_by_its_source_and_id(database_url, mode):
    event_id = str(uuid.uuid4())
    post_event(
        "analytics-on-order-created", type="mystore.order.v1.OrderCreated", data=order_created(),
        id=event_id, source="/mystore/order",
    )  # fmt: skip
    key = {"source": "/mystore/order", "id": event_id}
    reply = post_event("analytics-order-get", type=GET, data={"orderCreated": key}, mode=mode)
    assert reply.status_code == 200
    assert reply.headers["ce-type"] == "mystore.analytics.v1.GetOrderCountedResponse"
    assert reply.get_json()["countedAt"].endswith("Z")
    elsewhere = {"orderCreated": {**key, "source": "/tests"}}  # the same id from another source
    assert post_event("analytics-order-get", type=GET, data=elsewhere, mode=mode).status_code == 404


@pytest.mark.parametrize("mode", MODES)
def test_an_event_not_counted_is_404_and_a_missing_key_is_400(database_url, mode):
    key = {"source": "/mystore/order", "id": str(uuid.uuid4())}
    missing = post_event("analytics-order-get", type=GET, data={"orderCreated": key}, mode=mode)
    assert missing.status_code == 404 and missing.get_json()["code"] == "NOT_FOUND"
    assert post_event("analytics-order-get", type=GET, data={}, mode=mode).status_code == 400
