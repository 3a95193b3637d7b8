"""Events a consumer has applied, by CloudEvent `source` + `id`: delivery is at least once, effects once."""

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class ProcessedEvent(SQLModel, table=True):
    __tablename__ = "processed_events"

    source: str = Field(primary_key=True, max_length=200)
    id: str = Field(primary_key=True, max_length=200)
    type: str = Field(max_length=200)
    processed_at: datetime = Field(default_factory=utcnow)
