"""Publishes outbox rows: right after their transaction commits (fast path) and from the relay.

The fast path has the rows in hand when their transaction commits: it sends them at once and marks
them published with no claim, one UPDATE for what it sent within MARK_EVERY_SECONDS. The relay
publishes what is left: it first claims rows, stamping `claimed_at` on unpublished rows older than a
grace period (so the fast path has had its chance) whose claim is free or expired, in one UPDATE
(rows another relay is claiming are skipped, FOR UPDATE SKIP LOCKED on PostgreSQL), so two relays
never publish the same row at once. It sends them, marks them published, or on failure releases the
claim. A crash anywhere in between delays a row, never loses it; a fast path slower than the grace
period, or stopped between a send and its mark, may publish a row twice, which its consumers take
as the duplicate it is. Published rows are deleted after Settings.outbox_retention_seconds
(`prune`, at each relay tick, in batches).

Sending goes through the installed transport (events.transport): Kafka on the cluster, the local
runner's direct channel on a laptop. This module never asks which.
"""

import logging
import queue
import threading
import time
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import bindparam, delete, or_, update
from sqlmodel import col, select

from mystore_kit import database, logs, tracing
from mystore_kit.events.outbox import NewEvent, OutboxEvent, Row, on_commit, utcnow
from mystore_kit.events.transport import Outgoing, Transport
from mystore_kit.settings import get_settings

_log = logging.getLogger("mystore.publisher")
BATCH = 200


