"""Login throttling: failed logins counted per account and per client address, in the database.

Within a window of 15 minutes from its first failure, an account's first 5 failed logins are free;
then each further attempt has to wait 1, 2, 4, 8 and 16 s after the failure before it (progressive
delay), and after 10 failures every attempt is refused until the window is over. A client address
gets 20 free failures and 50 in all, across the accounts it tries (credential stuffing), with the
same delays (at most 30 s each) in between. Refused
means 429 RESOURCE_EXHAUSTED with Retry-After, without the password being checked, and it counts
nothing. So an account gets at most 10 guesses per 15 minutes (40 an hour; ASVS allows 100), and
its owner is kept waiting at most until the window ends, 15 minutes after its first failure.

Unknown accounts are counted exactly like known ones (the same answers, no enumeration). A
successful login resets its account's count (not its address's: one's own account must not
launder an address). Rows are keyed by a SHA-256 of the normalised email or the address (IPv6 by
its /64), never the values themselves, and pruned once their window is over.

An attempt is reserved before its password is checked: counted as a failure in one short
transaction that locks the account's and the address's rows (always in that order), and given
back when it succeeds. So concurrent attempts, on any number of replicas, cannot slip past the
limit; bcrypt runs outside the transaction.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from ipaddress import IPv6Address, ip_address, ip_network

from sqlalchemy import delete
from sqlmodel import Session, col, select

from mystore_kit.database import upsert
from mystore_kit.errors import Code, Problem
from mystore_services.auth.models import LoginFailure

WINDOW = timedelta(minutes=15)
MAX_DELAY_SECONDS = 30  # the progressive delay: 1, 2, 4, 8, 16, 30, 30, ... s
TOO_MANY = "too many failed logins: try again in {seconds} s"


@dataclass(frozen=True)
class Limit:
    free: int  # failures in a window before attempts are delayed
    most: int  # failures in a window after which attempts are refused until it ends

    def wait(self, row: LoginFailure, now: datetime) -> float:
        """Seconds before one more attempt may be made after the failures in `row` (0 or less: now)."""
        if row.failures >= self.most:
            return (as_utc(row.window_started) + WINDOW - now).total_seconds()
        if row.failures >= self.free and row.last_failure_at is not None:
            delay = timedelta(seconds=min(2 ** (row.failures - self.free), MAX_DELAY_SECONDS))
            return (as_utc(row.last_failure_at) + delay - now).total_seconds()
        return 0.0


ACCOUNT = Limit(free=5, most=10)
ADDRESS = Limit(free=20, most=50)


def now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite returns naive UTC


def hashed(kind: str, value: str) -> str:
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def keys(email: str, address: str) -> list[tuple[str, Limit]]:
    """The rows an attempt counts in: its account's, and its address's when the edge knew it."""
    found = [(hashed("account", email), ACCOUNT)]
    if address:
        try:
            parsed = ip_address(address)
        except ValueError:
            parsed = None
        if isinstance(parsed, IPv6Address):  # one host holds a /64
            address = str(ip_network(f"{parsed}/64", strict=False))
        found.append((hashed("address", address), ADDRESS))
    return found


def locked(session: Session, key: str, moment: datetime) -> LoginFailure:
    """The row of `key`, created when missing, locked until the transaction ends."""
    session.exec(  # type: ignore[call-overload]
        upsert(session, LoginFailure.__table__)  # type: ignore[attr-defined]
        .values(key=key, failures=0, window_started=moment)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    row = session.exec(select(LoginFailure).where(LoginFailure.key == key).with_for_update()).one()
    if as_utc(row.window_started) + WINDOW <= moment:  # that window is over: a new one starts
        row.failures, row.window_started, row.last_failure_at = 0, moment, None
    return row


def reserve(session: Session, *, email: str, address: str, moment: datetime) -> None:
    """Counts the attempt as a failure before its password is checked; 429 (counting nothing)
    when the account or the address has to wait."""
    rows = [(locked(session, key, moment), limit) for key, limit in keys(email, address)]
    wait = max(limit.wait(row, moment) for row, limit in rows)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise Problem(
            Code.RESOURCE_EXHAUSTED, TOO_MANY.format(seconds=seconds), headers={"Retry-After": str(seconds)}
        )
    for row, _ in rows:
        row.failures += 1
        row.last_failure_at = moment
        session.add(row)


def succeeded(session: Session, *, email: str, address: str) -> None:
    """A login succeeded: its account starts afresh, and its address gets the attempt back."""
    (account, _), *others = keys(email, address)
    session.exec(delete(LoginFailure).where(col(LoginFailure.key) == account))  # type: ignore[call-overload]
    for key, _ in others:
        row = session.exec(select(LoginFailure).where(LoginFailure.key == key).with_for_update()).first()
        if row is not None and row.failures > 0:
            row.failures -= 1
            session.add(row)


def prune(session: Session, *, moment: datetime, batch: int = 100) -> None:
    """Deletes rows whose window is over (they say nothing any more), skipping rows in use: run in
    a transaction of its own, it waits for no lock, so it never deadlocks with a reservation."""
    expired = (
        select(LoginFailure.key)
        .where(col(LoginFailure.window_started) < moment - WINDOW)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    session.exec(delete(LoginFailure).where(col(LoginFailure.key).in_(expired)))  # type: ignore[call-overload]
