import itertools
import re
import uuid
from datetime import timedelta
from pathlib import Path

import yaml
from sqlalchemy import update
from sqlmodel import col, select

from mystore_kit.database import unit_of_work
from mystore_kit.events import inbox
from mystore_kit.events.inbox import ProcessedEvent, utcnow
from tests.conftest import reset_caches
from tests.events import order_created
from tests.support import post_event

ROOT = Path(__file__).resolve().parents[3]


def record(count: int, *, age: timedelta = timedelta(0)) -> list[str]:
    """`count` events recorded in shipping's inbox, as if processed `age` ago."""
    ids = [str(uuid.uuid4()) for _ in range(count)]
    with unit_of_work("shipping") as session:
        for event_id in ids:
            assert inbox.record(session, source="/tests", event_id=event_id, event_type="t")
        session.exec(
            update(ProcessedEvent).where(col(ProcessedEvent.id).in_(ids)).values(processed_at=utcnow() - age)
        )
    return ids


def kept() -> set[str]:
    with unit_of_work("shipping") as session:
        return set(session.exec(select(ProcessedEvent.id)).all())


def test_pruning_deletes_only_rows_older_than_the_retention(database_url, monkeypatch):
    monkeypatch.setenv("MYSTORE_INBOX_RETENTION_SECONDS", str(8 * 86400))
    reset_caches()
    old = record(3, age=timedelta(days=8, minutes=1))
    young = record(2, age=timedelta(days=7, hours=23))
    assert inbox.prune("shipping") == 3
    assert kept() == set(young)
    assert inbox.prune("shipping") == 0
    assert not set(old) & kept()


def test_pruning_deletes_a_batch_at_a_time(database_url):
    record(5, age=timedelta(days=30))
    assert inbox.prune("shipping", limit=2) == 2
    assert len(kept()) == 3


def test_a_pruned_event_delivered_again_is_applied_again(database_url):
    """What the retention is for: past it, a redelivery is no longer recognised (so it must exceed
    the broker's retention, after which no redelivery can come)."""
    (event_id,) = record(1, age=timedelta(days=9))
    inbox.prune("shipping")
    with unit_of_work("shipping") as session:
        assert inbox.record(session, source="/tests", event_id=event_id, event_type="t")


def test_the_consumer_prunes_every_so_many_deliveries(database_url, monkeypatch):
    monkeypatch.setattr(inbox, "PRUNE_EVERY", 3)
    monkeypatch.setattr(inbox, "_deliveries", itertools.count(1))
    old = record(4, age=timedelta(days=9))
    for delivery in range(1, 4):
        response = post_event(
            "shipping-on-order-created", type="mystore.order.v1.OrderCreated", data=order_created()
        )
        assert response.status_code == 200
        assert (set(old) <= kept()) == (delivery < 3), delivery  # the third delivery pruned
    assert len(kept()) == 3  # the three events delivered


def test_the_default_retention_outlasts_the_brokers(settings):
    """A record lives up to its topic's retention plus one segment's span (Kafka deletes segments)."""
    values = yaml.safe_load((ROOT / "helm/my-store/values.yaml").read_text())
    lifetimes = [t["retentionMs"] + t["segmentMs"] for t in values["kafka"]["topics"].values()]
    assert settings.inbox_retention_seconds * 1000 > max(lifetimes)
    local = (ROOT / "scripts/kafka").read_text()
    local_ms = sum(
        int(re.search(rf"^{name}=(\d+)$", local, re.M).group(1))
        for name in ("log.retention.ms", "log.roll.ms")
    )
    assert settings.inbox_retention_seconds * 1000 > local_ms
