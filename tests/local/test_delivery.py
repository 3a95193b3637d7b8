import base64

import pytest

from mystore_kit.declaration import Delivery
from mystore_kit.events.envelope import Envelope
from mystore_local.delivery import DeliveryFailed, backoff_seconds, deliver, parse_duration, retryable

POLICY = Delivery(retry=3, backoffPolicy="exponential", backoffDelay="PT0.2S", deadLetterSink="dead-letter")
EVENT = Envelope(
    attributes={
        "specversion": "1.0",
        "id": "e-1",
        "source": "/tests",
        "type": "t.v1.Thing",
        "datacontenttype": "application/json",
    },
    data=b'{"a":1}',
)


@pytest.fixture(autouse=True)
def real_http(monkeypatch):
    from mystore_kit import client
    from tests.support import REAL_HTTP_POST

    monkeypatch.setattr(client, "http_post", REAL_HTTP_POST)


@pytest.mark.parametrize(
    ("text", "seconds"), [("PT0.2S", 0.2), ("PT1S", 1), ("PT1M", 60), ("PT1H0.5S", 3600.5)]
)
def test_iso_durations(text, seconds):
    assert parse_duration(text) == seconds


def test_a_bad_duration_is_refused():
    with pytest.raises(ValueError):
        parse_duration("200ms")


def test_backoff_is_exponential_or_linear_like_knative():
    assert [backoff_seconds(POLICY, n) for n in (1, 2, 3)] == pytest.approx([0.2, 0.4, 0.8])
    linear = Delivery(retry=3, backoffPolicy="linear", backoffDelay="PT0.2S", deadLetterSink="dead-letter")
    assert [backoff_seconds(linear, n) for n in (1, 2, 3)] == pytest.approx([0.2, 0.4, 0.6])


@pytest.mark.parametrize(
    ("status", "again"),
    [
        (500, True),
        (503, True),
        (404, True),
        (408, False),
        (409, True),
        (429, True),
        (None, True),
        (400, False),
        (401, False),
        (403, False),
        (422, False),
    ],
)
def test_which_answers_are_retried(status, again):
    assert retryable(status) is again


def test_500_twice_then_200_is_delivered_on_the_third_attempt(make_sink):
    sink, dead = make_sink([500, 500, 200]), make_sink()
    waits = []
    outcome = deliver(EVENT, sink_url=sink.url, delivery=POLICY, dead_letter_url=dead.url, sleep=waits.append)
    assert outcome.delivered and outcome.attempts == 3 and outcome.history == [500, 500, 200]
    assert waits == pytest.approx([0.2, 0.4])
    assert dead.received == []
    assert sink.received[0]["headers"]["ce-id"] == "e-1" and sink.received[0]["body"] == b'{"a":1}'
    assert sink.received[0]["headers"]["content-type"] == "application/json"


def test_a_poison_event_goes_to_the_dead_letter_sink_without_retries(make_sink):
    sink, dead = make_sink([400]), make_sink()
    outcome = deliver(
        EVENT, sink_url=sink.url, delivery=POLICY, dead_letter_url=dead.url, sleep=lambda _: None
    )
    assert not outcome.delivered and outcome.attempts == 1
    (letter,) = dead.received
    assert letter["headers"]["ce-knativeerrordest"] == sink.url
    assert letter["headers"]["ce-knativeerrorcode"] == "400"
    assert letter["headers"]["ce-id"] == "e-1" and letter["body"] == b'{"a":1}'


def test_exhausted_retries_go_to_the_dead_letter_sink_with_the_last_answer(make_sink):
    sink, dead = make_sink([503]), make_sink()
    outcome = deliver(
        EVENT, sink_url=sink.url, delivery=POLICY, dead_letter_url=dead.url, sleep=lambda _: None
    )
    assert outcome.attempts == 4 and len(sink.received) == 4
    assert dead.received[0]["headers"]["ce-mystoreattempts"] == "4"
    assert base64.b64decode(dead.received[0]["headers"]["ce-knativeerrordata"]) == b""


def test_when_the_dead_letter_sink_refuses_delivery_fails_loudly(make_sink):
    sink, dead = make_sink([400]), make_sink([500])
    with pytest.raises(DeliveryFailed):
        deliver(EVENT, sink_url=sink.url, delivery=POLICY, dead_letter_url=dead.url, sleep=lambda _: None)
