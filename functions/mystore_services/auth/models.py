"""The auth service's tables."""

import uuid
from datetime import UTC, datetime

from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    email: str = Field(unique=True, index=True, max_length=320)  # normalised, see passwords.py
    password_hash: str = Field(max_length=60)
    created_at: datetime = Field(default_factory=utcnow)
