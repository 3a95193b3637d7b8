"""The auth service's tables."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    email: str = Field(unique=True, index=True, max_length=320)  # normalised, see passwords.py
    password_hash: str = Field(max_length=60)
    created_at: datetime = Field(default_factory=utcnow)


class LoginFailure(SQLModel, table=True):
    """Failed logins of one account or one client address in the current window (auth.throttle)."""

    __tablename__ = "login_failures"

    key: str = Field(primary_key=True, max_length=80)  # "account:" or "address:" + SHA-256 hex
    failures: int
    window_started: datetime = Field(sa_type=DateTime(timezone=True), index=True)
    last_failure_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
