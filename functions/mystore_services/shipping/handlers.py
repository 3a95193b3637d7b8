"""Create and read shipments: one shipment per order, announced by ShipmentCreated.

A shipment stores where it goes: the address OrderCreated carries (or shipping-create was given).
An OrderCreated from before addresses still gets its shipment, marked `address_missing`.
"""

import uuid

from sqlmodel import Session, select

from mystore.common.v1.address_pb2 import ShippingAddress
from mystore.order.v1 import events_pb2 as order_events
from mystore.shipping.v1 import events_pb2 as events
from mystore.shipping.v1 import shipping_pb2 as pb
from mystore_kit.address_columns import address_columns, stored_address
from mystore_kit.addresses import checked_address
from mystore_kit.database import insert_once, unit_of_work
from mystore_kit.errors import Code, Problem, invalid
from mystore_kit.events import inbox
from mystore_kit.events.outbox import add_event
from mystore_kit.messages import timestamp
from mystore_services.shipping import SERVICE, SOURCE, TOPIC
from mystore_services.shipping.models import Shipment


def shipment_message(shipment: Shipment) -> pb.Shipment:
    address = stored_address(shipment)
    return pb.Shipment(
        tracking_id=shipment.tracking_id,
        order_id=shipment.order_id,
        created_at=timestamp(shipment.created_at),
        shipping_address=address,
        address_missing=address is None,
    )


def existing_shipment(session: Session, order_id: str) -> Shipment | None:
    return session.exec(select(Shipment).where(Shipment.order_id == order_id)).first()


def shipment_for_order(
    session: Session, order_id: str, address: ShippingAddress | None
) -> tuple[Shipment, bool]:
    """The order's shipment, created with its ShipmentCreated event unless it exists; True if new.

    One INSERT ... ON CONFLICT DO NOTHING (kit.database.insert_once): a concurrent create for the
    same order waits for the other transaction, then reads the shipment it stored.
    """
    shipment = Shipment(order_id=order_id, **address_columns(address))
    if not insert_once(session, Shipment, shipment.model_dump()):
        existing = existing_shipment(session, order_id)
        if existing is None:  # the conflict was the random tracking id, not the order: 2^-80
            raise RuntimeError(f"tracking id {shipment.tracking_id} taken; the retry draws another")
        return existing, False
    created = events.ShipmentCreated(
        tracking_id=shipment.tracking_id, order_id=order_id, created_at=timestamp(shipment.created_at)
    )
    add_event(session, topic=TOPIC, key=order_id, subject=order_id, source=SOURCE, event=created)
    return shipment, True


def create_shipment(request: pb.CreateShipmentRequest) -> pb.CreateShipmentResponse:
    """The order's shipment: created once (to the address given, if any), returned as it is on every
    later call."""
    try:
        order_id = str(uuid.UUID(request.order_id))
    except ValueError:
        raise invalid(f"orderId {request.order_id!r} is not a UUID") from None
    address = checked_address(request.shipping_address) if request.HasField("shipping_address") else None
    with unit_of_work(SERVICE) as session:
        shipment, created = shipment_for_order(session, order_id, address)
    return pb.CreateShipmentResponse(shipment=shipment_message(shipment), created=created)


def ship_order(event: order_events.OrderCreated, session: Session) -> None:
    """OrderCreated → the order's one shipment (and its ShipmentCreated), to the event's address.

    An event from before addresses has none: the shipment is stored `address_missing`, not refused.
    An address that breaks the rules is a poison event (400, to the dead letters), as order-create
    never sends one.
    """
    address = None
    if event.HasField("shipping_address"):
        address = checked_address(event.shipping_address)
    shipment_for_order(session, event.order_id, address)


def get_shipment(request: pb.GetShipmentRequest) -> pb.GetShipmentResponse:
    """A shipment by tracking id or by order id; with `order_created`, when shipping applied it."""
    if bool(request.tracking_id) == bool(request.order_id):
        raise invalid("give trackingId or orderId (one of the two)")
    with unit_of_work(SERVICE) as session:
        if request.tracking_id:
            shipment, wanted = session.get(Shipment, request.tracking_id), f"shipment {request.tracking_id}"
        else:
            shipment, wanted = (
                existing_shipment(session, request.order_id),
                f"shipment of order {request.order_id}",
            )
        received = None
        if shipment is not None and request.HasField("order_created"):
            key = request.order_created
            received = session.get(inbox.ProcessedEvent, (key.source, key.id))
    if shipment is None:
        raise Problem(Code.NOT_FOUND, f"{wanted} not found")
    reply = pb.GetShipmentResponse(shipment=shipment_message(shipment))
    if received is not None:
        reply.order_created_received_at.CopyFrom(timestamp(received.processed_at))
    return reply
