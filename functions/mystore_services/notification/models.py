"""The notification service's tables."""

from datetime import UTC, datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Notification(SQLModel, table=True):
    __tablename__ = "notifications"

    order_id: str = Field(primary_key=True, max_length=36)  # one email per order
    email: str = Field(max_length=320)
    total_minor: int = Field(sa_type=BigInteger)
    currency: str = Field(max_length=3)
    sent_at: datetime = Field(default_factory=utcnow)
