import uuid

from sqlmodel import select

from mystore_kit.database import unit_of_work
from mystore_services.orders.models import Order
from mystore_services.shipping.models import Shipment
from tests.addresses import ADDRESS
from tests.support import post_event


def ping(relay):
    return post_event(
        relay,
        type="dev.knative.sources.ping",
        data={},
        source=f"/apis/v1/namespaces/my-store/pingsources/{relay}",
    )


def test_the_relay_alone_carries_an_order_to_shipped(database_url, functions_in_process):
    """Without the fast path (off in tests), each relay's tick publishes what its own outbox holds."""
    products = post_event("catalog-list", type="mystore.catalog.v1.ListProductsRequest", data={}).get_json()
    created = post_event(
        "order-create",
        type="mystore.order.v1.CreateOrderRequest",
        data={
            "userId": str(uuid.uuid4()),
            "userEmail": "r@example.com",
            "items": [{"productId": products["products"][0]["id"], "quantity": 1}],
            "shippingAddress": ADDRESS,
        },
    ).get_json()["order"]
    # orders' tick: OrderCreated → shipping, notification, analytics; shipping's: ShipmentCreated → the order.
    assert ping("shipping-outbox-relay").get_json()["published"] == {"shipping": 0}
    assert ping("order-outbox-relay").get_json()["published"] == {"orders": 1}
    with unit_of_work("orders") as session:
        assert session.get(Order, created["id"]).status == "PENDING"
    assert ping("shipping-outbox-relay").get_json()["published"] == {"shipping": 1}
    with unit_of_work("shipping") as session:
        (shipment,) = session.exec(select(Shipment)).all()
    assert (shipment.ship_line1, shipment.ship_city) == (ADDRESS["line1"], ADDRESS["city"])
    with unit_of_work("orders") as session:
        order = session.get(Order, created["id"])
    assert (order.status, order.tracking_id) == ("SHIPPED", shipment.tracking_id)
    assert ping("order-outbox-relay").get_json()["published"] == {"orders": 1}  # OrderStatusChanged → bff
    assert ping("order-outbox-relay").get_json()["published"] == {"orders": 0}
    assert ping("shipping-outbox-relay").get_json()["published"] == {"shipping": 0}
