"""OrderService over gRPC: signed-in users only; the user comes from the token, never the request."""

import uuid

import grpc
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import select

from mystore.order.v1 import order_pb2 as pb
from mystore_kit import tokens
from mystore_kit.database import unit_of_work
from mystore_kit.events.outbox import OutboxEvent
from tests.addresses import ADDRESS, address_message
from tests.edges.grpc_api.calls import bearer, failure, place_order, sign_up

SOMEONE_ELSE = str(uuid.uuid4())


def test_create_order_prices_from_the_catalog_for_the_signed_in_user(api, user, products):
    first, second = products[:2]
    request = pb.CreateOrderRequest(
        user_id=SOMEONE_ELSE,  # ignored: the token says who orders
        user_email="victim@example.com",
        items=[
            pb.LineRequest(product_id=first.id, quantity=2),
            pb.LineRequest(product_id=second.id, quantity=1),
        ],
        shipping_address=address_message(),
    )
    reply = api.orders.CreateOrder(request, metadata=user.auth)
    order = reply.order
    assert reply.created and order.user_id == user.id
    assert order.status == pb.ORDER_STATUS_PENDING
    assert order.total.amount_minor == 2 * first.price.amount_minor + second.price.amount_minor
    assert [(i.product_id, i.quantity) for i in order.items] == [(first.id, 2), (second.id, 1)]
    with unit_of_work("orders") as session:
        (event,) = session.exec(select(OutboxEvent)).all()
    assert event.subject == order.id and f'"userEmail":"{user.email}"'.encode() in event.data
    assert f'"userId":"{user.id}"'.encode() in event.data


def test_the_same_idempotency_key_returns_the_same_order(api, user, products):
    request = pb.CreateOrderRequest(
        items=[pb.LineRequest(product_id=products[0].id, quantity=1)],
        idempotency_key="checkout-1",
        shipping_address=address_message(),
    )
    first = api.orders.CreateOrder(request, metadata=user.auth)
    again = api.orders.CreateOrder(request, metadata=user.auth)
    assert first.created and not again.created and again.order.id == first.order.id
    request.items[0].quantity = 2
    error = failure(api.orders.CreateOrder, request, metadata=user.auth)
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error.details() == "this Idempotency-Key was used for a different order"


@pytest.mark.parametrize(
    ("items", "detail"),
    [
        ([], "an order needs at least one item"),
        ([pb.LineRequest(product_id="nope", quantity=1)], "productId 'nope' is not a UUID"),
        ([pb.LineRequest(product_id=str(uuid.uuid4()), quantity=0)], "quantity must be 1 to 100, got 0"),
    ],
)
def test_bad_items_are_invalid_argument(api, user, items, detail):
    request = pb.CreateOrderRequest(items=items, shipping_address=address_message())
    error = failure(api.orders.CreateOrder, request, metadata=user.auth)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and detail in error.details()


def test_an_unknown_product_is_not_found(api, user):
    items = [pb.LineRequest(product_id=str(uuid.uuid4()), quantity=1)]
    request = pb.CreateOrderRequest(items=items, shipping_address=address_message())
    error = failure(api.orders.CreateOrder, request, metadata=user.auth)
    assert error.code() == grpc.StatusCode.NOT_FOUND and "unknown product" in error.details()


def test_the_address_is_stored_and_read_back_over_grpc(api, user, products):
    placed = place_order(api, user, products)
    assert placed.shipping_address == address_message()
    read = api.orders.GetOrder(pb.GetOrderRequest(order_id=placed.id), metadata=user.auth).order
    assert read.shipping_address.line1 == ADDRESS["line1"]


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        (None, "shippingAddress is required: where should the order ship?"),
        ({"recipientName": ""}, "shippingAddress.recipientName is required"),
        ({"line1": "x" * 101}, "shippingAddress.line1 is longer than 100 characters"),
        ({"city": "y" * 81}, "shippingAddress.city is longer than 80 characters"),
        ({"country": "XX"}, "shippingAddress.country 'XX' is not an ISO 3166-1 alpha-2 code (like DE)"),
        ({"postalCode": "ABCDE"}, "shippingAddress.postalCode 'ABCDE' is not a postal code of DE"),
        ({"country": "US", "postalCode": "94105"}, "shippingAddress.region is required for US"),
        ({"phone": "call me"}, "shippingAddress.phone needs at least 5 digits"),
    ],
)
def test_the_address_rules_hold_over_grpc(api, user, products, changes, detail):
    request = pb.CreateOrderRequest(items=[pb.LineRequest(product_id=products[0].id, quantity=1)])
    if changes is not None:
        request.shipping_address.CopyFrom(address_message(**changes))
    error = failure(api.orders.CreateOrder, request, metadata=user.auth)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and error.details().startswith(detail)


