"""/api/orders/{id}/events: an order's live status, as Server-Sent Events."""

import json
import time
from collections.abc import Iterator

import flask

from mystore.order.v1 import order_pb2 as orders
from mystore_edges.bff.rest import current_user
from mystore_kit.client import call
from mystore_kit.errors import Problem
from mystore_services.orders.status import OrderStatus

STREAM_SECONDS = 30  # then the browser's EventSource reconnects (the stream starts with the state)
CHECK_EVERY_SECONDS = 0.25
KEEPALIVE_SECONDS = 10


def status_of(user_id: str, order_id: str) -> dict:
    order = call(
        "order-get", orders.GetOrderRequest(user_id=user_id, order_id=order_id), orders.GetOrderResponse
    ).order
    return {
        "status": OrderStatus.from_proto(order.status),
        "trackingId": order.tracking_id or None,
    }


def sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


def order_events(request: flask.Request, order_id: str) -> flask.Response:
    """The order's status now, then every change, until it is SHIPPED (or the stream's time is up).

    The BFF watches the order service for the browser; the storefront never polls.
    """
    user = current_user(request)
    first = status_of(user.id, order_id)  # 404 for another user's order, before the stream starts

    def stream() -> Iterator[str]:
        yield "retry: 1000\n\n"
        current = first
        yield sse("status", current)
        deadline = time.monotonic() + STREAM_SECONDS
        quiet_since = time.monotonic()
        while current["status"] != OrderStatus.SHIPPED and time.monotonic() < deadline:
            time.sleep(CHECK_EVERY_SECONDS)
            try:
                latest = status_of(user.id, order_id)
            except Problem:
                continue  # a passing fault: keep the stream, try again
            if latest != current:
                current = latest
                yield sse("status", current)
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since > KEEPALIVE_SECONDS:
                yield ": keep-alive\n\n"
                quiet_since = time.monotonic()

    response = flask.Response(flask.stream_with_context(stream()), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Accel-Buffering"] = "no"
    return response
