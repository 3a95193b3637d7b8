"""Delivers a CloudEvent to a sink over HTTP the way Knative's delivery spec says.

Used by the local KafkaSource dispatcher and by the direct channel (no broker). 2xx is success;
5xx, 404, 409, 429 and unreachable sinks are retried `retry` times with linear or exponential
backoff (as Knative's data-plane spec and its KafkaSource dispatcher do; 408 is not retried); any
other 4xx, and exhausted retries, go to the dead-letter sink with Knative's `knativeerror*`
extensions. Only when the dead-letter sink refuses too does delivery fail (and the
caller keeps the event to try again later): nothing is dropped.
"""

import base64
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from mystore_kit import client, metrics
from mystore_kit.declaration import Delivery
from mystore_kit.events.envelope import Envelope

_log = logging.getLogger("mystore.delivery")
RETRYABLE_STATUSES = {404, 409, 429}
ERROR_DATA_LIMIT = 1024  # bytes of the sink's answer kept in knativeerrordata


class DeliveryFailed(Exception):
    """Neither the sink nor the dead-letter sink took the event."""


@dataclass
class Outcome:
    delivered: bool  # False: it went to the dead-letter sink
    attempts: int
    status: int | None  # the sink's last HTTP status; None when it was unreachable
    history: list[int | None] = field(default_factory=list)


def retryable(status: int | None) -> bool:
    return status is None or status >= 500 or status in RETRYABLE_STATUSES


def parse_duration(text: str) -> float:
    """Seconds of an ISO 8601 duration such as PT0.2S or PT1M (what backoffDelay holds)."""
    match = re.fullmatch(r"PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?", text)
    if not match or not any(match.groups()):
        raise ValueError(f"not an ISO 8601 duration: {text!r}")
    hours, minutes, seconds = (float(group or 0) for group in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def backoff_seconds(delivery: Delivery, retry_number: int) -> float:
    """Wait before retry `retry_number` (1, 2, ...): delay × 2^(n-1) exponential, delay × n linear."""
    delay = parse_duration(delivery.backoffDelay)
    if delivery.backoffPolicy == "exponential":
        return delay * 2 ** (retry_number - 1)
    return delay * retry_number


def deliver(
    event: Envelope,
    *,
    sink_url: str,
    delivery: Delivery,
    dead_letter_url: str,
    subscription: str = "",
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Delivers `event` to `sink_url`, retrying per `delivery`; dead-letters it when that fails.
    Counted per `subscription` (kit.metrics: deliveries, retries, dead letters)."""
    history: list[int | None] = []
    body = b""
    for attempt in range(1, delivery.retry + 2):
        if attempt > 1:
            metrics.RETRIES.labels(subscription).inc()
        status, body = client.send(sink_url, event)
        history.append(status)
        if status is not None and 200 <= status < 300:
            metrics.DELIVERIES.labels(subscription, "delivered").inc()
            return Outcome(delivered=True, attempts=attempt, status=status, history=history)
        if not retryable(status) or attempt == delivery.retry + 1:
            break
        sleep(backoff_seconds(delivery, attempt))
    try:
        dead_letter(
            event,
            sink_url=sink_url,
            status=history[-1],
            body=body,
            attempts=len(history),
            dead_letter_url=dead_letter_url,
        )
    except DeliveryFailed:
        metrics.DELIVERIES.labels(subscription, "failed").inc()
        raise
    metrics.DELIVERIES.labels(subscription, "dead_lettered").inc()
    metrics.DEAD_LETTERS.labels(subscription).inc()
    return Outcome(delivered=False, attempts=len(history), status=history[-1], history=history)


def dead_letter(
    event: Envelope, *, sink_url: str, status: int | None, body: bytes, attempts: int, dead_letter_url: str
) -> None:
    extensions = {
        "knativeerrordest": sink_url,
        "knativeerrorcode": str(status if status is not None else 0),
        "knativeerrordata": base64.b64encode(body[:ERROR_DATA_LIMIT]).decode(),
        "mystoreattempts": str(attempts),
    }
    letter = Envelope(attributes={**event.attributes, **extensions}, data=event.data)
    dead_status, answer = client.send(dead_letter_url, letter)
    if dead_status is None or not 200 <= dead_status < 300:
        raise DeliveryFailed(f"dead-letter sink answered {dead_status}: {answer[:200]!r}")
    _log.warning(
        "dead-lettered %s %s for %s after %d attempt(s), last status %s",
        event.attributes.get("type"),
        event.attributes.get("id"),
        sink_url,
        attempts,
        status,
    )
