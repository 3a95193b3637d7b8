import threading
import uuid

import pytest
from sqlalchemy import event
from sqlmodel import select

from mystore.shipping.v1.events_pb2 import ShipmentCreated
from mystore_kit.database import engine_for, unit_of_work
from mystore_kit.events import publisher
from mystore_kit.events.envelope import Envelope
from mystore_kit.events.kafka import KafkaTransport
from mystore_kit.events.outbox import OutboxEvent, add_event
from mystore_kit.events.transport import Outgoing
from tests.conftest import reset_caches


def add_rows(count: int, topic: str = "shipments") -> list[str]:
    ids = []
    with unit_of_work("shipping") as session:
        for _ in range(count):
            order_id = str(uuid.uuid4())
            row = add_event(
                session,
                topic=topic,
                key=order_id,
                subject=order_id,
                source="/mystore/shipping",
                event=ShipmentCreated(order_id=order_id, tracking_id="MS-X"),
            )
            ids.append(row.id)
    return ids


def rows() -> list[OutboxEvent]:
    with unit_of_work("shipping") as session:
        return list(session.exec(select(OutboxEvent)).all())


class Recorder:
    def __init__(self, fail=False):
        self.sent, self.fail = [], fail

    def send(self, batch):
        if self.fail:
            raise RuntimeError("broker down")
        self.sent.extend(item.event.id for item in batch)


@pytest.fixture
def recorder(monkeypatch):
    transport = Recorder()
    monkeypatch.setattr(publisher, "_transport", None)
    publisher.install(transport)
    return transport


def test_a_claimed_row_is_not_claimed_again(database_url):
    ids = add_rows(3)
    first = publisher.claim("shipping")
    assert [row.id for row in first] == ids
    assert all(row.claimed_at is not None for row in first)
    assert all(row.claimed_at is not None for row in rows())
    assert publisher.claim("shipping") == []


def test_an_expired_claim_is_taken_over(database_url, monkeypatch):
    add_rows(1)
    publisher.claim("shipping")
    monkeypatch.setenv("MYSTORE_OUTBOX_CLAIM_SECONDS", "0")
    from mystore_kit.settings import get_settings

    get_settings.cache_clear()
    assert len(publisher.claim("shipping")) == 1


def test_publish_sends_in_order_and_marks_published(database_url, recorder):
    ids = add_rows(5)
    assert publisher.publish("shipping") == 5
    assert recorder.sent == ids
    assert all(row.published_at is not None for row in rows())
    assert publisher.publish("shipping") == 0


def fast_path_on(monkeypatch, **more):
    from mystore_kit.settings import get_settings

    monkeypatch.setenv("MYSTORE_OUTBOX_FAST_PATH", "true")
    for name, value in more.items():
        monkeypatch.setenv(f"MYSTORE_{name.upper()}", value)
    get_settings.cache_clear()


def test_with_the_fast_path_on_the_relay_leaves_young_rows_to_it(database_url, monkeypatch):
    add_rows(2)  # committed with the fast path off: nobody else publishes them
    fast_path_on(monkeypatch, outbox_relay_grace_seconds="3600")
    assert publisher.claim("shipping") == []
    fast_path_on(monkeypatch, outbox_relay_grace_seconds="0")
    assert len(publisher.claim("shipping")) == 2


def test_the_fast_path_sends_the_committed_rows_without_claiming_them(database_url, recorder, monkeypatch):
    fast_path_on(monkeypatch)
    ids = add_rows(3)
    publisher.wait_for_fast_path()
    assert recorder.sent == ids
    assert all(row.published_at is not None and row.claimed_at is None for row in rows())


def test_published_rows_are_pruned_after_the_retention(database_url, recorder, monkeypatch):
    add_rows(3)
    assert publisher.publish("shipping") == 3
    add_rows(1)  # not published: never pruned
    assert publisher.prune("shipping") == 0
    fast_path_on(monkeypatch, outbox_fast_path="false", outbox_retention_seconds="0")
    assert publisher.prune("shipping") == 3
    assert [row.published_at for row in rows()] == [None]


