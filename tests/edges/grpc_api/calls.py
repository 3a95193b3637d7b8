"""Calls tests of grpc-api make: sign up and log in, place an order, expect a failure."""

import uuid
from types import SimpleNamespace

import grpc
import pytest

from mystore.auth.v1 import auth_pb2
from mystore.order.v1 import order_pb2
from tests.addresses import address_message

PASSWORD = "p4ssword!"


def bearer(token: str) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {token}")]


def sign_up(api, email: str | None = None) -> SimpleNamespace:
    """Registers and logs in a new user: its id, email, token and `authorization` metadata."""
    email = email or f"{uuid.uuid4().hex[:12]}@example.com"
    api.auth.Register(auth_pb2.RegisterRequest(email=email, password=PASSWORD))
    login = api.auth.Login(auth_pb2.LoginRequest(email=email, password=PASSWORD))
    return SimpleNamespace(
        id=login.user.id, email=login.user.email, token=login.token, auth=bearer(login.token)
    )


def place_order(api, user, products, quantity: int = 1) -> order_pb2.Order:
    request = order_pb2.CreateOrderRequest(
        items=[order_pb2.LineRequest(product_id=products[0].id, quantity=quantity)],
        shipping_address=address_message(),
    )
    return api.orders.CreateOrder(request, metadata=user.auth).order


def failure(call, *args, **kwargs) -> grpc.RpcError:
    """The RpcError `call` fails with (the test fails if it succeeds)."""
    with pytest.raises(grpc.RpcError) as raised:
        call(*args, **kwargs)
    return raised.value
