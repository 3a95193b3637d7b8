"""The dead-letter service's table."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class DeadLetter(SQLModel, table=True):
    __tablename__ = "dead_letters"
    __table_args__ = (UniqueConstraint("source", "event_id", "sink", name="uq_dead_letters_event_sink"),)

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    source: str = Field(max_length=500)
    event_id: str = Field(max_length=200)
    type: str = Field(max_length=200)
    # JSON: the event's own context attributes, as they were sent to the sink
    attributes: str = Field(sa_type=Text)
    data: bytes
    sink: str = Field(max_length=500)  # where it should have gone (knativeerrordest)
    status: int  # the sink's last answer; 0 when it could not be reached
    reason: str = Field(sa_type=Text)  # what the sink answered (knativeerrordata, decoded)
    attempts: int | None = None  # known locally; Knative does not say
    received_at: datetime = Field(default_factory=utcnow)
    replayed_at: datetime | None = None
