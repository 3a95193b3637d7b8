"""The event-handler adapter: a sink for KafkaSource deliveries, applying each event once.

    main = on_event(handlers.ship_order, service="shipping")

`ship_order(event: OrderCreated, session: Session) -> None` does its work in `session`; the adapter
records the event's `source` + `id` in the same transaction, so a redelivered event changes
nothing and answers 2xx (and every so often deletes the inbox rows older than the retention,
events.inbox). A poison event (wrong type, data that does not decode) answers 400, which
Knative does not retry: it goes straight to the dead-letter sink. Faults a retry can cure answer
5xx (or 404 for "not there yet"), which Knative retries.
"""

import json
import logging
import typing
from collections.abc import Callable
from typing import Any

import flask
from google.protobuf.message import Message
from sqlmodel import Session

from mystore_kit.cloudevent import decode_event, takes_cloudevent
from mystore_kit.database import unit_of_work
from mystore_kit.events import inbox
from mystore_kit.events.envelope import Envelope

_log = logging.getLogger("mystore.consumer")


def on_event(
    handler: Callable[[Any, Session], None], *, service: str
) -> Callable[[flask.Request], flask.Response]:
    """Wraps `handler` as a functions-framework HTTP function that receives CloudEvents."""
    event_type = next(hint for name, hint in typing.get_type_hints(handler).items() if name != "return")

    def respond(event: Envelope) -> flask.Response:
        message = decode_event(event, event_type)
        status = apply_once(
            handler,
            message,
            service=service,
            source=event.attributes["source"],
            event_id=event.id,
            event_type=event.type,
        )
        _log.info("%s %s %s from %s", status, event.type, event.id, event.attributes["source"])
        return acknowledge(status)

    main = takes_cloudevent(respond)
    main.handler = handler  # type: ignore[attr-defined]
    main.event_type = event_type  # type: ignore[attr-defined]
    return main


def apply_once(
    handler: Callable[[Any, Session], None],
    message: Message,
    *,
    service: str,
    source: str,
    event_id: str,
    event_type: str,
) -> str:
    """Records the event and runs `handler` in one transaction, unless it was applied before."""
    with unit_of_work(service) as session:
        applied = inbox.record(session, source=source, event_id=event_id, event_type=event_type)
        if applied:
            handler(message, session)
    inbox.prune_now_and_then(service)
    return "applied" if applied else "duplicate"


def acknowledge(status: str) -> flask.Response:
    """2xx without CloudEvent headers: success, and no reply event."""
    return flask.Response(json.dumps({"status": status}), status=200, mimetype="application/json")
