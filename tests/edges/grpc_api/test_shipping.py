"""ShippingService over gRPC: reading a shipment needs a user, creating one an administrator."""

import uuid

import grpc
import pytest

from mystore.shipping.v1 import shipping_pb2 as pb
from tests.addresses import address_message
from tests.edges.grpc_api.calls import failure


def test_an_administrator_creates_a_shipment_once(api, admin):
    order_id = str(uuid.uuid4())
    first = api.shipping.CreateShipment(pb.CreateShipmentRequest(order_id=order_id), metadata=admin.auth)
    again = api.shipping.CreateShipment(pb.CreateShipmentRequest(order_id=order_id), metadata=admin.auth)
    assert first.created and not again.created
    assert first.shipment.order_id == order_id and again.shipment == first.shipment
    assert first.shipment.tracking_id.startswith("MS-")


def test_an_administrator_ships_to_an_address_or_marks_it_missing(api, admin, user):
    to = address_message()
    request = pb.CreateShipmentRequest(order_id=str(uuid.uuid4()), shipping_address=to)
    shipment = api.shipping.CreateShipment(request, metadata=admin.auth).shipment
    assert shipment.shipping_address == to and not shipment.address_missing
    read = pb.GetShipmentRequest(tracking_id=shipment.tracking_id)
    assert api.shipping.GetShipment(read, metadata=user.auth).shipment.shipping_address == to
    bare = pb.CreateShipmentRequest(order_id=str(uuid.uuid4()))
    assert api.shipping.CreateShipment(bare, metadata=admin.auth).shipment.address_missing
    request.order_id, request.shipping_address.country = str(uuid.uuid4()), "ZZ"
    error = failure(api.shipping.CreateShipment, request, metadata=admin.auth)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "shippingAddress.country" in error.details()


def test_create_shipment_of_a_bad_order_id_is_invalid_argument(api, admin):
    error = failure(api.shipping.CreateShipment, pb.CreateShipmentRequest(order_id="x"), metadata=admin.auth)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details() == "orderId 'x' is not a UUID"


def test_create_shipment_is_for_administrators_only(api, user):
    request = pb.CreateShipmentRequest(order_id=str(uuid.uuid4()))
    error = failure(api.shipping.CreateShipment, request, metadata=user.auth)
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    assert error.details() == "this needs an administrator"
    assert failure(api.shipping.CreateShipment, request).code() == grpc.StatusCode.UNAUTHENTICATED


def test_a_signed_in_user_reads_a_shipment_by_tracking_id(api, admin, user):
    created = api.shipping.CreateShipment(
        pb.CreateShipmentRequest(order_id=str(uuid.uuid4())), metadata=admin.auth
    ).shipment
    reply = api.shipping.GetShipment(
        pb.GetShipmentRequest(tracking_id=created.tracking_id), metadata=user.auth
    )
    assert reply.shipment == created


@pytest.mark.parametrize("signed_in", [True, False])
def test_get_shipment_errors(api, user, signed_in):
    request = pb.GetShipmentRequest(tracking_id="MS-NOSUCHSHIPMENT")
    error = failure(api.shipping.GetShipment, request, metadata=user.auth if signed_in else [])
    if signed_in:
        assert error.code() == grpc.StatusCode.NOT_FOUND
        assert error.details() == "shipment MS-NOSUCHSHIPMENT not found"
    else:
        assert error.code() == grpc.StatusCode.UNAUTHENTICATED