def test_pruning_goes_on_batch_after_batch_up_to_its_most(database_url, recorder, monkeypatch):
    add_rows(7)
    publisher.publish("shipping")
    fast_path_on(monkeypatch, outbox_fast_path="false", outbox_retention_seconds="0")
    assert publisher.prune("shipping", limit=2, most=5) == 5
    assert publisher.prune("shipping", limit=2) == 2
    assert rows() == []


def test_rows_published_within_the_retention_are_kept(database_url, recorder, monkeypatch):
    add_rows(2)
    publisher.publish("shipping")
    fast_path_on(monkeypatch, outbox_fast_path="false", outbox_retention_seconds="3600")
    assert publisher.prune("shipping") == 0
    assert len(rows()) == 2


def test_a_failed_send_releases_the_rows_for_the_relay(database_url, monkeypatch):
    add_rows(2)
    monkeypatch.setattr(publisher, "_transport", Recorder(fail=True))
    with pytest.raises(RuntimeError):
        publisher.publish("shipping")
    assert all(row.published_at is None and row.claimed_at is None for row in rows())


def test_the_fast_path_publishes_after_commit_and_never_after_rollback(database_url, recorder, monkeypatch):
    monkeypatch.setenv("MYSTORE_OUTBOX_FAST_PATH", "true")
    from mystore_kit.settings import get_settings

    get_settings.cache_clear()
    ids = add_rows(2)
    with pytest.raises(RuntimeError):
        with unit_of_work("shipping") as session:
            add_event(session, topic="shipments", key="k", subject="k", source="/s", event=ShipmentCreated())
            raise RuntimeError("rolled back")
    publisher.wait_for_fast_path()
    assert recorder.sent == ids
    assert all(row.published_at is not None for row in rows())


class HeldRecorder(Recorder):
    """Its first send waits until released: what is committed meanwhile queues up behind it."""

    def __init__(self):
        super().__init__()
        self.first, self.release = threading.Event(), threading.Event()

    def send(self, batch):
        if not self.first.is_set():
            self.first.set()
            self.release.wait(10)
        super().send(batch)