def claim(service: str, *, limit: int = BATCH) -> list[OutboxEvent]:
    """Unpublished rows of `service` past the grace period that no other publisher holds, now ours.

    Two statements in one transaction: the rows, locked (FOR UPDATE SKIP LOCKED on PostgreSQL;
    SQLite's write lock is taken at BEGIN), then their claim. One UPDATE ... WHERE id IN (that
    SELECT) let PostgreSQL's planner run the locking subquery again for every row it claimed
    (a nested loop, quadratic in the rows claimed) once the outbox was large.
    """
    settings = get_settings()
    now = utcnow()
    free = or_(
        col(OutboxEvent.claimed_at).is_(None),
        col(OutboxEvent.claimed_at) < now - timedelta(seconds=settings.outbox_claim_seconds),
    )
    grace = settings.outbox_relay_grace_seconds if settings.outbox_fast_path else 0.0
    waiting = (
        select(OutboxEvent)
        .where(col(OutboxEvent.published_at).is_(None), free)
        .where(col(OutboxEvent.created_at) <= now - timedelta(seconds=grace))
        .order_by(col(OutboxEvent.created_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    with database.unit_of_work(service) as session:
        rows = list(session.exec(waiting).all())
        if rows:
            ids = [row.id for row in rows]
            claiming = update(OutboxEvent).where(col(OutboxEvent.id).in_(ids)).values(claimed_at=now)
            session.exec(claiming)  # type: ignore[call-overload] - the loaded rows get claimed_at too
    return rows


OUTBOX = OutboxEvent.__table__  # type: ignore[attr-defined]
BY_IDS = OUTBOX.c.id.in_(bindparam("ids", expanding=True))
SET = {  # the rows' claim or publication, by id: built once (database.run)
    name: update(OUTBOX).where(BY_IDS).values({name: bindparam("value", type_=OUTBOX.c[name].type)})
    for name in ("claimed_at", "published_at")
}


def _set(service: str, ids: list[str], column: str, value: object) -> None:
    with database.unit_of_work(service) as session:
        database.run(session, SET[column], {"ids": ids, "value": value})


def publish(service: str) -> int:
    """Claims, sends and marks published the pending rows of `service` (the relay); returns how many."""
    total = 0
    while True:
        rows = claim(service)
        if not rows:
            return total
        row_ids = [row.id for row in rows]
        try:
            send(rows)
        except Exception:
            _set(service, row_ids, "claimed_at", None)  # the next tick tries again
            raise
        _set(service, row_ids, "published_at", utcnow())
        total += len(rows)


PRUNE_BATCH, PRUNE_MOST = BATCH * 5, BATCH * 500  # rows per DELETE, rows per prune


def prune(service: str, *, limit: int = PRUNE_BATCH, most: int = PRUNE_MOST) -> int:
    """Deletes rows published longer ago than Settings.outbox_retention_seconds, `limit` per
    transaction, up to `most` (a relay tick a minute keeps up with 1,600 events/s)."""
    cutoff = utcnow() - timedelta(seconds=get_settings().outbox_retention_seconds)
    total = 0
    while total < most:
        size = min(limit, most - total)
        old = (
            select(OutboxEvent.id)
            .where(col(OutboxEvent.published_at) < cutoff)
            .limit(size)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        with database.unit_of_work(service) as session:
            deleted = session.exec(delete(OutboxEvent).where(col(OutboxEvent.id).in_(old))).rowcount  # type: ignore[call-overload]
        total += deleted
        if deleted < size:  # nothing more to delete (or another relay is deleting it)
            break
    return total


def send(rows: Sequence[Row]) -> None:
    """Hands `rows` to the transport; when tracing, each as a producer span in its row's trace,
    whose context the event carries on (the `traceparent` extension, `ce_traceparent` on Kafka)."""
    way_out = transport()
    traced = tracing.enabled()
    spans = [
        tracing.start(
            f"publish {row.topic}",
            kind="producer",
            parent={"traceparent": row.traceparent or "", "tracestate": row.tracestate or ""},
            attributes={
                "messaging.system": getattr(way_out, "system", "direct"),
                "messaging.operation.type": "send",
                "messaging.destination.name": row.topic,
                "messaging.message.id": row.id,
                "mystore.order_id": row.subject,
            },
        )
        if traced
        else None
        for row in rows
    ]
    outgoing = []
    for row, span in zip(rows, spans, strict=True):
        event = row.envelope()
        event.attributes.update(tracing.carrier_of(span))
        outgoing.append(Outgoing(topic=row.topic, key=row.key, event=event))
    try:
        way_out.send(outgoing)
    except Exception as error:
        if traced:
            tracing.end(spans, error=error)
        raise
    for row, span in zip(rows, spans, strict=True):
        with tracing.current(span), logs.order(row.subject):
            _log.info("published %s %s to %s", row.type, row.id, row.topic)
    if traced:
        tracing.end(spans)


_transport: Transport | None = None


def install(transport: Transport) -> None:
    """Makes `transport` the process's way out, and publishes committed rows right away with it
    (the fast path, unless Settings.outbox_fast_path is off). The composition root calls this."""
    global _transport
    _transport = transport
    on_commit(publish_soon)


def transport() -> Transport:
    if _transport is None:
        raise RuntimeError("no event transport installed: the entry point installs one (kit.serve)")
    return _transport


MARK_EVERY_SECONDS = 0.1  # the fast path marks what it sent at most this long after sending it


class _FastPath:
    """One background thread per process: publishes rows as soon as their transaction committed.

    It sends at once and marks what it sent published in one UPDATE per service at most every
    MARK_EVERY_SECONDS (or per BATCH rows): at 40 orders/s a commit per publish was three of an
    order's eight commits. A crash between the send and the mark leaves the row to the relay,
    which publishes it again after the grace period (a duplicate, which consumers recognise), as
    a crash right after the send always did; the delay only widens that window by 0.1 s."""

    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[str, list[NewEvent]]] = queue.Queue()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def submit(self, service: str, rows: list[NewEvent]) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="outbox-publisher", daemon=True)
                self.thread.start()
        self.queue.put((service, rows))

    def run(self) -> None:
        sent: dict[str, list[str]] = {}  # ids sent and not marked yet, per service
        taken = 0  # queue items dealt with since the last mark: task_done once their rows are marked
        mark_by: float | None = None  # when the oldest of `sent` is to be marked
        while True:
            wait = None if mark_by is None else max(0.0, mark_by - time.monotonic())
            try:
                items, batch = self.take(wait)
            except queue.Empty:
                items, batch = 0, {}
            taken += items
            for service, rows in batch.items():
                if self.sent_ok(service, rows):
                    sent.setdefault(service, []).extend(row.id for row in rows)
                    mark_by = mark_by or time.monotonic() + MARK_EVERY_SECONDS
            if mark_by and (time.monotonic() >= mark_by or max(map(len, sent.values())) >= BATCH):
                self.mark_published(sent)
                sent, mark_by = {}, None
            if not sent:
                for _ in range(taken):
                    self.queue.task_done()
                taken = 0

    def take(self, wait: float | None) -> tuple[int, dict[str, list[NewEvent]]]:
        """How many queue items were taken, and their rows per service: the first within `wait`
        seconds (None: however long it takes), then what else is waiting, up to about BATCH rows."""
        service, rows = self.queue.get(timeout=wait)
        items, batch = 1, {service: list(rows)}
        while len(batch[service]) < BATCH:
            try:
                more_service, more_rows = self.queue.get_nowait()
            except queue.Empty:
                break
            batch.setdefault(more_service, []).extend(more_rows)
            items += 1
        return items, batch

    @staticmethod
    def sent_ok(service: str, rows: list[NewEvent]) -> bool:
        """Sends `rows` (the module's `send`); False, logged, if that failed."""
        try:
            send(rows)
        except Exception:  # noqa: BLE001 - the relay publishes what the fast path could not
            _log.exception(
                "fast-path publish of %d %s event(s) failed; the relay will retry", len(rows), service
            )
            return False
        return True

    @staticmethod
    def mark_published(sent: dict[str, list[str]]) -> None:
        for service, ids in sent.items():
            try:
                _set(service, ids, "published_at", utcnow())
            except Exception:  # noqa: BLE001 - the relay sends them again: duplicates, never a loss
                _log.exception(
                    "marking %d %s event(s) published failed; the relay will resend them", len(ids), service
                )


_fast_path = _FastPath()


def publish_soon(service: str, rows: list[NewEvent]) -> None:
    """Publishes freshly committed rows in the background (unless the fast path is turned off)."""
    if get_settings().outbox_fast_path:
        _fast_path.submit(service, rows)


def wait_for_fast_path() -> None:
    """Blocks until every row handed to the fast path so far was sent and marked, or failed
    (tests, shutdown)."""
    _fast_path.queue.join()
