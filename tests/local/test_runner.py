"""./scripts/dev's default: every function its own process, SQLite, events delivered directly."""

import json
import os
import signal

import pytest
import requests

from mystore_kit.declaration import load_declaration
from tests.local.stack import BFF, Shopper, Stack, function_port, wait_for


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("embedded")).start()
    yield running
    running.stop()
    assert running.processes["runner"].returncode == 0


def test_the_runner_prints_every_function_with_its_url(stack):
    printed = stack.log("runner")
    for function in load_declaration().functions:
        assert f"127.0.0.1:{function.port}" in printed and function.name in printed


def test_register_login_me_through_the_bff(stack):
    session = requests.Session()
    created = session.post(
        f"{BFF}/api/auth/register", json={"email": "Eve@Example.com", "password": "p4ssword!"}
    )
    assert created.status_code == 201
    taken = session.post(
        f"{BFF}/api/auth/register", json={"email": "eve@EXAMPLE.com", "password": "p4ssword!"}
    )
    assert taken.status_code == 409 and taken.headers["Content-Type"] == "application/problem+json"
    logged_in = session.post(
        f"{BFF}/api/auth/login", json={"email": "eve@example.com", "password": "p4ssword!"}
    )
    assert logged_in.status_code == 200 and "mystore_session" in session.cookies
    assert session.get(f"{BFF}/api/me").json()["email"] == "eve@example.com"
    token = logged_in.json()["token"]
    assert requests.get(f"{BFF}/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_cloudevent_straight_to_auth_register_in_both_modes(stack):
    url = f"http://127.0.0.1:{function_port('auth-register')}"
    data = {"email": "f1@example.com", "password": "p4ssword!"}
    binary = requests.post(
        url,
        data=json.dumps(data),
        headers={
            "ce-specversion": "1.0",
            "ce-id": "1",
            "ce-source": "/curl",
            "ce-type": "mystore.auth.v1.RegisterRequest",
            "Content-Type": "application/json",
        },
    )
    assert binary.status_code == 200 and binary.headers["ce-type"] == "mystore.auth.v1.RegisterResponse"
    envelope = {
        "specversion": "1.0",
        "id": "2",
        "source": "/curl",
        "type": "mystore.auth.v1.RegisterRequest",
        "datacontenttype": "application/json",
        "data": {**data, "email": "f2@example.com"},
    }
    structured = requests.post(
        url, data=json.dumps(envelope), headers={"Content-Type": "application/cloudevents+json"}
    )
    assert structured.status_code == 200 and structured.json()["user"]["email"] == "f2@example.com"


def test_without_a_broker_an_order_is_shipped_notified_and_counted_once(stack):
    shopper = Shopper("embedded@example.com")
    first, second = shopper.products()[:2]
    order = shopper.order(
        [{"productId": first["id"], "quantity": 2}, {"productId": second["id"], "quantity": 1}]
    )
    statuses = shopper.statuses(order["id"])
    assert statuses[0]["status"] in ("PENDING", "SHIPPED") and statuses[-1]["status"] == "SHIPPED"
    assert statuses[-1]["trackingId"].startswith("MS-")
    assert (
        stack.query("shipping", f"SELECT count(*) FROM shipments WHERE order_id = '{order['id']}'")[0][0] == 1
    )
    wait_for(lambda: stack.count("notification", "notifications") == 1, message="the notification")
    admin = Shopper("admin@example.com")
    summary = wait_for(lambda: (s := admin.summary())["orderCount"] == 1 and s, message="the count")
    assert summary["unitsSold"] == 3 and summary["revenue"]["amountMinor"] == order["total"]["amountMinor"]
    # Marked published by the fast path, at most MARK_EVERY_SECONDS after it sent them.
    unpublished = "SELECT count(*) FROM outbox WHERE published_at IS NULL"
    wait_for(lambda: stack.query("orders", unpublished)[0][0] == 0, seconds=10, message="the marks")


def test_a_function_killed_with_sigkill_is_restarted_and_serves_again_the_rest_unaffected(stack):
    before = stack.runner_children()
    assert set(before) == {f.name for f in load_declaration().functions}
    os.kill(before["catalog-list"], signal.SIGKILL)
    wait_for(
        lambda: "catalog-list was killed by SIGKILL" in stack.log("runner"), message="the runner to notice"
    )
    assert requests.get(f"{BFF}/healthz", timeout=5).status_code == 200  # the BFF did not go down with it
    wait_for(lambda: "runner: restarted catalog-list" in stack.log("runner"), message="the restart")
    products = wait_for(
        lambda: (answer := requests.get(f"{BFF}/api/products", timeout=5)).status_code == 200 and answer,
        message="catalog-list to serve again",
    )
    assert products.json()["products"]
    after = stack.runner_children()
    assert after["catalog-list"] != before["catalog-list"]
    assert {name: pid for name, pid in after.items() if name != "catalog-list"} == {
        name: pid for name, pid in before.items() if name != "catalog-list"
    }
    assert stack.processes["runner"].poll() is None  # nothing else stopped
