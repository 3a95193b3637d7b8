import json
import logging
import uuid

from sqlmodel import select

from mystore_kit.database import unit_of_work
from mystore_services.notification.models import Notification
from tests.addresses import ADDRESS
from tests.events import order_created
from tests.support import post_event


def deliver(data, event_id=None):
    return post_event(
        "notification-on-order-created",
        type="mystore.order.v1.OrderCreated",
        data=data,
        **({"id": event_id} if event_id else {}),
    )


def test_one_email_is_logged_and_recorded_per_order(database_url, caplog):
    caplog.set_level(logging.INFO, logger="mystore.notification")
    event, event_id = order_created(), str(uuid.uuid4())
    assert deliver(event, event_id).status_code == 200
    assert deliver(event, event_id).get_json() == {"status": "duplicate"}
    assert deliver(event).status_code == 200  # another event for the same order
    sent = [r.getMessage() for r in caplog.records if "email sent" in r.getMessage()]
    assert len(sent) == 1 and event["orderId"] in sent[0] and "buyer@example.com" in sent[0]
    with unit_of_work("notification") as session:
        (notification,) = session.exec(select(Notification)).all()
    assert notification.total_minor == 4980 and notification.email == "buyer@example.com"


def test_the_email_line_names_the_city_and_never_the_street_or_the_recipient(database_url, caplog):
    caplog.set_level(logging.DEBUG)
    assert deliver(order_created()).status_code == 200
    assert deliver(order_created(with_address=False)).status_code == 200  # from before addresses
    sent = [json.loads(r.getMessage()) for r in caplog.records if "email sent" in r.getMessage()]
    assert [line["shipsTo"] for line in sent] == [{"city": "Berlin", "country": "DE"}, None]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for field in ("recipientName", "line1", "line2", "postalCode", "phone"):
        assert ADDRESS[field] not in logged, field
    with unit_of_work("notification") as session:
        stored = [n.model_dump() for n in session.exec(select(Notification)).all()]
    assert "Berlin" not in repr(stored) and ADDRESS["line1"] not in repr(stored)


def test_nothing_is_logged_when_the_transaction_fails(database_url, caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="mystore.notification")

    def refuse(*args, **kwargs):
        raise RuntimeError("the database went away at commit")

    monkeypatch.setattr("sqlalchemy.orm.session.SessionTransaction.commit", refuse)
    assert deliver(order_created()).status_code == 500
    assert not [r for r in caplog.records if "email sent" in r.getMessage()]
