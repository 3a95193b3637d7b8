"""/api/orders and /api/orders/{id}: placing orders, history and one order."""

from typing import Any

import flask
from google.protobuf.json_format import MessageToDict

from mystore.common.v1.address_pb2 import ShippingAddress
from mystore.order.v1 import order_pb2 as orders
from mystore.shipping.v1 import shipping_pb2 as shipping
from mystore_edges.bff.rest import current_user, json_body, json_response, money_json
from mystore_kit.addresses import JSON_NAMES, field_problem
from mystore_kit.client import call
from mystore_kit.errors import invalid
from mystore_services.orders.status import OrderStatus

INT32_MAX = 2**31 - 1


def address_json(address: ShippingAddress) -> dict[str, str]:
    return {json_name: getattr(address, name) for name, json_name in JSON_NAMES.items()}


def order_address_json(order: orders.Order) -> dict[str, str] | None:
    """Where the order ships; None for an order placed before the store asked."""
    return address_json(order.shipping_address) if order.HasField("shipping_address") else None


def shipment_json(shipment: shipping.Shipment) -> dict[str, Any]:
    return {
        "trackingId": shipment.tracking_id,
        "createdAt": MessageToDict(shipment.created_at),
        "shippingAddress": None if shipment.address_missing else address_json(shipment.shipping_address),
        "addressMissing": shipment.address_missing,
    }


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
        "shippingAddress": order_address_json(order),
        "shipment": None if shipment is None else shipment_json(shipment),
    }


def order_lines(items: list) -> list[orders.LineRequest]:
    """The items as the client sent them; any price it sent is ignored (the catalog prices)."""
    lines = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise invalid(f"items[{index}] must be an object with productId and quantity")
        product_id, quantity = item.get("productId"), item.get("quantity")
        if isinstance(quantity, float) and quantity.is_integer():
            quantity = int(quantity)  # 2.0 is the integer 2 in JSON (and in JSON Schema)
        if not isinstance(product_id, str):
            raise invalid(f"items[{index}].productId must be a string")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or abs(quantity) > INT32_MAX:
            raise invalid(f"items[{index}].quantity must be an integer from 1 to 100")
        lines.append(orders.LineRequest(product_id=product_id, quantity=quantity))
    return lines


def shipping_address(body: dict[str, Any]) -> ShippingAddress | None:
    """The body's shippingAddress as sent: an object of strings (order-create checks the rules)."""
    given = body.get("shippingAddress")
    if given is None:
        return None  # order-create answers that it is required
    if not isinstance(given, dict):
        raise field_problem("shippingAddress", "must be an object: recipientName, line1, city, ...")
    fields = {json_name: name for name, json_name in JSON_NAMES.items()}
    values = {}
    for key, value in given.items():
        where = f"shippingAddress.{key[:40]}"
        if key not in fields:
            raise field_problem(where, f"is not an address field ({', '.join(fields)})")
        if value is not None and not isinstance(value, str):
            raise field_problem(where, "must be a string")
        values[fields[key]] = value or ""
    return ShippingAddress(**values)


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
            shipping_address=shipping_address(body),
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
