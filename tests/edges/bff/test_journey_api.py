"""GET /api/orders/{id}/journey: each step of an order with its time, composed from four services."""

import pytest

from mystore_kit.events import publisher
from mystore_kit.settings import get_settings
from tests.edges.bff.test_order_api import conforms, place, sign_in


@pytest.fixture
def products(bff, database_url):
    return bff.get("/api/products").get_json()["products"]


@pytest.fixture
def shopper(bff, products):
    sign_in(bff, "journey@example.com")
    return bff


STEPS = ["placed", "published", "shipping", "notification", "analytics", "shipment", "shipped"]


def journey(client, order_id):
    response = client.get(f"/api/orders/{order_id}/journey")
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert conforms(body, "OrderJourney") and [s["step"] for s in body["steps"]] == STEPS
    return body


def times(body):
    return {step["step"]: step["at"] for step in body["steps"]}


def test_a_placed_order_has_only_its_first_step_then_every_step_once_delivered(shopper, products):
    order_id = place(shopper, products)["id"]
    pending = journey(shopper, order_id)
    assert pending["status"] == "PENDING" and pending["complete"] is False
    assert [name for name, at in times(pending).items() if at] == ["placed"]
    assert pending["steps"][0]["afterMs"] == 0
    publisher.publish("orders")  # OrderCreated to the three subscribers (the fast path is off in tests)
    halfway = journey(shopper, order_id)
    assert [name for name, at in times(halfway).items() if not at] == ["shipped"]
    publisher.publish("shipping")  # ShipmentCreated to order-on-shipment-created
    done = journey(shopper, order_id)
    assert done["status"] == "SHIPPED" and done["complete"] is True
    assert all(step["afterMs"] >= 0 for step in done["steps"])
    assert done["steps"][-1]["afterMs"] >= done["steps"][-2]["afterMs"]  # shipped after the shipment


def test_the_trace_link_is_there_only_when_the_trace_ui_is_known(shopper, products, spans, monkeypatch):
    order_id = place(shopper, products)["id"]
    traced = journey(shopper, order_id)
    assert len(traced["traceId"]) == 32 and traced["traceUrl"] is None
    monkeypatch.setenv("MYSTORE_TRACE_UI_URL", "http://127.0.0.1:9411/zipkin/")
    get_settings.cache_clear()
    linked = journey(shopper, order_id)
    assert linked["traceUrl"] == f"http://127.0.0.1:9411/zipkin/traces/{traced['traceId']}"
    get_settings.cache_clear()


@pytest.mark.parametrize("order_id", ["00000000-0000-4000-8000-000000000000", "not-a-uuid"])
def test_an_unknown_order_is_404(shopper, products, order_id):
    response = shopper.get(f"/api/orders/{order_id}/journey")
    assert response.status_code == 404 and response.get_json()["code"] == "NOT_FOUND"


def test_another_users_order_is_404_and_a_session_is_needed(bff, shopper, products):
    order_id = place(shopper, products)["id"]
    bff.post("/api/auth/logout")
    assert bff.get(f"/api/orders/{order_id}/journey").status_code == 401
    sign_in(bff, "someone-else@example.com")
    response = bff.get(f"/api/orders/{order_id}/journey")
    assert response.status_code == 404 and response.get_json()["code"] == "NOT_FOUND"
