"""/api/orders/{id}/events (live status, Server-Sent Events) and /api/analytics/summary (admins)."""

import json
import time
from collections.abc import Iterator

import flask

from bff.order_routes import money_json
from bff.rest import admin_user, current_user, json_response
from kit.client import call
from kit.errors import Problem
from mystore.analytics.v1 import analytics_pb2 as analytics
from mystore.order.v1 import order_pb2 as orders

STREAM_SECONDS = 30  # then the browser's EventSource reconnects (the stream starts with the state)
CHECK_EVERY_SECONDS = 0.25
KEEPALIVE_SECONDS = 10


def status_of(user_id: str, order_id: str) -> dict:
    order = call(
        "order-get", orders.GetOrderRequest(user_id=user_id, order_id=order_id), orders.GetOrderResponse
    ).order
    return {
        "status": orders.OrderStatus.Name(order.status).removeprefix("ORDER_STATUS_"),
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
        while current["status"] != "SHIPPED" and time.monotonic() < deadline:
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


def analytics_summary(request: flask.Request) -> flask.Response:
    admin_user(request)
    summary = call("analytics-summary", analytics.GetSummaryRequest(), analytics.GetSummaryResponse)
    return json_response(
        {
            "orderCount": int(summary.order_count),
            "unitsSold": int(summary.units_sold),
            "revenue": money_json(summary.revenue),
            "topProducts": [
                {
                    "productId": p.product_id,
                    "productName": p.product_name,
                    "units": int(p.units),
                    "revenue": money_json(p.revenue),
                }
                for p in summary.top_products
            ],
            "ordersOverTime": [
                {
                    "minute": m.minute.ToDatetime().strftime("%Y-%m-%dT%H:%M:00Z"),
                    "orders": int(m.orders),
                    "revenue": money_json(m.revenue),
                }
                for m in summary.orders_over_time
            ],
        }
    )
