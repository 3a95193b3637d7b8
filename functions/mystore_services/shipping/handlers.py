"""Create and read shipments: one shipment per order, announced by ShipmentCreated."""

import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from mystore.order.v1 import events_pb2 as order_events
from mystore.shipping.v1 import events_pb2 as events
from mystore.shipping.v1 import shipping_pb2 as pb
from mystore_kit.database import unit_of_work
from mystore_kit.errors import Code, Problem, invalid
from mystore_kit.events.outbox import add_event
from mystore_kit.messages import timestamp
from mystore_services.shipping import SERVICE, SOURCE, TOPIC
from mystore_services.shipping.models import Shipment


def shipment_message(shipment: Shipment) -> pb.Shipment:
    return pb.Shipment(
        tracking_id=shipment.tracking_id,
        order_id=shipment.order_id,
        created_at=timestamp(shipment.created_at),
    )


def existing_shipment(session: Session, order_id: str) -> Shipment | None:
    return session.exec(select(Shipment).where(Shipment.order_id == order_id)).first()


def shipment_for_order(session: Session, order_id: str) -> tuple[Shipment, bool]:
    """The order's shipment, created with its ShipmentCreated event unless it exists; True if new."""
    shipment = existing_shipment(session, order_id)
    if shipment:
        return shipment, False
    shipment = Shipment(order_id=order_id)
    session.add(shipment)
    session.flush()
    created = events.ShipmentCreated(
        tracking_id=shipment.tracking_id, order_id=order_id, created_at=timestamp(shipment.created_at)
    )
    add_event(session, topic=TOPIC, key=order_id, subject=order_id, source=SOURCE, event=created)
    return shipment, True


def create_shipment(request: pb.CreateShipmentRequest) -> pb.CreateShipmentResponse:
    """The order's shipment: created once, returned as it is on every later call."""
    try:
        order_id = str(uuid.UUID(request.order_id))
    except ValueError:
        raise invalid(f"orderId {request.order_id!r} is not a UUID") from None
    try:
        with unit_of_work(SERVICE) as session:
            shipment, created = shipment_for_order(session, order_id)
    except IntegrityError:  # a concurrent create for the same order committed first
        with unit_of_work(SERVICE) as session:
            shipment, created = existing_shipment(session, order_id), False
        if shipment is None:
            raise
    return pb.CreateShipmentResponse(shipment=shipment_message(shipment), created=created)


def ship_order(event: order_events.OrderCreated, session: Session) -> None:
    """OrderCreated → the order's one shipment (and its ShipmentCreated)."""
    shipment_for_order(session, event.order_id)


def get_shipment(request: pb.GetShipmentRequest) -> pb.GetShipmentResponse:
    with unit_of_work(SERVICE) as session:
        shipment = session.get(Shipment, request.tracking_id)
    if shipment is None:
        raise Problem(Code.NOT_FOUND, f"shipment {request.tracking_id} not found")
    return pb.GetShipmentResponse(shipment=shipment_message(shipment))
