"""The local KafkaSource against a real broker: consumer groups, delivery policy, offsets."""

import json
import subprocess
import threading
import uuid

import pytest
from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

from mystore_kit.declaration import Delivery, Subscription
from mystore_local.dispatcher import SubscriptionWorker
from tests.local.stack import wait_for

POLICY = Delivery(retry=3, backoffPolicy="exponential", backoffDelay="PT0.05S", deadLetterSink="dead-letter")


@pytest.fixture(autouse=True)
def real_http(monkeypatch, kafka_bootstrap):
    from mystore_kit import client
    from tests.support import REAL_HTTP_POST

    monkeypatch.setattr(client, "http_post", REAL_HTTP_POST)
    monkeypatch.setenv("MYSTORE_KAFKA_BOOTSTRAP_SERVERS", kafka_bootstrap)
    from mystore_kit.settings import get_settings

    get_settings.cache_clear()


@pytest.fixture
def topic(kafka_bootstrap):
    name = f"test-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    admin.create_topics([NewTopic(name, num_partitions=3, replication_factor=1)])
    admin.close()
    return name


@pytest.fixture
def producer(kafka_bootstrap):
    client = KafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    yield client
    client.close()


def run_worker(topic, sink, dead, group=None):
    subscription = Subscription(
        name="test",
        topic=topic,
        consumerGroup=group or f"group-{topic}",
        sink="sink",
        types=("t.v1.Thing",),
        delivery=POLICY,
    )
    stopping = threading.Event()
    worker = SubscriptionWorker(subscription, stopping=stopping, sink_url=sink.url, dead_letter_url=dead.url)
    worker.start()
    return worker, stopping


def deliver_all(topic, sink, dead, *, count):
    """Runs a dispatcher worker until it has dealt with `count` records, then stops it."""
    worker, stopping = run_worker(topic, sink, dead)
    try:
        wait_for(lambda: worker.delivered == count, message=f"{count} deliveries")
    finally:
        stopping.set()
        worker.join(10)


def ce_headers(event_id, **more):
    attributes = {"specversion": "1.0", "id": event_id, "source": "/tests", "type": "t.v1.Thing", **more}
    return [(f"ce_{k}", v.encode()) for k, v in attributes.items()] + [("content-type", b"application/json")]


def test_500_twice_then_200_is_delivered_once_and_committed(topic, producer, make_sink):
    sink, dead = make_sink([500, 500, 200]), make_sink()
    producer.send(topic, key=b"order-1", value=b'{"n":1}', headers=ce_headers("e-1")).get(10)
    worker, stopping = run_worker(topic, sink, dead)
    wait_for(lambda: worker.delivered == 1, message="the delivery")
    stopping.set()
    worker.join(10)
    assert [r["headers"]["ce-id"] for r in sink.received] == ["e-1"] * 3 and dead.received == []
    again, stopping = run_worker(topic, make_sink(), dead)  # same group: the offset was committed
    try:
        import time

        time.sleep(3)
        assert again.delivered == 0
    finally:
        stopping.set()
        again.join(10)


def test_a_poison_event_is_dead_lettered_at_once(topic, producer, make_sink):
    sink, dead = make_sink([400]), make_sink()
    producer.send(topic, key=b"k", value=b"{}", headers=ce_headers("poison")).get(10)
    deliver_all(topic, sink, dead, count=1)
    assert len(sink.received) == 1
    (letter,) = dead.received
    assert letter["headers"]["ce-knativeerrorcode"] == "400" and letter["headers"]["ce-id"] == "poison"


def test_a_record_that_is_no_cloudevent_is_wrapped_like_kafkasource_does(topic, producer, make_sink):
    sink, dead = make_sink(), make_sink()
    metadata = producer.send(topic, key=b"plain-key", value=b"just bytes").get(10)
    deliver_all(topic, sink, dead, count=1)
    headers = sink.received[0]["headers"]
    assert headers["ce-id"] == f"partition:{metadata.partition}/offset:{metadata.offset}"
    assert headers["ce-type"] == "dev.knative.kafka.event"
    assert headers["ce-source"].endswith(f"/kafkasources/test#{topic}") and headers["ce-key"] == "plain-key"
    assert sink.received[0]["body"] == b"just bytes"


def test_a_structured_record_is_delivered_in_binary_mode(topic, producer, make_sink):
    sink, dead = make_sink(), make_sink()
    envelope = {"specversion": "1.0", "id": "s-1", "source": "/tests", "type": "t.v1.Thing", "data": {"a": 1}}
    producer.send(
        topic,
        value=json.dumps(envelope).encode(),
        headers=[("content-type", b"application/cloudevents+json")],
    ).get(10)
    deliver_all(topic, sink, dead, count=1)
    assert sink.received[0]["headers"]["ce-id"] == "s-1" and json.loads(sink.received[0]["body"]) == {"a": 1}


def test_order_is_kept_per_partition(topic, producer, make_sink):
    sink, dead = make_sink(), make_sink()
    for n in range(30):
        producer.send(
            topic, key=f"order-{n % 3}".encode(), value=b"{}", headers=ce_headers(f"{n % 3}-{n:02d}")
        )
    producer.flush()
    deliver_all(topic, sink, dead, count=30)
    ids = [r["headers"]["ce-id"] for r in sink.received]
    for key in "012":
        of_key = [i for i in ids if i.startswith(f"{key}-")]
        assert of_key == sorted(of_key) and len(of_key) == 10


def test_kcat_records_with_hand_written_ce_headers_are_delivered(topic, make_sink, kafka_bootstrap):
    sink, dead = make_sink(), make_sink()
    subprocess.run(
        [
            "kcat",
            "-P",
            "-b",
            kafka_bootstrap,
            "-t",
            topic,
            "-k",
            "order-9",
            "-H",
            "ce_specversion=1.0",
            "-H",
            "ce_id=kcat-1",
            "-H",
            "ce_source=/kcat",
            "-H",
            "ce_type=t.v1.Thing",
            "-H",
            "content-type=application/json",
        ],
        input=b'{"from":"kcat"}',
        check=True,
        timeout=30,
    )
    deliver_all(topic, sink, dead, count=1)
    headers = sink.received[0]["headers"]
    assert (headers["ce-id"], headers["ce-source"], headers["ce-type"]) == ("kcat-1", "/kcat", "t.v1.Thing")
    assert json.loads(sink.received[0]["body"]) == {"from": "kcat"}
