import threading
import uuid

import pytest
from sqlmodel import select

from mystore_kit.database import unit_of_work
from mystore_kit.events.outbox import OutboxEvent
from mystore_services.orders.models import Order
from tests.addresses import ADDRESS, address_message
from tests.support import MODES, post_event

TYPE = "mystore.order.v1.CreateOrderRequest"
USER = str(uuid.uuid4())


def create(items, *, user=USER, key="", mode="binary", address=ADDRESS):
    data = {"userId": user, "userEmail": "buyer@example.com", "items": items, "idempotencyKey": key}
    if address is not None:
        data["shippingAddress"] = address
    return post_event("order-create", type=TYPE, data=data, mode=mode)


def stored(model):
    with unit_of_work("orders") as session:
        return session.exec(select(model)).all()


@pytest.mark.parametrize("mode", MODES)
def test_an_order_is_priced_from_the_catalog_and_pending(products, mode):
    first, second = list(products)[:2]
    response = create([{"productId": first, "quantity": 2}, {"productId": second, "quantity": 1}], mode=mode)
    assert response.status_code == 200, response.get_data()
    order = response.get_json()["order"]
    expected = 2 * int(products[first]["price"]["amountMinor"]) + int(
        products[second]["price"]["amountMinor"]
    )
    assert order["status"] == "ORDER_STATUS_PENDING"
    assert int(order["total"]["amountMinor"]) == expected
    assert [int(i["lineTotal"]["amountMinor"]) for i in order["items"]] == [
        2 * int(products[first]["price"]["amountMinor"]),
        int(products[second]["price"]["amountMinor"]),
    ]


def test_the_order_and_its_event_are_stored_together(products):
    product = next(iter(products))
    order_id = create([{"productId": product, "quantity": 3}]).get_json()["order"]["id"]
    (event,) = stored(OutboxEvent)
    assert (event.topic, event.key, event.subject) == ("orders", order_id, order_id)
    assert (event.type, event.source) == ("mystore.order.v1.OrderCreated", "/mystore/order")
    assert b'"userEmail":"buyer@example.com"' in event.data and event.published_at is None


def test_a_failure_after_the_order_insert_leaves_neither_row(products, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("crash between the order insert and the outbox insert")

    monkeypatch.setattr("mystore_services.orders.handlers.add_event", crash)
    response = create([{"productId": next(iter(products)), "quantity": 1}])
    assert response.status_code == 500
    assert stored(Order) == [] and stored(OutboxEvent) == []


def test_duplicate_product_lines_are_merged(products):
    product = next(iter(products))
    order = create([{"productId": product, "quantity": 2}, {"productId": product, "quantity": 3}])
    (item,) = order.get_json()["order"]["items"]
    assert item["quantity"] == 5


@pytest.mark.parametrize(
    ("items", "detail"),
    [
        ([], "at least one item"),
        ([{"productId": "not-a-uuid", "quantity": 1}], "not a UUID"),
        ("quantity 0", "quantity must be 1 to 100"),
        ("quantity 101", "quantity must be 1 to 100"),
        ("51 lines", "at most 50 lines"),
        ("merged 60 + 60", "adds up to more than 100"),
    ],
)
def test_bad_items_are_400(products, items, detail):
    ids = list(products)
    if items == "quantity 0":
        items = [{"productId": ids[0], "quantity": 0}]
    elif items == "quantity 101":
        items = [{"productId": ids[0], "quantity": 101}]
    elif items == "51 lines":
        items = [{"productId": ids[i % len(ids)], "quantity": 1} for i in range(51)]
    elif items == "merged 60 + 60":
        items = [{"productId": ids[0], "quantity": 60}, {"productId": ids[0], "quantity": 60}]
    response = create(items)
    assert response.status_code == 400
    assert detail in response.get_json()["detail"]
    assert stored(Order) == []


def test_an_unknown_product_is_404(products):
    response = create([{"productId": "00000000-0000-4000-8000-000000000000", "quantity": 1}])
    assert response.status_code == 404
    assert response.get_json()["code"] == "NOT_FOUND" and "unknown product" in response.get_json()["detail"]
    assert stored(Order) == []


def test_the_same_idempotency_key_returns_the_same_order(products):
    items = [{"productId": next(iter(products)), "quantity": 1}]
    first = create(items, key="k-1").get_json()
    again = create(items, key="k-1").get_json()
    assert first["created"] is True and again["created"] is False
    assert again["order"]["id"] == first["order"]["id"]
    assert len(stored(Order)) == 1 and len(stored(OutboxEvent)) == 1


def test_the_same_key_with_other_items_is_422(products):
    ids = list(products)
    create([{"productId": ids[0], "quantity": 1}], key="k-2")
    response = create([{"productId": ids[1], "quantity": 1}], key="k-2")
    assert response.status_code == 422
    assert len(stored(Order)) == 1


def test_keys_belong_to_one_user(products):
    items = [{"productId": next(iter(products)), "quantity": 1}]
    mine = create(items, key="k-3").get_json()["order"]["id"]
    theirs = create(items, key="k-3", user=str(uuid.uuid4())).get_json()["order"]["id"]
    assert mine != theirs


def test_concurrent_retries_with_one_key_store_one_order(products, functions_in_process):
    from mystore.order.v1 import order_pb2 as pb
    from mystore_services.orders import handlers

    request = pb.CreateOrderRequest(
        user_id=USER,
        user_email="b@example.com",
        idempotency_key="race",
        items=[pb.LineRequest(product_id=next(iter(products)), quantity=1)],
        shipping_address=address_message(),
    )
    results, errors = [], []

    def attempt():
        try:
            results.append(handlers.create_order(request).order.id)
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(results)) == 1
    assert len(stored(Order)) == 1 and len(stored(OutboxEvent)) == 1
