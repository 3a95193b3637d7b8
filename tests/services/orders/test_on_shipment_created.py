import uuid

from sqlmodel import select

from mystore.order.v1 import events_pb2 as events
from mystore.order.v1.order_pb2 import ORDER_STATUS_SHIPPED
from mystore_kit.database import unit_of_work
from mystore_kit.events.outbox import OutboxEvent
from mystore_kit.messages import decode
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


def test_shipping_an_order_publishes_its_new_status_once(database_url):
    order = Order(user_id=str(uuid.uuid4()), total_minor=100, currency="EUR")
    with unit_of_work("orders") as session:
        session.add(order)
    data = shipment_created(order.id, "MS-AAAABBBBCCCCDDDD")
    for _ in range(2):  # the second ShipmentCreated (another event id) changes nothing
        response = post_event(
            "order-on-shipment-created", type="mystore.shipping.v1.ShipmentCreated", data=data
        )
        assert response.status_code == 200
    with unit_of_work("orders") as session:
        (row,) = session.exec(select(OutboxEvent).where(OutboxEvent.topic == "order-status")).all()
    assert (row.type, row.key, row.subject, row.source) == (
        "mystore.order.v1.OrderStatusChanged",
        order.id,
        order.id,
        "/mystore/order",
    )
    changed = decode(row.data, events.OrderStatusChanged)
    assert (changed.order_id, changed.user_id) == (order.id, order.user_id)
    assert (changed.status, changed.tracking_id) == (ORDER_STATUS_SHIPPED, "MS-AAAABBBBCCCCDDDD")
