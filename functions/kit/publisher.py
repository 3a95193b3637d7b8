"""Publishes outbox rows: right after their transaction commits (fast path) and from the relay.

A publisher first claims rows: it stamps `claimed_at` on unpublished rows whose claim is free or
expired, in one UPDATE, so two publishers (the fast path and a relay, or two relays) never publish
the same row at once. It sends them, marks them published, or on failure releases the claim for
the relay to try again. A crash anywhere in between delays a row, never loses it.

Sending goes to Kafka (acks=all, idempotent producer, CloudEvents binary mode: `ce_*` headers,
key = the row's key) when a broker is configured, else straight to the subscribers of the topic
with their delivery policy (the embedded mode, like Knative's in-memory channel).
"""

import logging
import queue
import threading
from collections.abc import Sequence
from datetime import timedelta
from functools import cache

from sqlalchemy import or_, update
from sqlmodel import col, select

from kit import database
from kit.declaration import load_declaration
from kit.delivery import Event, deliver
from kit.outbox import OutboxEvent, utcnow
from kit.settings import get_settings

_log = logging.getLogger("mystore.publisher")
BATCH = 200


def claim(service: str, *, ids: Sequence[str] | None = None, limit: int = BATCH) -> list[OutboxEvent]:
    """Unpublished rows of `service` (all, or just `ids`) that no other publisher holds, now ours."""
    now = utcnow()
    free = or_(
        col(OutboxEvent.claimed_at).is_(None),
        col(OutboxEvent.claimed_at) < now - timedelta(seconds=get_settings().outbox_claim_seconds),
    )
    candidates = select(OutboxEvent.id).where(col(OutboxEvent.published_at).is_(None), free)
    if ids is not None:
        candidates = candidates.where(col(OutboxEvent.id).in_(list(ids)))
    candidates = candidates.order_by(col(OutboxEvent.created_at)).limit(limit)
    with database.unit_of_work(service) as session:
        claimed = (
            session.exec(  # type: ignore[call-overload]
                update(OutboxEvent)
                .where(
                    col(OutboxEvent.id).in_(candidates.scalar_subquery()),
                    col(OutboxEvent.published_at).is_(None),
                    free,
                )
                .values(claimed_at=now)
                .returning(col(OutboxEvent.id))
            )
            .scalars()
            .all()
        )
        if not claimed:
            return []
        rows = session.exec(
            select(OutboxEvent).where(col(OutboxEvent.id).in_(claimed)).order_by(col(OutboxEvent.created_at))
        ).all()
    return list(rows)


def _set(service: str, ids: list[str], **values: object) -> None:
    with database.unit_of_work(service) as session:
        session.exec(update(OutboxEvent).where(col(OutboxEvent.id).in_(ids)).values(**values))  # type: ignore[call-overload]


def publish(service: str, *, ids: Sequence[str] | None = None) -> int:
    """Claims, sends and marks published the pending rows of `service`; returns how many."""
    total = 0
    while True:
        rows = claim(service, ids=ids)
        if not rows:
            return total
        row_ids = [row.id for row in rows]
        try:
            sender().send(rows)
        except Exception:
            _set(service, row_ids, claimed_at=None)  # the relay takes them from here
            raise
        _set(service, row_ids, published_at=utcnow())
        total += len(rows)
        if ids is not None:
            return total


class KafkaSender:
    """Kafka records in CloudEvents binary content mode, as KafkaSource forwards them unchanged."""

    def __init__(self, bootstrap_servers: str) -> None:
        from kafka import KafkaProducer

        self.producer = KafkaProducer(
            bootstrap_servers=bootstrap_servers.split(","),
            acks="all",
            enable_idempotence=True,
            linger_ms=2,
            client_id=f"mystore-{get_settings().function or 'publisher'}",
        )

    def send(self, rows: Sequence[OutboxEvent]) -> None:
        futures = []
        for row in rows:
            attributes = row.attributes()
            headers = [
                (f"ce_{name}", value.encode())
                for name, value in attributes.items()
                if name != "datacontenttype"
            ]
            headers.append(("content-type", attributes["datacontenttype"].encode()))
            futures.append(
                self.producer.send(row.topic, key=row.key.encode(), value=row.data, headers=headers)
            )
        self.producer.flush(timeout=get_settings().delivery_timeout_seconds)
        for future in futures:
            future.get(timeout=0)  # raises what the broker answered, if it failed


class DirectSender:
    """No broker: every subscription of the row's topic gets it, with its delivery policy."""

    def send(self, rows: Sequence[OutboxEvent]) -> None:
        from kit.client import function_url

        subscriptions = load_declaration().subscriptions
        for row in rows:
            event = Event(attributes=row.attributes(), data=row.data)
            for subscription in (s for s in subscriptions if s.topic == row.topic):
                deliver(
                    event,
                    sink_url=function_url(subscription.sink),
                    delivery=subscription.delivery,
                    dead_letter_url=function_url(subscription.delivery.deadLetterSink),
                )


@cache
def sender() -> KafkaSender | DirectSender:
    servers = get_settings().kafka_bootstrap_servers
    return KafkaSender(servers) if servers else DirectSender()


class _FastPath:
    """One background thread per process: publishes rows as soon as their transaction committed."""

    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[str, list[str]]] = queue.Queue()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def submit(self, service: str, ids: list[str]) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="outbox-publisher", daemon=True)
                self.thread.start()
        self.queue.put((service, ids))

    def run(self) -> None:
        while True:
            service, ids = self.queue.get()
            batch = {service: list(ids)}
            while len(batch.get(service, ())) < BATCH:  # take what else is waiting, in one go
                try:
                    more_service, more_ids = self.queue.get_nowait()
                except queue.Empty:
                    break
                batch.setdefault(more_service, []).extend(more_ids)
                self.queue.task_done()
            for batch_service, batch_ids in batch.items():
                try:
                    publish(batch_service, ids=batch_ids)
                except Exception:  # noqa: BLE001 - the relay publishes what the fast path could not
                    _log.exception(
                        "fast-path publish of %d %s event(s) failed; the relay will retry",
                        len(batch_ids),
                        batch_service,
                    )
            self.queue.task_done()


_fast_path = _FastPath()


def publish_soon(*, service: str, event_ids: list[str]) -> None:
    """Publishes freshly committed rows in the background (unless the fast path is turned off)."""
    if get_settings().outbox_fast_path:
        _fast_path.submit(service, event_ids)


def wait_for_fast_path() -> None:
    """Blocks until every row handed to the fast path so far was dealt with (tests, shutdown)."""
    _fast_path.queue.join()
