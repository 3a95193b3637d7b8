"""grpcurl, the command-line client (built by scripts/install-grpcurl), against grpc-api in-process:
services listed by reflection, then register, log in, create an order and read it back."""

import json
import subprocess
from functools import cache

import pytest

from tests.support import FUNCTIONS_DIR

INSTALL = FUNCTIONS_DIR.parent / "scripts" / "install-grpcurl"


@cache
def grpcurl_path() -> str:
    result = subprocess.run([str(INSTALL)], capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        pytest.fail(f"scripts/install-grpcurl failed:\n{result.stderr}")
    return result.stdout.strip()


@pytest.fixture
def grpcurl(server):
    """Runs grpcurl -plaintext against the server; returns stdout, parsed as JSON when it is."""
    path = grpcurl_path()

    def run(*arguments: str, data: dict | None = None, token: str = "") -> str | dict:
        command = [path, "-plaintext"]
        if token:
            command += ["-H", f"authorization: Bearer {token}"]
        if data is not None:
            command += ["-d", json.dumps(data)]
        command += [f"127.0.0.1:{server.port}", *arguments]
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}{result.stderr}"
        return json.loads(result.stdout) if result.stdout.startswith("{") else result.stdout

    return run


def test_grpcurl_lists_registers_logs_in_orders_and_reads_back(grpcurl, products):
    listed = grpcurl("list").split()
    assert {
        "mystore.auth.v1.AuthService",
        "mystore.catalog.v1.CatalogService",
        "mystore.order.v1.OrderService",
        "mystore.shipping.v1.ShippingService",
        "mystore.analytics.v1.AnalyticsService",
        "grpc.health.v1.Health",
    } <= set(listed)
    assert "rpc CreateOrder" in grpcurl("describe", "mystore.order.v1.OrderService")

    credentials = {"email": "grace@example.com", "password": "p4ssword!"}
    user = grpcurl("mystore.auth.v1.AuthService/Register", data=credentials)["user"]
    login = grpcurl("mystore.auth.v1.AuthService/Login", data=credentials)
    assert login["user"]["id"] == user["id"] and login["token"]

    items = [{"product_id": products[0].id, "quantity": 2}]  # grpcurl speaks proto field names
    to = {"recipient_name": "Grace Hopper", "line1": "1 Navy Way", "city": "Arlington", "country": "us"}
    to |= {"region": "VA", "postal_code": "22202"}
    created = grpcurl(
        "mystore.order.v1.OrderService/CreateOrder",
        data={"items": items, "shipping_address": to},
        token=login["token"],
    )
    order = created["order"]
    assert created["created"] and order["user_id"] == user["id"] and order["status"] == "ORDER_STATUS_PENDING"
    assert int(order["total"]["amount_minor"]) == 2 * products[0].price.amount_minor
    assert order["shipping_address"] == {**to, "country": "US"}

    read = grpcurl(
        "mystore.order.v1.OrderService/GetOrder", data={"order_id": order["id"]}, token=login["token"]
    )
    assert read["order"] == order
    health = grpcurl("grpc.health.v1.Health/Check")
    assert health == {"status": "SERVING"}
