import json

import jsonschema
import pytest
from sqlmodel import select

from mystore_edges.bff.app import openapi_document
from mystore_kit.database import unit_of_work
from mystore_services.orders.models import Order
from tests.addresses import ADDRESS, address
from tests.support import post_event


def sign_in(bff, email):
    bff.post("/api/auth/register", json={"email": email, "password": "correct horse"})
    assert bff.post("/api/auth/login", json={"email": email, "password": "correct horse"}).status_code == 200


@pytest.fixture
def products(bff, database_url):
    response = bff.get("/api/products")
    assert response.status_code == 200
    return response.get_json()["products"]


@pytest.fixture
def shopper(bff, products):
    sign_in(bff, "shopper@example.com")
    return bff


def place(shopper, products, shipping_address=ADDRESS):
    body = {"items": [{"productId": products[0]["id"], "quantity": 1}], "shippingAddress": shipping_address}
    response = shopper.post("/api/orders", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_products_have_integer_money(products):
    assert len(products) >= 12
    assert all(isinstance(p["price"]["amountMinor"], int) for p in products)


def test_an_order_with_two_lines_is_priced_by_the_server(shopper, products):
    first, second = products[0], products[1]
    response = shopper.post(
        "/api/orders",
        json={
            "items": [
                {"productId": first["id"], "quantity": 2, "price": {"amountMinor": 1, "currency": "EUR"}},
                {"productId": second["id"], "quantity": 1, "unitPrice": 1},
            ],
            "shippingAddress": ADDRESS,
        },
    )
    assert response.status_code == 201
    order = response.get_json()
    assert order["status"] == "PENDING" and order["trackingId"] is None
    assert order["total"] == {
        "amountMinor": 2 * first["price"]["amountMinor"] + second["price"]["amountMinor"],
        "currency": "EUR",
    }


@pytest.mark.parametrize(
    "items",
    [
        "quantity 0",
        "quantity 101",
        "51 lines",
        [{"productId": 5, "quantity": 1}],
        [{"productId": "x", "quantity": "1"}],
        [{"productId": "x", "quantity": 10**20}],
        [],
    ],
)
def test_bad_orders_are_400_problems(shopper, products, items):
    if items == "quantity 0":
        items = [{"productId": products[0]["id"], "quantity": 0}]
    elif items == "quantity 101":
        items = [{"productId": products[0]["id"], "quantity": 101}]
    elif items == "51 lines":
        items = [{"productId": products[i % len(products)]["id"], "quantity": 1} for i in range(51)]
    response = shopper.post("/api/orders", json={"items": items, "shippingAddress": ADDRESS})
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"


def test_the_same_idempotency_key_twice_is_one_order(shopper, products):
    body = {"items": [{"productId": products[0]["id"], "quantity": 1}], "shippingAddress": ADDRESS}
    first = shopper.post("/api/orders", json=body, headers={"Idempotency-Key": "checkout-1"})
    second = shopper.post("/api/orders", json=body, headers={"Idempotency-Key": "checkout-1"})
    assert first.status_code == second.status_code == 201
    assert first.get_json()["id"] == second.get_json()["id"]
    assert second.headers["Idempotent-Replayed"] == "true"
    with unit_of_work("orders") as session:
        assert len(session.exec(select(Order)).all()) == 1
    other = shopper.post(
        "/api/orders",
        json={"items": [{"productId": products[1]["id"], "quantity": 1}], "shippingAddress": ADDRESS},
        headers={"Idempotency-Key": "checkout-1"},
    )
    assert other.status_code == 422


def test_history_lists_the_order_and_another_user_gets_404(bff, shopper, products):
    order_id = place(shopper, products)["id"]
    history = shopper.get("/api/orders?limit=5").get_json()
    assert [o["id"] for o in history["orders"]] == [order_id] and history["nextCursor"] is None
    assert shopper.get(f"/api/orders/{order_id}").get_json()["id"] == order_id
    bff.post("/api/auth/logout")
    sign_in(bff, "someone-else@example.com")
    assert bff.get(f"/api/orders/{order_id}").status_code == 404
    assert bff.get("/api/orders").get_json()["orders"] == []


def test_orders_need_a_session(bff, products):
    assert bff.post("/api/orders", json={"items": []}).status_code == 401
    assert bff.get("/api/orders").status_code == 401
    assert bff.get("/api/orders/00000000-0000-4000-8000-000000000000").status_code == 401


@pytest.mark.parametrize("query", ["limit=0", "limit=abc", "limit=101", "cursor=@@@"])
def test_bad_paging_is_400(shopper, products, query):
    assert shopper.get(f"/api/orders?{query}").status_code == 400


def conforms(instance, schema_name):
    """`instance` is valid against the OpenAPI document's schema `schema_name`."""
    components = json.loads(openapi_document())["components"]
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": components}
    jsonschema.Draft202012Validator(schema).validate(instance)
    return True


def ping(relay):
    return post_event(relay, type="dev.knative.sources.ping", data={}, source="/tests/ping")


def test_the_order_and_then_its_shipment_show_where_it_ships(shopper, products):
    placed = place(shopper, products, address(country="de", postalCode=" 10117"))
    assert placed["shippingAddress"] == ADDRESS
    assert shopper.get("/api/orders").get_json()["orders"][0]["shippingAddress"] == ADDRESS
    ping("order-outbox-relay")  # OrderCreated → shipping-on-order-created
    ping("shipping-outbox-relay")  # ShipmentCreated → the order is SHIPPED
    shipped = shopper.get(f"/api/orders/{placed['id']}").get_json()
    assert shipped["status"] == "SHIPPED" and shipped["shippingAddress"] == ADDRESS
    shipment = shipped["shipment"]
    assert shipment["shippingAddress"] == ADDRESS and shipment["addressMissing"] is False
    assert conforms(placed, "Order") and conforms(shipped, "Order")


@pytest.mark.parametrize(
    ("shipping_address", "field", "detail"),
    [
        (None, "shippingAddress", "shippingAddress is required: where should the order ship?"),
        ("Berlin", "shippingAddress", "shippingAddress must be an object: recipientName, line1, city, ..."),
        (address(city=5), "shippingAddress.city", "shippingAddress.city must be a string"),
        (address(street="x"), "shippingAddress.street", "shippingAddress.street is not an address field"),
        (address(city=""), "shippingAddress.city", "shippingAddress.city is required"),
        (address(postalCode="1011"), "shippingAddress.postalCode", "shippingAddress.postalCode '1011' is"),
        (address(country="Germany"), "shippingAddress.country", "shippingAddress.country 'Germany' is not"),
    ],
)
def test_a_bad_address_is_a_400_problem_naming_the_field(shopper, products, shipping_address, field, detail):
    body = {"items": [{"productId": products[0]["id"], "quantity": 1}]}
    if shipping_address is not None:
        body["shippingAddress"] = shipping_address
    response = shopper.post("/api/orders", json=body)
    assert response.status_code == 400 and response.headers["Content-Type"] == "application/problem+json"
    problem = response.get_json()
    assert problem["field"] == field and problem["detail"].startswith(detail)
    with unit_of_work("orders") as session:
        assert session.exec(select(Order)).all() == []


def test_null_optional_fields_are_empty(shopper, products):
    placed = place(shopper, products, address(line2=None, phone=None))
    assert (placed["shippingAddress"]["line2"], placed["shippingAddress"]["phone"]) == ("", "")
