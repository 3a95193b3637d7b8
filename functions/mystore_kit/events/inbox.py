"""Events a consumer has applied, by CloudEvent `source` + `id`: delivery is at least once, effects once."""

from datetime import UTC, datetime

from sqlmodel import Field, Session, SQLModel

from mystore_kit.database import insert_once


def utcnow() -> datetime:
    return datetime.now(UTC)


class ProcessedEvent(SQLModel, table=True):
    __tablename__ = "processed_events"

    source: str = Field(primary_key=True, max_length=200)
    id: str = Field(primary_key=True, max_length=200)
    type: str = Field(max_length=200)
    processed_at: datetime = Field(default_factory=utcnow)


def record(session: Session, *, source: str, event_id: str, event_type: str) -> bool:
    """Records the event in `session`'s transaction; False when it was recorded before.

    One INSERT ... ON CONFLICT DO NOTHING: a concurrent delivery of the same event waits for the
    other transaction and then finds the row, so an effect is applied once without a read first.
    """
    values = {"source": source, "id": event_id, "type": event_type, "processed_at": utcnow()}
    return insert_once(session, ProcessedEvent, values)
