"""Keeping dead letters, listing them and replaying them to their sink."""

import base64
import binascii
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from mystore_kit import client
from mystore_kit.database import unit_of_work
from mystore_kit.errors import invalid
from mystore_kit.events.envelope import Envelope
from mystore_services.deadletter import SERVICE
from mystore_services.deadletter.models import DeadLetter, utcnow

NUMBER = re.compile(r"[0-9]{1,9}")
SINK_LENGTH = 500  # DeadLetter.sink
ERROR_EXTENSIONS = ("knativeerrordest", "knativeerrorcode", "knativeerrordata", "mystoreattempts")


def decoded_reason(data: str) -> str:
    try:
        return base64.b64decode(data, validate=True).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        return data


def small_number(value: Any) -> int | None:
    """An extension that should be a count or a status; None when it is anything else (the letter
    is kept all the same: a dead-letter sink that refused it would lose it)."""
    text = str(value or "")
    return int(text) if NUMBER.fullmatch(text) else None


def keep(attributes: Mapping[str, Any], data: bytes) -> tuple[DeadLetter, bool]:
    """Stores a dead-lettered event once per (source, id, sink); True when it is new."""
    sink = str(attributes.get("knativeerrordest") or "")
    if not sink:
        raise invalid("a dead letter needs the knativeerrordest extension: where was it going?")
    if len(sink) > SINK_LENGTH:
        raise invalid(f"knativeerrordest is longer than {SINK_LENGTH} characters")
    own = {name: str(value) for name, value in attributes.items() if name not in ERROR_EXTENSIONS}
    letter = DeadLetter(
        source=own["source"],
        event_id=own["id"],
        type=own["type"],
        attributes=json.dumps(own),
        data=data,
        sink=sink,
        status=small_number(attributes.get("knativeerrorcode")) or 0,
        reason=decoded_reason(str(attributes.get("knativeerrordata") or "")),
        attempts=small_number(attributes.get("mystoreattempts")),
    )
    try:
        with unit_of_work(SERVICE) as session:
            session.add(letter)
    except IntegrityError:
        with unit_of_work(SERVICE) as session:
            existing = session.exec(
                select(DeadLetter).where(
                    DeadLetter.source == letter.source,
                    DeadLetter.event_id == letter.event_id,
                    DeadLetter.sink == sink,
                )
            ).one()
        return existing, False
    return letter, True


def letters(*, include_replayed: bool = False) -> list[DeadLetter]:
    query = select(DeadLetter).order_by(col(DeadLetter.received_at))
    if not include_replayed:
        query = query.where(col(DeadLetter.replayed_at).is_(None))
    with unit_of_work(SERVICE) as session:
        return list(session.exec(query).all())


def replay(letter: DeadLetter) -> tuple[bool, int | None]:
    """Sends the event to its sink again; marks it replayed on a 2xx."""
    status, _ = client.send(letter.sink, Envelope(attributes=json.loads(letter.attributes), data=letter.data))
    delivered = status is not None and 200 <= status < 300
    if delivered:
        with unit_of_work(SERVICE) as session:
            stored = session.get(DeadLetter, letter.id)
            stored.replayed_at = utcnow()
            session.add(stored)
    return delivered, status


def replay_all() -> Iterator[tuple[DeadLetter, bool, int | None]]:
    for letter in letters():
        yield (letter, *replay(letter))