AUTHORIZATIONS = {
    "none": [],
    "empty bearer": [("authorization", "Bearer ")],
    "basic": [("authorization", "Basic dXNlcjpwYXNz")],
    "bad token": [("authorization", "Bearer not-a-jwt")],
}
CALLS = {
    "CreateOrder": ("CreateOrder", pb.CreateOrderRequest(items=[pb.LineRequest(quantity=1)])),
    "ListOrders": ("ListOrders", pb.ListOrdersRequest(user_id=SOMEONE_ELSE)),
    "GetOrder": ("GetOrder", pb.GetOrderRequest(user_id=SOMEONE_ELSE, order_id=str(uuid.uuid4()))),
}


@pytest.mark.parametrize("authorization", AUTHORIZATIONS.values(), ids=AUTHORIZATIONS.keys())
@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_every_order_method_needs_a_valid_bearer_token(api, call, authorization):
    method, request = call
    error = failure(getattr(api.orders, method), request, metadata=authorization)
    assert error.code() == grpc.StatusCode.UNAUTHENTICATED
    assert "sign in first" in error.details() or error.details() == "invalid or expired session token"


def test_a_token_for_the_user_signed_by_another_key_is_unauthenticated(api, user):
    claims = jwt.decode(user.token, options={"verify_signature": False})
    forged = jwt.encode(
        claims,
        Ed25519PrivateKey.generate(),
        algorithm="EdDSA",
        headers={"kid": tokens.key_id(tokens.public_key())},
    )
    error = failure(api.orders.ListOrders, pb.ListOrdersRequest(), metadata=bearer(forged))
    assert error.code() == grpc.StatusCode.UNAUTHENTICATED


def test_list_orders_is_the_users_own_history_newest_first_in_pages(api, user, products):
    placed = [place_order(api, user, products, quantity=n) for n in (1, 2, 3)]
    place_order(api, sign_up(api), products)  # another user's order is not listed
    first = api.orders.ListOrders(pb.ListOrdersRequest(user_id=SOMEONE_ELSE, limit=2), metadata=user.auth)
    assert [o.id for o in first.orders] == [placed[2].id, placed[1].id] and first.next_cursor
    rest = api.orders.ListOrders(pb.ListOrdersRequest(limit=2, cursor=first.next_cursor), metadata=user.auth)
    assert [o.id for o in rest.orders] == [placed[0].id] and rest.next_cursor == ""


@pytest.mark.parametrize(
    ("request_", "detail"),
    [
        (pb.ListOrdersRequest(limit=101), "limit must be 1 to 100"),
        (pb.ListOrdersRequest(cursor="!!"), "cursor is not one this API gave out"),
    ],
)
def test_a_bad_page_is_invalid_argument(api, user, request_, detail):
    error = failure(api.orders.ListOrders, request_, metadata=user.auth)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and error.details() == detail


def test_get_order_returns_the_users_own_order(api, user, products):
    placed = place_order(api, user, products)
    request = pb.GetOrderRequest(user_id=SOMEONE_ELSE, order_id=placed.id)
    assert api.orders.GetOrder(request, metadata=user.auth).order == placed


def test_another_users_order_is_not_found(api, user, products):
    theirs = place_order(api, sign_up(api), products)
    for order_id in (theirs.id, str(uuid.uuid4())):
        request = pb.GetOrderRequest(user_id=theirs.user_id, order_id=order_id)
        error = failure(api.orders.GetOrder, request, metadata=user.auth)
        assert error.code() == grpc.StatusCode.NOT_FOUND
        assert error.details() == f"order {order_id} not found"
