"""The order journey's reads over gRPC: an order's notification and when analytics counted it."""

import uuid

import grpc

from mystore.analytics.v1 import analytics_pb2
from mystore.common.v1.event_pb2 import EventKey
from mystore.notification.v1 import notification_pb2
from mystore.order.v1 import order_pb2
from mystore_kit.events import publisher
from tests.edges.grpc_api.calls import failure, place_order


def test_a_user_follows_their_order_to_notification_and_analytics(api, user, products):
    order = place_order(api, user, products)
    publisher.publish("orders")  # OrderCreated to its subscribers, as the relay would
    got = api.orders.GetOrder(
        order_pb2.GetOrderRequest(order_id=order.id, with_journey=True), metadata=user.auth
    )
    key = got.journey.order_created
    assert key.source == "/mystore/order" and key.id
    sent = api.notification.GetNotification(
        notification_pb2.GetNotificationRequest(order_id=order.id), metadata=user.auth
    ).notification
    assert sent.order_id == order.id and sent.sent_at.seconds > 0
    counted = api.analytics.GetOrderCounted(
        analytics_pb2.GetOrderCountedRequest(order_created=key), metadata=user.auth
    )
    assert counted.counted_at.seconds > 0


def test_not_yet_is_not_found_and_signing_in_is_required(api, user):
    request = notification_pb2.GetNotificationRequest(order_id=str(uuid.uuid4()))
    assert failure(api.notification.GetNotification, request, metadata=user.auth).code() == (
        grpc.StatusCode.NOT_FOUND
    )
    assert failure(api.notification.GetNotification, request).code() == grpc.StatusCode.UNAUTHENTICATED
    counted = analytics_pb2.GetOrderCountedRequest(order_created=EventKey(source="/mystore/order", id="x"))
    assert failure(api.analytics.GetOrderCounted, counted, metadata=user.auth).code() == (
        grpc.StatusCode.NOT_FOUND
    )
