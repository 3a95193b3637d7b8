import threading
import uuid

import pytest
from sqlmodel import select

from mystore_kit.database import unit_of_work
from mystore_kit.events.outbox import OutboxEvent
from mystore_services.shipping.models import Shipment
from tests.addresses import ADDRESS, address
from tests.support import MODES, post_event

CREATE, GET = "mystore.shipping.v1.CreateShipmentRequest", "mystore.shipping.v1.GetShipmentRequest"


def create(order_id, mode="binary", shipping_address=None):
    data = {"orderId": order_id}
    if shipping_address is not None:
        data["shippingAddress"] = shipping_address
    return post_event("shipping-create", type=CREATE, data=data, mode=mode)


@pytest.mark.parametrize("mode", MODES)
def test_a_shipment_gets_an_unguessable_tracking_id_and_an_event(database_url, mode):
    order_id = str(uuid.uuid4())
    response = create(order_id, mode=mode)
    assert response.status_code == 200
    assert response.headers["ce-type"] == "mystore.shipping.v1.CreateShipmentResponse"
    shipment = response.get_json()["shipment"]
    assert shipment["orderId"] == order_id and shipment["trackingId"].startswith("MS-")
    assert len(shipment["trackingId"]) == 3 + 16  # 80 random bits in base32
    with unit_of_work("shipping") as session:
        (event,) = session.exec(select(OutboxEvent)).all()
    assert (event.type, event.key, event.topic) == (
        "mystore.shipping.v1.ShipmentCreated",
        order_id,
        "shipments",
    )


def test_a_second_create_returns_the_existing_shipment(database_url):
    order_id = str(uuid.uuid4())
    first = create(order_id).get_json()
    second = create(order_id).get_json()
    assert second["shipment"] == first["shipment"] and second.get("created", False) is False
    with unit_of_work("shipping") as session:
        assert len(session.exec(select(OutboxEvent)).all()) == 1


def test_concurrent_creates_make_one_shipment(database_url):
    from mystore.shipping.v1 import shipping_pb2 as pb
    from mystore_services.shipping import handlers

    order_id = str(uuid.uuid4())
    tracking_ids, errors = [], []

    def attempt():
        try:
            tracking_ids.append(
                handlers.create_shipment(pb.CreateShipmentRequest(order_id=order_id)).shipment.tracking_id
            )
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(tracking_ids)) == 1
    with unit_of_work("shipping") as session:
        assert len(session.exec(select(Shipment)).all()) == 1
        assert len(session.exec(select(OutboxEvent)).all()) == 1


def test_get_by_tracking_id_and_404(database_url):
    tracking_id = create(str(uuid.uuid4())).get_json()["shipment"]["trackingId"]
    found = post_event(
        "shipping-get", type="mystore.shipping.v1.GetShipmentRequest", data={"trackingId": tracking_id}
    )
    assert found.status_code == 200 and found.get_json()["shipment"]["trackingId"] == tracking_id
    missing = post_event(
        "shipping-get", type="mystore.shipping.v1.GetShipmentRequest", data={"trackingId": "MS-NOPE"}
    )
    assert missing.status_code == 404


def test_an_order_id_must_be_a_uuid(database_url):
    assert create("42").status_code == 400


def test_a_shipment_created_with_an_address_stores_and_returns_it(database_url):
    shipment = create(str(uuid.uuid4()), shipping_address=address(country="de")).get_json()["shipment"]
    assert shipment["shippingAddress"] == ADDRESS and shipment["addressMissing"] is False
    found = post_event("shipping-get", type=GET, data={"trackingId": shipment["trackingId"]})
    assert found.get_json()["shipment"]["shippingAddress"] == ADDRESS


def test_a_shipment_created_without_an_address_says_it_is_missing(database_url):
    shipment = create(str(uuid.uuid4())).get_json()["shipment"]
    assert shipment["addressMissing"] is True and "shippingAddress" not in shipment


def test_an_address_given_to_shipping_create_follows_order_creates_rules(database_url):
    response = create(str(uuid.uuid4()), shipping_address=address(postalCode="1011"))
    assert response.status_code == 400
    assert response.get_json()["field"] == "shippingAddress.postalCode"
    with unit_of_work("shipping") as session:
        assert session.exec(select(Shipment)).all() == []
