"""/api/orders and /api/orders/{id}: placing orders, history and one order."""

from typing import Any

import flask
from google.protobuf.json_format import MessageToDict

from mystore.order.v1 import order_pb2 as orders
from mystore.shipping.v1 import shipping_pb2 as shipping
from mystore_edges.bff.rest import current_user, json_body, json_response, money_json
from mystore_kit.client import call
from mystore_kit.errors import invalid
from mystore_services.orders.status import OrderStatus

INT32_MAX = 2**31 - 1


def order_json(order: orders.Order, shipment: shipping.Shipment | None = None) -> dict[str, Any]:
    return {
        "id": order.id,
        "status": OrderStatus.from_proto(order.status),
        "createdAt": MessageToDict(order.created_at),
        "total": money_json(order.total),
        "items": [
            {
                "productId": item.product_id,
                "productName": item.product_name,
                "quantity": item.quantity,
                "unitPrice": money_json(item.unit_price),
                "lineTotal": money_json(item.line_total),
            }
            for item in order.items
        ],
        "trackingId": order.tracking_id or None,
        "shipment": None
        if shipment is None
        else {"trackingId": shipment.tracking_id, "createdAt": MessageToDict(shipment.created_at)},
    }


def order_lines(items: list) -> list[orders.LineRequest]:
    """The items as the client sent them; any price it sent is ignored (the catalog prices)."""
    lines = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise invalid(f"items[{index}] must be an object with productId and quantity")
        product_id, quantity = item.get("productId"), item.get("quantity")
        if not isinstance(product_id, str):
            raise invalid(f"items[{index}].productId must be a string")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or abs(quantity) > INT32_MAX:
            raise invalid(f"items[{index}].quantity must be an integer from 1 to 100")
        lines.append(orders.LineRequest(product_id=product_id, quantity=quantity))
    return lines


def create_order(request: flask.Request) -> flask.Response:
    user = current_user(request)
    body = json_body(request, items=list)
    reply = call(
        "order-create",
        orders.CreateOrderRequest(
            user_id=user.id,
            user_email=user.email,
            items=order_lines(body["items"]),
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        ),
        orders.CreateOrderResponse,
    )
    response = json_response(order_json(reply.order), status=201)
    if not reply.created:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def list_orders(request: flask.Request) -> flask.Response:
    user = current_user(request)
    try:
        limit = int(request.args.get("limit", "20"))
    except ValueError:
        raise invalid("limit must be an integer from 1 to 100") from None
    if not 1 <= limit <= 100:
        raise invalid("limit must be an integer from 1 to 100")
    reply = call(
        "order-list",
        orders.ListOrdersRequest(user_id=user.id, limit=limit, cursor=request.args.get("cursor", "")),
        orders.ListOrdersResponse,
    )
    return json_response(
        {"orders": [order_json(o) for o in reply.orders], "nextCursor": reply.next_cursor or None}
    )


def get_order(request: flask.Request, order_id: str) -> flask.Response:
    user = current_user(request)
    order = call(
        "order-get", orders.GetOrderRequest(user_id=user.id, order_id=order_id), orders.GetOrderResponse
    ).order
    shipment = None
    if order.tracking_id:
        shipment = call(
            "shipping-get",
            shipping.GetShipmentRequest(tracking_id=order.tracking_id),
            shipping.GetShipmentResponse,
        ).shipment
    return json_response(order_json(order, shipment))
