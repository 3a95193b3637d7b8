"""notification-get: when an order's confirmation was sent; 404 until it was."""

import uuid

import pytest

from tests.events import order_created
from tests.support import MODES, post_event

GET = "mystore.notification.v1.GetNotificationRequest"


@pytest.mark.parametrize("mode", MODES)
def test_a_sent_confirmation_is_found_by_its_order(database_url, mode):
    event = order_created()
    post_event("notification-on-order-created", type="mystore.order.v1.OrderCreated", data=event)
    reply = post_event("notification-get", type=GET, data={"orderId": event["orderId"]}, mode=mode)
    assert reply.status_code == 200
    assert reply.headers["ce-type"] == "mystore.notification.v1.GetNotificationResponse"
    notification = reply.get_json()["notification"]
    assert notification["orderId"] == event["orderId"] and notification["sentAt"].endswith("Z")
    assert set(notification) == {"orderId", "sentAt"}  # the email stays in the notification service


@pytest.mark.parametrize("mode", MODES)
def test_an_order_not_confirmed_yet_is_404_and_a_bad_id_is_400(database_url, mode):
    missing = post_event("notification-get", type=GET, data={"orderId": str(uuid.uuid4())}, mode=mode)
    assert missing.status_code == 404 and missing.get_json()["code"] == "NOT_FOUND"
    assert post_event("notification-get", type=GET, data={"orderId": "42"}, mode=mode).status_code == 400
