"""Events a consumer has applied, by CloudEvent `source` + `id`: delivery is at least once, effects once."""

from datetime import UTC, datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel


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
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(ProcessedEvent)
        .values(source=source, id=event_id, type=event_type, processed_at=utcnow())
        .on_conflict_do_nothing()
        .returning(ProcessedEvent.id)  # type: ignore[arg-type]
    )
    return session.execute(statement).first() is not None
