import uuid

import pytest
from sqlmodel import select

from mystore_kit.database import unit_of_work
from mystore_kit.events.outbox import OutboxEvent
from mystore_services.shipping.models import Shipment
from tests.addresses import ADDRESS, address
from tests.events import order_created
from tests.support import MODES, post_event

TYPE = "mystore.order.v1.OrderCreated"
GET = "mystore.shipping.v1.GetShipmentRequest"


def deliver(data, *, event_id=None, mode="binary", source="/mystore/order"):
    return post_event(
        "shipping-on-order-created",
        type=TYPE,
        data=data,
        mode=mode,
        source=source,
        **({"id": event_id} if event_id else {}),
    )


@pytest.mark.parametrize("mode", MODES)
def test_an_order_gets_one_shipment_and_its_event(database_url, mode):
    event = order_created()
    response = deliver(event, mode=mode)
    assert response.status_code == 200 and response.get_json() == {"status": "applied"}
    assert "ce-type" not in response.headers  # no reply event
    with unit_of_work("shipping") as session:
        (shipment,) = session.exec(select(Shipment)).all()
        (outbox,) = session.exec(select(OutboxEvent)).all()
    assert shipment.order_id == event["orderId"] and outbox.key == event["orderId"]
    assert (shipment.ship_recipient_name, shipment.ship_line1, shipment.ship_postal_code) == (
        ADDRESS["recipientName"],
        ADDRESS["line1"],
        ADDRESS["postalCode"],
    )


def shipment_of(order_id):
    with unit_of_work("shipping") as session:
        (shipment,) = session.exec(select(Shipment).where(Shipment.order_id == order_id)).all()
    reply = post_event("shipping-get", type=GET, data={"trackingId": shipment.tracking_id})
    return reply.get_json()["shipment"]


def test_the_shipment_reads_back_with_its_address(database_url):
    event = order_created()
    deliver(event)
    shipment = shipment_of(event["orderId"])
    assert shipment["shippingAddress"] == ADDRESS and shipment["addressMissing"] is False


@pytest.mark.parametrize("mode", MODES)
def test_an_old_order_created_without_an_address_ships_marked_address_missing(database_url, mode):
    """Events written before addresses existed (still in Kafka or an outbox) are not refused."""
    event = order_created(with_address=False)
    assert "shippingAddress" not in event
    response = deliver(event, mode=mode)
    assert response.status_code == 200 and response.get_json() == {"status": "applied"}
    shipment = shipment_of(event["orderId"])
    assert shipment["addressMissing"] is True and "shippingAddress" not in shipment
    with unit_of_work("shipping") as session:
        (outbox,) = session.exec(select(OutboxEvent)).all()  # ShipmentCreated all the same
    assert outbox.key == event["orderId"]


def test_an_address_that_breaks_the_rules_is_a_poison_event(database_url):
    event = {**order_created(), "shippingAddress": address(line1="x" * 101)}
    response = deliver(event)
    assert response.status_code == 400 and response.get_json()["field"] == "shippingAddress.line1"
    with unit_of_work("shipping") as session:
        assert session.exec(select(Shipment)).all() == []


def test_the_same_event_twice_changes_nothing_the_second_time(database_url):
    event, event_id = order_created(), str(uuid.uuid4())
    assert deliver(event, event_id=event_id).get_json() == {"status": "applied"}
    assert deliver(event, event_id=event_id).get_json() == {"status": "duplicate"}
    with unit_of_work("shipping") as session:
        assert len(session.exec(select(OutboxEvent)).all()) == 1


def test_another_event_for_the_same_order_keeps_one_shipment(database_url):
    event = order_created()
    deliver(event)
    assert deliver(event).status_code == 200  # a new id: applied, but the order has its shipment
    with unit_of_work("shipping") as session:
        assert len(session.exec(select(Shipment)).all()) == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_poison_event_is_a_non_retryable_400(database_url, mode):
    assert deliver({"orderId": "x", "unknownField": 1}, mode=mode).status_code == 400
    assert deliver('{"orderId": ', mode="binary").status_code == 400


def test_a_wrong_type_is_400(database_url):
    response = post_event("shipping-on-order-created", type="dev.knative.kafka.event", data=order_created())
    assert response.status_code == 400
