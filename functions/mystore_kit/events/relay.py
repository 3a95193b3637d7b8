"""The outbox relay of one service: publishes whatever the fast path left in its own outbox.

    main = relay("orders")      (mystore_services/orders/relay.py, the function order-outbox-relay)

A PingSource ticks it on a schedule (any CloudEvent is a tick; its content does not matter). It
reads only its own service's database, and deletes the rows published longer ago than the
retention (Settings.outbox_retention_seconds, a day by default). Two relays at once never publish
the same row (see events.publisher). Its /metrics tells how many rows wait and how old the oldest
is (read from the outbox at each scrape).
"""

import json
import logging
from collections.abc import Callable, Iterator
from datetime import UTC

import flask
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func
from sqlmodel import col, select

from mystore_kit import database
from mystore_kit.cloudevent import takes_cloudevent
from mystore_kit.events.envelope import Envelope
from mystore_kit.events.outbox import OutboxEvent, utcnow
from mystore_kit.events.publisher import prune, publish

_log = logging.getLogger("mystore.relay")
_measured: list[str] = []  # the services whose outbox this process's /metrics tells of


def relay(service: str) -> Callable[[flask.Request], flask.Response]:
    """A functions-framework HTTP function that publishes `service`'s pending outbox rows per tick."""

    def tick(_: Envelope) -> flask.Response:
        published = publish(service)
        pruned = prune(service)
        return flask.Response(
            json.dumps({"published": {service: published}, "pruned": {service: pruned}}),
            status=200,
            mimetype="application/json",
        )

    main = takes_cloudevent(tick)
    main.service = service  # type: ignore[attr-defined]
    if not _measured:
        REGISTRY.register(OutboxCollector())
    if service not in _measured:
        _measured.append(service)
    return main


def pending(service: str) -> tuple[int, float]:
    """How many rows of `service`'s outbox are unpublished, and the age in seconds of the oldest."""
    with database.unit_of_work(service) as session:
        count, oldest = session.exec(
            select(func.count(), func.min(OutboxEvent.created_at)).where(
                col(OutboxEvent.published_at).is_(None)
            )
        ).one()
    if oldest is None:
        return 0, 0.0
    oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
    return int(count), max(0.0, (utcnow() - oldest).total_seconds())


class OutboxCollector:
    """mystore_outbox_pending and mystore_outbox_oldest_pending_age_seconds, one sample per service
    with a relay in this process (one family each: Prometheus takes a metric name once)."""

    def describe(self) -> list:
        return []  # measured at scrape time only

    def collect(self) -> Iterator[GaugeMetricFamily]:
        waiting = GaugeMetricFamily(
            "mystore_outbox_pending", "Outbox rows not yet published", labels=["service"]
        )
        oldest = GaugeMetricFamily(
            "mystore_outbox_oldest_pending_age_seconds",
            "Age of the oldest unpublished outbox row",
            labels=["service"],
        )
        for service in _measured:
            try:
                count, age = pending(service)
            except Exception as error:  # noqa: BLE001 - a scrape must not fail because the database did
                _log.warning("outbox of %s not measured: %s", service, error)
                continue
            waiting.add_metric([service], count)
            oldest.add_metric([service], age)
        yield waiting
        yield oldest
