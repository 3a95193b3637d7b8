"""Create and read shipments: one shipment per order, announced by ShipmentCreated."""

import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from kit import publisher
from kit.database import unit_of_work
from kit.errors import Code, Problem, invalid
from kit.messages import timestamp
from kit.outbox import add_event
from mystore.shipping.v1 import events_pb2 as events
from mystore.shipping.v1 import shipping_pb2 as pb
from shipping import SERVICE, SOURCE, TOPIC
from shipping.models import Shipment


def shipment_message(shipment: Shipment) -> pb.Shipment:
    return pb.Shipment(
        tracking_id=shipment.tracking_id,
        order_id=shipment.order_id,
        created_at=timestamp(shipment.created_at),
    )


def existing_shipment(order_id: str) -> Shipment | None:
    with unit_of_work(SERVICE) as session:
        return session.exec(select(Shipment).where(Shipment.order_id == order_id)).first()


def create_shipment(request: pb.CreateShipmentRequest) -> pb.CreateShipmentResponse:
    """The order's shipment: created once, returned as it is on every later call."""
    try:
        order_id = str(uuid.UUID(request.order_id))
    except ValueError:
        raise invalid(f"orderId {request.order_id!r} is not a UUID") from None
    shipment = existing_shipment(order_id)
    if shipment:
        return pb.CreateShipmentResponse(shipment=shipment_message(shipment), created=False)
    shipment = Shipment(order_id=order_id)
    try:
        with unit_of_work(SERVICE) as session:
            session.add(shipment)
            session.flush()
            event = add_event(
                session,
                topic=TOPIC,
                key=order_id,
                subject=order_id,
                source=SOURCE,
                event=events.ShipmentCreated(
                    tracking_id=shipment.tracking_id,
                    order_id=order_id,
                    created_at=timestamp(shipment.created_at),
                ),
            )
    except IntegrityError:  # a concurrent create for the same order committed first
        winner = existing_shipment(order_id)
        if winner is None:
            raise
        return pb.CreateShipmentResponse(shipment=shipment_message(winner), created=False)
    publisher.publish_soon(SERVICE, [event.id])
    return pb.CreateShipmentResponse(shipment=shipment_message(shipment), created=True)


def get_shipment(request: pb.GetShipmentRequest) -> pb.GetShipmentResponse:
    with unit_of_work(SERVICE) as session:
        shipment = session.get(Shipment, request.tracking_id)
    if shipment is None:
        raise Problem(Code.NOT_FOUND, f"shipment {request.tracking_id} not found")
    return pb.GetShipmentResponse(shipment=shipment_message(shipment))
