"""The transactional outbox: an event is stored in the same transaction as the change it reports.

    with unit_of_work("orders") as session:
        session.add(order)
        add_event(session, topic="orders", key=order.id, subject=order.id, source="/mystore/order",
                  event=OrderCreated(...))

The row keeps the trace context it was written in (`traceparent`, `tracestate`: the CloudEvents
distributed-tracing extension), so the event continues the trace of the request that caused it
after the relay and Kafka. When the transaction commits, the rows it added are handed to whoever
listens (`on_commit`: the publisher's fast path); the service's relay publishes whatever is left
(the crash path). The row id is the CloudEvent id, so a row published twice is a duplicate that
consumers recognise.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from google.protobuf.message import Message
from sqlalchemy import Index, text
from sqlmodel import Field, Session, SQLModel

from mystore_kit import database, tracing
from mystore_kit.database import after_commit
from mystore_kit.events.envelope import SPECVERSION, Envelope
from mystore_kit.messages import encode, full_name

TRACEPARENT_MAX, TRACESTATE_MAX = 100, 512
PENDING = "outbox_rows"  # session.info key: rows this transaction added
CommitListener = Callable[[str, list["NewEvent"]], None]  # (service, the committed rows)
_listeners: list[CommitListener] = []


def utcnow() -> datetime:
    return datetime.now(UTC)


UNPUBLISHED = text("published_at IS NULL")
OUTBOX_FILLFACTOR = 90  # percent of a page that inserts fill (the migrations: events.tables, v5)


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (
        # The relay's claim: the unpublished rows, oldest first. Partial, so it holds only the few
        # rows that wait, however many published rows the retention keeps.
        Index("ix_outbox_unpublished", "created_at", postgresql_where=UNPUBLISHED, sqlite_where=UNPUBLISHED),
        # Room on each page for a claim to update its rows in place (claimed_at is in no index: a HOT
        # update, no new index entries), so the claim costs the same however many rows are kept.
        {"postgresql_with": {"fillfactor": OUTBOX_FILLFACTOR}},
    )

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    topic: str = Field(max_length=100)
    key: str = Field(max_length=100)  # Kafka key: per-order ordering
    type: str = Field(max_length=200)  # CloudEvent type: the protobuf full name
    source: str = Field(max_length=200)
    subject: str = Field(max_length=200, index=True)  # the order id: an order's events
    data: bytes  # proto3 JSON
    created_at: datetime = Field(default_factory=utcnow, index=True)
    claimed_at: datetime | None = Field(default=None)  # a publisher is on it (a lease, see publisher)
    published_at: datetime | None = Field(default=None, index=True)  # pruning goes by it
    # The W3C trace context of the transaction that wrote the row (None when tracing is off).
    traceparent: str | None = Field(default=None, max_length=TRACEPARENT_MAX)
    tracestate: str | None = Field(default=None, max_length=TRACESTATE_MAX)

    def envelope(self) -> Envelope:
        """The row as the CloudEvent it stands for."""
        return envelope_of(self)


@dataclass(slots=True)
class NewEvent:
    """An outbox row as `add_event` wrote it: what the fast path sends. A plain object: building a
    table model (and dumping it for the INSERT) cost ~110 us of CPU per event, pydantic's default
    factories included; this ~8 (docs/benchmarks.md)."""

    id: str
    topic: str
    key: str
    type: str
    source: str
    subject: str
    data: bytes
    created_at: datetime
    traceparent: str | None = None
    tracestate: str | None = None

    def envelope(self) -> Envelope:
        return envelope_of(self)


def envelope_of(row: "Row") -> Envelope:
    """The CloudEvent an outbox row stands for."""
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    attributes = {
        "specversion": SPECVERSION,
        "id": row.id,
        "source": row.source,
        "type": row.type,
        "subject": row.subject,
        "time": created.isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/json",
    }
    if row.traceparent:
        attributes["traceparent"] = row.traceparent
        if row.tracestate:
            attributes["tracestate"] = row.tracestate
    return Envelope(attributes=attributes, data=row.data)


Row = OutboxEvent | NewEvent  # a row loaded by the relay, or one just written
INSERT = OutboxEvent.__table__.insert()  # type: ignore[attr-defined]


def on_commit(listener: CommitListener) -> None:
    """Calls `listener(service, rows)` with the rows of every transaction that added some, once it
    committed (never when it rolled back)."""
    if listener not in _listeners:
        _listeners.append(listener)


def add_event(
    session: Session, *, topic: str, key: str, subject: str, source: str, event: Message
) -> NewEvent:
    """Stores `event` for publishing; it commits or rolls back with the session's transaction."""
    row = NewEvent(
        id=str(uuid.uuid4()),
        topic=topic,
        key=key,
        type=full_name(event),
        source=source,
        subject=subject,
        data=encode(event),
        created_at=utcnow(),
    )
    if tracing.enabled():
        attributes = {"messaging.destination.name": topic, "messaging.message.id": row.id}
        with tracing.span(f"create {row.type}", kind="producer", attributes=attributes):
            tracing.annotate({"mystore.order_id": subject})
            carrier = tracing.current_carrier()
        row.traceparent = carrier.get("traceparent")
        state = carrier.get("tracestate")
        row.tracestate = state if state and len(state) <= TRACESTATE_MAX else None
    database.run(session, INSERT, {name: getattr(row, name) for name in NewEvent.__slots__})  # no ORM flush
    pending = session.info.setdefault(PENDING, [])
    if not pending:  # the first event of this transaction: hand them all on once it commits
        service = session.info["service"]
        after_commit(session, lambda: _committed(service, list(pending)))
    pending.append(row)
    return row


def _committed(service: str, rows: list[NewEvent]) -> None:
    for listener in list(_listeners):
        listener(service, rows)
