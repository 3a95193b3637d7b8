"""Prometheus metrics of a process, served at GET /metrics in the Prometheus text format.

A function answers /metrics on its own port, from its own server (kit.cloudevent, the BFF's
router): Knative allows a container one port. grpc-api and the local dispatcher have no HTTP
server, so they start one for /metrics alone (`serve_metrics`, on Settings.metrics_port).

    mystore_requests_total{function, outcome}              requests answered (outcome: 2xx, 4xx, 5xx)
    mystore_request_duration_seconds{function, outcome}    their latency (a histogram)
    mystore_requests_shed_total{function, reason}          answered unworked (busy, deadline, streams)
    mystore_deliveries_total{subscription, outcome}        events delivered / dead_lettered / failed
    mystore_delivery_retries_total{subscription}           attempts after the first
    mystore_dead_letters_total{subscription}               events sent to the dead-letter sink
    mystore_outbox_pending{service}                        outbox rows not yet published (relays)
    mystore_outbox_oldest_pending_age_seconds{service}     how long the oldest of them has waited
    mystore_consumer_lag{group, topic}                     records not yet delivered (dispatcher)
"""

import logging
import time

import flask
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

from mystore_kit.settings import get_settings

REQUESTS = Counter("mystore_requests", "Requests answered, by function and outcome", ["function", "outcome"])
LATENCY = Histogram(
    "mystore_request_duration_seconds",
    "Time to answer a request, by function and outcome",
    ["function", "outcome"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SHED = Counter(
    "mystore_requests_shed",
    "Requests answered without being worked on (kit.admission), by function and reason",
    ["function", "reason"],
)
DELIVERIES = Counter(
    "mystore_deliveries",
    "Events delivered to a sink, by subscription and outcome",
    ["subscription", "outcome"],
)
RETRIES = Counter("mystore_delivery_retries", "Delivery attempts after the first", ["subscription"])
DEAD_LETTERS = Counter("mystore_dead_letters", "Events sent to the dead-letter sink", ["subscription"])
CONSUMER_LAG = Gauge(
    "mystore_consumer_lag", "Records of the topic not yet delivered, per consumer group", ["group", "topic"]
)
PATH = "/metrics"
_log = logging.getLogger("mystore.metrics")


def outcome(status: int) -> str:
    return f"{status // 100}xx"


_children: dict[tuple[str, int], tuple] = {}  # (function, status class): its counter and histogram


def observe(function: str, status: int, started: float) -> None:
    """Counts one answered request that began at `started` (time.perf_counter())."""
    key = (function, status // 100)
    children = _children.get(key)
    if children is None:  # labels() takes a lock and builds the child: once per label pair
        label = outcome(status)
        children = _children.setdefault(
            key, (REQUESTS.labels(function, label), LATENCY.labels(function, label))
        )
    children[0].inc()
    children[1].observe(time.perf_counter() - started)


def is_scrape(request: flask.Request) -> bool:
    return request.method == "GET" and request.path == PATH


def response() -> flask.Response:
    """This process's metrics in the Prometheus text format."""
    return flask.Response(generate_latest(), status=200, headers={"Content-Type": CONTENT_TYPE_LATEST})


def serve_metrics(default_port: int) -> int | None:
    """Serves /metrics on Settings.metrics_port (else `default_port`) in a background thread;
    None when that port is taken (the process runs on, unscraped)."""
    from prometheus_client import start_http_server

    settings = get_settings()
    port = settings.metrics_port or default_port
    try:
        start_http_server(port, addr=settings.host)
    except OSError as error:
        _log.warning("no /metrics: port %d: %s", port, error)
        return None
    return port
