"""Events a consumer has applied, by CloudEvent `source` + `id`: delivery is at least once, effects once.

A row is kept for Settings.inbox_retention_seconds (8 days), longer than the broker keeps an event
(7 days, plus at most one 6-hour segment: the chart's `kafka.topics` and scripts/kafka), so no
event the broker can still redeliver has lost its row. The consumer deletes expired rows as it
goes (`prune`, every PRUNE_EVERY deliveries, a batch at a time): a service's inbox holds the events
of the retention window, however long the store runs (README, "How events flow", Retention).
"""

import itertools
import logging
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, tuple_
from sqlmodel import Field, Session, SQLModel, col, select

from mystore_kit import database
from mystore_kit.settings import get_settings

PRUNE_EVERY = 100  # deliveries per process between two prunes
PRUNE_BATCH = 500  # rows one prune deletes at most: five times what arrived since the last
_log = logging.getLogger("mystore.inbox")
_deliveries = itertools.count(1)
_counting = threading.Lock()


def utcnow() -> datetime:
    return datetime.now(UTC)


class ProcessedEvent(SQLModel, table=True):
    __tablename__ = "processed_events"

    source: str = Field(primary_key=True, max_length=200)
    id: str = Field(primary_key=True, max_length=200)
    type: str = Field(max_length=200)
    processed_at: datetime = Field(default_factory=utcnow, index=True)  # pruning goes by it


def record(session: Session, *, source: str, event_id: str, event_type: str) -> bool:
    """Records the event in `session`'s transaction; False when it was recorded before.

    One INSERT ... ON CONFLICT DO NOTHING: a concurrent delivery of the same event waits for the
    other transaction and then finds the row, so an effect is applied once without a read first.
    """
    values = {"source": source, "id": event_id, "type": event_type, "processed_at": utcnow()}
    return database.insert_once(session, ProcessedEvent, values)


def prune(service: str, *, limit: int = PRUNE_BATCH) -> int:
    """Deletes up to `limit` rows processed longer ago than Settings.inbox_retention_seconds.

    Rows another pruner holds are skipped (FOR UPDATE SKIP LOCKED on PostgreSQL), so two consumer
    processes pruning at once neither wait for nor deadlock with each other.
    """
    cutoff = utcnow() - timedelta(seconds=get_settings().inbox_retention_seconds)
    key = tuple_(col(ProcessedEvent.source), col(ProcessedEvent.id))
    expired = (
        select(ProcessedEvent.source, ProcessedEvent.id)
        .where(col(ProcessedEvent.processed_at) < cutoff)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    with database.unit_of_work(service) as session:
        return session.exec(delete(ProcessedEvent).where(key.in_(expired))).rowcount  # type: ignore[call-overload]


def prune_now_and_then(service: str) -> int:
    """After a delivery: every PRUNE_EVERY-th one in this process prunes a batch (never raises)."""
    with _counting:
        due = next(_deliveries) % PRUNE_EVERY == 0
    if not due:
        return 0
    try:
        return prune(service)
    except Exception:  # noqa: BLE001 - the event's effect committed; the next prune tries again
        _log.warning("pruning the %s inbox failed; the next one retries", service, exc_info=True)
        return 0
