"""Order confirmation "emails": a structured log line and a record, once per order.

The line names the city and country the order ships to, never the street or the recipient (logs
are no place for personal data), and the record keeps no address at all.
"""

import json
import logging
import uuid

from sqlmodel import Session

from mystore.notification.v1 import notification_pb2 as pb
from mystore.order.v1 import events_pb2 as events
from mystore_kit.database import after_commit, insert_once, unit_of_work
from mystore_kit.errors import Code, Problem, invalid
from mystore_kit.messages import timestamp
from mystore_services.notification import SERVICE
from mystore_services.notification.models import Notification, utcnow

_log = logging.getLogger("mystore.notification")


def ships_to(event: events.OrderCreated) -> dict[str, str] | None:
    if not event.HasField("shipping_address"):
        return None  # an event from before addresses
    return {"city": event.shipping_address.city, "country": event.shipping_address.country}


def send_order_email(event: events.OrderCreated, session: Session) -> None:
    """OrderCreated → one confirmation to the customer, logged once it is recorded."""
    confirmed = insert_once(
        session,
        Notification,
        {
            "order_id": event.order_id,
            "email": event.user_email,
            "total_minor": event.total.amount_minor,
            "currency": event.total.currency,
            "sent_at": utcnow(),
        },
    )
    if not confirmed:
        return  # the order was confirmed already (another event for the same order)
    line = json.dumps(
        {
            "event": "email sent",
            "to": event.user_email,
            "orderId": event.order_id,
            "total": {"amountMinor": event.total.amount_minor, "currency": event.total.currency},
            "shipsTo": ships_to(event),
        }
    )
    after_commit(session, lambda: _log.info(line))


def get_notification(request: pb.GetNotificationRequest) -> pb.GetNotificationResponse:
    """When the order's confirmation was sent (NOT_FOUND until it was)."""
    try:
        uuid.UUID(request.order_id)
    except ValueError:
        raise invalid(f"orderId {request.order_id!r} is not a UUID") from None
    with unit_of_work(SERVICE) as session:
        notification = session.get(Notification, request.order_id)
    if notification is None:
        raise Problem(Code.NOT_FOUND, f"no confirmation sent for order {request.order_id}")
    return pb.GetNotificationResponse(
        notification=pb.Notification(order_id=notification.order_id, sent_at=timestamp(notification.sent_at))
    )
