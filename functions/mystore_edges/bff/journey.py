"""/api/orders/{id}/journey: each step of an order's way through the store, with its time.

Composed from the services that saw each step (no service reads another's tables): orders (placed,
the OrderCreated event published, SHIPPED, the trace id), shipping (the event received, the
shipment created), notification (the confirmation sent) and analytics (the order counted). A step
not reached yet is null; a service that has no record of the step yet answers NOT_FOUND.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

import flask
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from mystore.analytics.v1 import analytics_pb2 as analytics
from mystore.notification.v1 import notification_pb2 as notification
from mystore.order.v1 import order_pb2 as orders
from mystore.shipping.v1 import shipping_pb2 as shipping
from mystore_edges.bff.rest import current_user, json_response
from mystore_kit.client import call
from mystore_kit.errors import Code, Problem
from mystore_kit.settings import get_settings
from mystore_services.orders.status import OrderStatus

STEPS = ("placed", "published", "shipping", "notification", "analytics", "shipment", "shipped")


def unless_not_found(read: Callable[[], Message]) -> Message | None:
    """The reply, or None where the service has no record yet."""
    try:
        return read()
    except Problem as problem:
        if problem.code is Code.NOT_FOUND:
            return None
        raise


def moment(message: Message | None, field: str) -> datetime | None:
    """The Timestamp `field` of `message` as a naive UTC datetime; None when either is absent."""
    if message is None or not message.HasField(field):
        return None
    value: Timestamp = getattr(message, field)
    return value.ToDatetime()


def step_json(name: str, at: datetime | None, placed: datetime) -> dict[str, Any]:
    return {
        "step": name,
        "at": None if at is None else at.isoformat(timespec="microseconds") + "Z",
        "afterMs": None if at is None else round((at - placed).total_seconds() * 1000, 1),
    }


def trace_url(trace_id: str) -> str | None:
    base = get_settings().trace_ui_url.rstrip("/")
    return f"{base}/traces/{trace_id}" if base and trace_id else None


def order_journey(request: flask.Request, order_id: str) -> flask.Response:
    user = current_user(request)
    reply = call(
        "order-get",
        orders.GetOrderRequest(user_id=user.id, order_id=order_id, with_journey=True),
        orders.GetOrderResponse,
    )  # another user's order is NOT_FOUND, as in GET /api/orders/{id}
    order, journey = reply.order, reply.journey
    key = journey.order_created if journey.HasField("order_created") else None
    shipment_request = shipping.GetShipmentRequest(order_id=order.id)
    if key is not None:
        shipment_request.order_created.CopyFrom(key)
    shipment = unless_not_found(lambda: call("shipping-get", shipment_request, shipping.GetShipmentResponse))
    sent = unless_not_found(
        lambda: call(
            "notification-get",
            notification.GetNotificationRequest(order_id=order.id),
            notification.GetNotificationResponse,
        )
    )
    counted = None
    if key is not None:  # analytics knows events, not orders
        counted = unless_not_found(
            lambda: call(
                "analytics-order-get",
                analytics.GetOrderCountedRequest(order_created=key),
                analytics.GetOrderCountedResponse,
            )
        )
    placed = order.created_at.ToDatetime()
    times = {
        "placed": placed,
        "published": moment(journey, "event_published_at"),
        "shipping": moment(shipment, "order_created_received_at"),
        "notification": moment(sent and sent.notification, "sent_at"),
        "analytics": moment(counted, "counted_at"),
        "shipment": moment(shipment and shipment.shipment, "created_at"),
        "shipped": moment(journey, "shipped_at"),
    }
    steps = [step_json(name, times[name], placed) for name in STEPS]
    return json_response(
        {
            "orderId": order.id,
            "status": OrderStatus.from_proto(order.status),
            "steps": steps,
            "complete": all(step["at"] is not None for step in steps),
            "traceId": journey.trace_id or None,
            "traceUrl": trace_url(journey.trace_id),
        }
    )
