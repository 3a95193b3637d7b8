import uuid

from sqlmodel import select

from mystore_kit.database import unit_of_work
from mystore_services.orders.models import Order
from tests.events import shipment_created
from tests.support import post_event


def test_a_shipment_marks_its_order_shipped(database_url):
    order = Order(user_id=str(uuid.uuid4()), total_minor=100, currency="EUR")
    with unit_of_work("orders") as session:
        session.add(order)
    response = post_event(
        "order-on-shipment-created",
        type="mystore.shipping.v1.ShipmentCreated",
        data=shipment_created(order.id, "MS-AAAABBBBCCCCDDDD"),
    )
    assert response.status_code == 200
    with unit_of_work("orders") as session:
        stored = session.exec(select(Order)).one()
    assert (stored.status, stored.tracking_id) == ("SHIPPED", "MS-AAAABBBBCCCCDDDD")


def test_an_unknown_order_is_a_retryable_404(database_url):
    response = post_event(
        "order-on-shipment-created",
        type="mystore.shipping.v1.ShipmentCreated",
        data=shipment_created(str(uuid.uuid4())),
    )
    assert response.status_code == 404