@pytest.fixture
def outbox_updates(database_url):
    """The UPDATEs of the shipping outbox that the test makes."""
    statements, engine = [], engine_for("shipping")

    def seen(conn, cursor, statement, *_):  # noqa: ANN001
        if statement.lstrip().upper().startswith("UPDATE OUTBOX"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    yield statements
    event.remove(engine, "before_cursor_execute", seen)


def test_the_fast_path_marks_what_it_sent_close_together_in_one_update(outbox_updates, monkeypatch):
    fast_path_on(monkeypatch)
    monkeypatch.setattr(publisher, "MARK_EVERY_SECONDS", 2.0)
    held = HeldRecorder()
    monkeypatch.setattr(publisher, "_transport", held)
    ids = add_rows(1)
    assert held.first.wait(10)  # the first row is being sent
    ids += add_rows(1) + add_rows(1)  # two more transactions commit meanwhile
    held.release.set()
    publisher.wait_for_fast_path()  # returns once they are marked too
    assert held.sent == ids
    assert len(outbox_updates) == 1
    assert all(row.published_at is not None for row in rows())


def test_rows_the_fast_path_sent_but_could_not_mark_are_left_to_the_relay(
    database_url, recorder, monkeypatch
):
    fast_path_on(monkeypatch)
    marks = publisher._set

    def failing_set(*_args):
        raise RuntimeError("database down")

    monkeypatch.setattr(publisher, "_set", failing_set)
    ids = add_rows(2)
    publisher.wait_for_fast_path()
    assert recorder.sent == ids
    monkeypatch.setattr(publisher, "_set", marks)  # the database is back
    fast_path_on(monkeypatch, outbox_fast_path="false", outbox_relay_grace_seconds="0")
    assert publisher.publish("shipping") == 2  # sent again: a duplicate for consumers, never a loss
    assert recorder.sent == ids + ids


def test_kafka_records_are_binary_mode_cloudevents_keyed_by_order(database_url, kafka_bootstrap, monkeypatch):
    from kafka import KafkaConsumer
    from kafka.admin import KafkaAdminClient, NewTopic

    topic = f"test-{uuid.uuid4().hex[:8]}"  # not `shipments`: the stack tests consume that
    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])
    admin.close()
    monkeypatch.setattr(publisher, "_transport", KafkaTransport(kafka_bootstrap))
    (row_id,) = add_rows(1, topic=topic)
    consumer = KafkaConsumer(
        bootstrap_servers=kafka_bootstrap,
        group_id=f"test-{uuid.uuid4()}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    consumer.subscribe([topic])  # a new topic: "earliest" is just what this test publishes
    assert publisher.publish("shipping") == 1
    records = []
    for _ in range(50):
        for batch in consumer.poll(timeout_ms=200).values():
            records.extend(batch)
        if records:
            break
    consumer.close()
    (record,) = records
    headers = {name: value.decode() for name, value in record.headers}
    (row,) = rows()
    assert headers["ce_id"] == row_id and headers["ce_type"] == "mystore.shipping.v1.ShipmentCreated"
    assert headers["ce_specversion"] == "1.0" and headers["ce_source"] == "/mystore/shipping"
    assert headers["ce_subject"] == row.key and headers["content-type"] == "application/json"
    assert record.key.decode() == row.key and record.value == row.data


class FakeProducer:
    """confluent_kafka.Producer's produce/flush: every record acknowledged at the flush."""

    def __init__(self):
        self.sent = []
        self.callbacks = []

    def produce(self, topic, *, on_delivery, **record):
        self.sent.append(topic)
        self.callbacks.append(on_delivery)

    def flush(self, timeout):
        for callback in self.callbacks:
            callback(None, None)
        self.callbacks = []
        return 0


@pytest.mark.parametrize(("prefix", "topic"), [(None, "shipments"), ("staging-", "staging-shipments")])
def test_kafka_topics_carry_the_release_prefix(monkeypatch, prefix, topic):
    """The chart sets MYSTORE_KAFKA_TOPIC_PREFIX for a release other than my-store."""
    if prefix is not None:
        monkeypatch.setenv("MYSTORE_KAFKA_TOPIC_PREFIX", prefix)
    reset_caches()
    transport = KafkaTransport("kafka.test:9092")
    transport.producer = FakeProducer()  # instead of the cached_property's Producer
    event = Envelope.new(type="mystore.shipping.v1.ShipmentCreated", source="/mystore/shipping", data=b"{}")
    transport.send([Outgoing(topic="shipments", key="order-1", event=event)])
    assert transport.producer.sent == [topic]


class RefusingProducer(FakeProducer):
    def flush(self, timeout):
        for callback in self.callbacks:
            callback("KafkaError{code=TOPIC_AUTHORIZATION_FAILED}", None)
        return 0


class SlowProducer(FakeProducer):
    def flush(self, timeout):
        return len(self.callbacks)  # still waiting for the broker when the timeout ran out


@pytest.mark.parametrize(
    ("producer", "error"), [(RefusingProducer, RuntimeError), (SlowProducer, TimeoutError)]
)
def test_a_send_the_broker_did_not_acknowledge_raises(producer, error):
    """The publisher marks rows published only after `send` returned: a refusal or a timeout raises."""
    transport = KafkaTransport("kafka.test:9092")
    transport.producer = producer()
    event = Envelope.new(type="mystore.shipping.v1.ShipmentCreated", source="/mystore/shipping", data=b"{}")
    with pytest.raises(error):
        transport.send([Outgoing(topic="shipments", key="order-1", event=event)])


def test_a_claim_skips_the_rows_another_claim_holds(database_url):
    """Two relays at once: rows one has locked are not waited for, and not taken by the other."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite takes its write lock at BEGIN: claims never overlap")
    from sqlalchemy import text

    from mystore_kit.database import engine_for

    ids = add_rows(4)
    with engine_for("shipping").connect() as other:
        with other.begin():
            other.execute(
                text("SELECT id FROM outbox WHERE id IN (:a, :b) FOR UPDATE"), {"a": ids[0], "b": ids[1]}
            )
            assert [row.id for row in publisher.claim("shipping")] == ids[2:]
    assert [row.id for row in publisher.claim("shipping")] == ids[:2]
