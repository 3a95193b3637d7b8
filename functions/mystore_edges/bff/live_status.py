"""/api/orders/{id}/events: an order's live status, as Server-Sent Events, pushed by events.

A stream subscribes to the order in this process's hub (watchers), then reads the order once
(order-get: the current state, and a 404 for another user's order), sends it, and from then on
waits: the bff-on-order-status subscription delivers each mystore.order.v1.OrderStatusChanged to
this function (POST /, `status_changed`), which wakes the streams of that order; each reads the
order again (one order-get per change, never on a timer) and sends it if it changed. The event
rings, the orders service tells: a forged event on the public sink changes nothing anyone sees.
Subscribing before the read means a change in between is not missed. docs/live-status.md tells
the design and its limits.
"""

import json
import time
from collections.abc import Iterator
from typing import Any

import flask

from mystore.order.v1 import events_pb2 as events
from mystore.order.v1 import order_pb2 as orders
from mystore_edges.bff.rest import current_user, json_response
from mystore_edges.bff.watchers import Watch, watchers
from mystore_kit.client import call
from mystore_kit.cloudevent import decode_event, parse_event
from mystore_kit.errors import Problem, invalid
from mystore_kit.inputs import read_body
from mystore_services.orders.status import OrderStatus

# Then the browser's EventSource reconnects (the new stream starts with the state); below the
# chart's timeoutSeconds of the bff (300), which would cut it otherwise.
STREAM_SECONDS = 240
KEEPALIVE_SECONDS = 10


State = dict[str, Any]  # {"status": ..., "trackingId": ...}, as the stream sends it


def status_of(user_id: str, order_id: str) -> State:
    order = call(
        "order-get", orders.GetOrderRequest(user_id=user_id, order_id=order_id), orders.GetOrderResponse
    ).order
    return {"status": OrderStatus.from_proto(order.status), "trackingId": order.tracking_id or None}


def sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


def order_events(request: flask.Request, order_id: str) -> flask.Response:
    """The order's status now, then every change, until it is SHIPPED (or the stream's time is up)."""
    user = current_user(request)
    watch = watchers.subscribe(order_id=order_id, user_id=user.id)  # first: no change slips by
    try:
        first = status_of(user.id, order_id)  # 404 for another user's order, before the stream starts
    except BaseException:
        watchers.unsubscribe(watch)
        raise
    response = flask.Response(stream(watch, first), mimetype="text/event-stream")
    response.call_on_close(lambda: watchers.unsubscribe(watch))  # also when the stream never ran
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Accel-Buffering"] = "no"
    return response


def stream(watch: Watch, current: State) -> Iterator[str]:
    yield "retry: 1000\n\n"
    yield sse("status", current)
    deadline = time.monotonic() + STREAM_SECONDS
    while current["status"] != OrderStatus.SHIPPED:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        if not watch.wait(timeout=min(KEEPALIVE_SECONDS, left)):
            yield ": keep-alive\n\n"  # also how a closed browser is noticed: the write fails
            continue
        try:
            latest = status_of(watch.user_id, watch.order_id)
        except Problem:
            continue  # a passing fault: the next change, or the reconnect, reads it again
        if latest != current:
            current = latest
            yield sse("status", current)


def status_changed(request: flask.Request) -> flask.Response:
    """POST /: the sink of bff-on-order-status. Wakes the order's streams in this process; 2xx
    whether or not anyone watches (a status event is news, not a task: nothing to retry)."""
    event = parse_event(request.headers, read_body(request))
    change = decode_event(event, events.OrderStatusChanged)
    known = {status.to_proto() for status in OrderStatus}
    if not change.order_id or not change.user_id or change.status not in known:
        raise invalid("an OrderStatusChanged needs orderId, userId and a known status")
    return json_response({"status": "delivered", "streams": watchers.ring(change.order_id)})
