import uuid

import pytest

from tests.addresses import ADDRESS
from tests.support import MODES, post_event

USER, OTHER = str(uuid.uuid4()), str(uuid.uuid4())


@pytest.fixture
def product(database_url, functions_in_process):
    reply = post_event("catalog-list", type="mystore.catalog.v1.ListProductsRequest", data={})
    return reply.get_json()["products"][0]["id"]


def place(user, product, quantity=1):
    data = {
        "userId": user,
        "userEmail": "u@example.com",
        "items": [{"productId": product, "quantity": quantity}],
        "shippingAddress": ADDRESS,
    }
    response = post_event("order-create", type="mystore.order.v1.CreateOrderRequest", data=data)
    return response.get_json()["order"]["id"]


def page(user, limit, cursor=""):
    data = {"userId": user, "limit": limit, "cursor": cursor}
    return post_event("order-list", type="mystore.order.v1.ListOrdersRequest", data=data).get_json()


@pytest.mark.parametrize("mode", MODES)
def test_history_is_newest_first_and_paginated(product, mode):
    placed = [place(USER, product, quantity=n) for n in range(1, 6)]
    place(OTHER, product)
    first = page(USER, 2)
    second = page(USER, 2, first["nextCursor"])
    third = page(USER, 2, second["nextCursor"])
    seen = [o["id"] for o in first["orders"] + second["orders"] + third["orders"]]
    assert seen == list(reversed(placed))
    assert third["nextCursor"] == ""
    assert int(first["orders"][0]["total"]["amountMinor"]) > 0


def test_a_bad_cursor_or_limit_is_400(product):
    bad_cursor = {"userId": USER, "limit": 2, "cursor": "%%%"}
    assert (
        post_event("order-list", type="mystore.order.v1.ListOrdersRequest", data=bad_cursor).status_code
        == 400
    )
    too_many = {"userId": USER, "limit": 1000}
    assert (
        post_event("order-list", type="mystore.order.v1.ListOrdersRequest", data=too_many).status_code == 400
    )


@pytest.mark.parametrize("mode", MODES)
def test_the_owner_reads_an_order_and_anyone_else_gets_404(product, mode):
    order_id = place(USER, product, quantity=2)
    mine = post_event(
        "order-get",
        type="mystore.order.v1.GetOrderRequest",
        mode=mode,
        data={"userId": USER, "orderId": order_id},
    )
    assert mine.status_code == 200 and mine.get_json()["order"]["items"][0]["quantity"] == 2
    theirs = post_event(
        "order-get",
        type="mystore.order.v1.GetOrderRequest",
        mode=mode,
        data={"userId": OTHER, "orderId": order_id},
    )
    missing = post_event(
        "order-get",
        type="mystore.order.v1.GetOrderRequest",
        mode=mode,
        data={"userId": OTHER, "orderId": str(uuid.uuid4())},
    )
    assert theirs.status_code == missing.status_code == 404
    assert theirs.get_json()["code"] == "NOT_FOUND"


def test_orders_placed_at_the_same_instant_are_paged_by_id(product):
    """The cursor is (created_at, id): orders that tie on the time are neither skipped nor repeated."""
    from sqlalchemy import update

    from mystore_kit.database import unit_of_work
    from mystore_services.orders.models import Order

    placed = [place(USER, product) for _ in range(4)]
    with unit_of_work("orders") as session:
        instant = session.get(Order, placed[0]).created_at
        session.exec(update(Order).where(Order.id.in_(placed[1:3])).values(created_at=instant))
    seen, cursor = [], ""
    while True:
        reply = page(USER, 1, cursor)
        seen += [o["id"] for o in reply["orders"]]
        cursor = reply["nextCursor"]
        if not cursor:
            break
    tied = sorted(placed[:3], reverse=True)  # the same instant: newest id first
    assert seen == [placed[3], *tied]
