import uuid

from sqlmodel import select

from kit.database import unit_of_work
from orders.models import Order
from shipping.models import Shipment
from tests.support import post_event


def ping():
    return post_event(
        "outbox-relay",
        type="dev.knative.sources.ping",
        data={},
        source="/apis/v1/namespaces/my-store/pingsources/outbox-relay",
    )


def test_the_relay_alone_carries_an_order_to_shipped(database_url, functions_in_process):
    """Without the fast path (off in tests), each relay tick publishes what the outboxes hold."""
    products = post_event("catalog-list", type="mystore.catalog.v1.ListProductsRequest", data={}).get_json()
    created = post_event(
        "order-create",
        type="mystore.order.v1.CreateOrderRequest",
        data={
            "userId": str(uuid.uuid4()),
            "userEmail": "r@example.com",
            "items": [{"productId": products["products"][0]["id"], "quantity": 1}],
        },
    ).get_json()["order"]
    # One tick: OrderCreated → shipping, notification, analytics; then shipping's ShipmentCreated → the order.
    assert ping().get_json()["published"] == {"orders": 1, "shipping": 1}
    with unit_of_work("shipping") as session:
        (shipment,) = session.exec(select(Shipment)).all()
    with unit_of_work("orders") as session:
        order = session.get(Order, created["id"])
    assert (order.status, order.tracking_id) == ("SHIPPED", shipment.tracking_id)
    assert ping().get_json()["published"] == {"orders": 0, "shipping": 0}
