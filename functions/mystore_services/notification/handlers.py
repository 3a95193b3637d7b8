"""Order confirmation "emails": a structured log line and a record, once per order.

The line names the city and country the order ships to, never the street or the recipient (logs
are no place for personal data), and the record keeps no address at all.
"""

import json
import logging

from sqlmodel import Session

from mystore.order.v1 import events_pb2 as events
from mystore_kit.database import after_commit, insert_once
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
