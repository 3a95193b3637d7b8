"""Plays the KafkaSource's part on one machine: one consumer group per subscription.

    python -m mystore_local.dispatcher      (./scripts/dev --kafka starts it with the functions)

For each subscription of functions/functions.yaml, records of its topic are read in the
subscription's consumer group and delivered, one at a time per partition (order kept), to the sink
as binary-mode HTTP CloudEvents with the subscription's retry policy and dead-letter sink
(mystore_local.delivery). A record's offset is committed only after the sink answered 2xx or the event was
dead-lettered, so a dispatcher killed at any moment redelivers, and loses, nothing.

Each record is a consumer span continuing the trace its `ce_traceparent` header names (kit.tracing,
when an endpoint is set); the deliveries to the sink carry it on as `traceparent`. GET /metrics on
port 8180 (Settings.metrics_port) counts deliveries, retries and dead letters per subscription,
and the lag of each consumer group.
"""

import base64
import json
import logging
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from confluent_kafka import Consumer, KafkaException, Message, TopicPartition

from mystore_kit import logs, metrics, tracing
from mystore_kit.client import function_url
from mystore_kit.declaration import Subscription, load_declaration
from mystore_kit.events.envelope import SPECVERSION, Envelope
from mystore_kit.settings import get_settings
from mystore_kit.signals import stop_on_signals
from mystore_local.delivery import DeliveryFailed, deliver

_log = logging.getLogger("mystore.dispatcher")
NAMESPACE = "default"  # what the source attribute of wrapped records names
PARTITIONS_IN_FLIGHT = 8  # partitions of one subscription delivered side by side
MAX_RECORDS = 50  # records one poll returns at most
# Delivered offsets are committed together at most this often (and when partitions are revoked or
# the worker stops): one OffsetCommit per group per interval instead of one per poll. A dispatcher
# killed in between redelivers at most this much, which the sinks take as duplicates.
COMMIT_EVERY_SECONDS = 0.1
METRICS_PORT = 8180
LAG_EVERY_SECONDS = 1.0


def to_event(record: Message, subscription: Subscription) -> Envelope:
    """The record as a CloudEvent: binary mode (ce_* headers), structured mode, or wrapped as
    KafkaSource wraps a record that is not a CloudEvent."""
    value = record.value() or b""
    record_headers = record.headers() or []
    binary = Envelope.from_kafka_headers(record_headers, value)
    if binary is not None:
        return binary
    headers = {name.lower(): (raw or b"").decode("utf-8", errors="replace") for name, raw in record_headers}
    if headers.get("content-type", "").startswith("application/cloudevents+json"):
        envelope = json.loads(value)
        data = envelope.pop("data", None)
        encoded = envelope.pop("data_base64", None)
        body = base64.b64decode(encoded) if encoded else (b"" if data is None else json.dumps(data).encode())
        return Envelope(attributes={name: str(value) for name, value in envelope.items()}, data=body)
    _, millis = record.timestamp()
    attributes = {
        "specversion": SPECVERSION,
        "id": f"partition:{record.partition()}/offset:{record.offset()}",
        "type": "dev.knative.kafka.event",
        "source": f"/apis/v1/namespaces/{NAMESPACE}/kafkasources/{subscription.name}#{record.topic()}",
        "subject": f"partition:{record.partition()}#{record.offset()}",
        "time": datetime.fromtimestamp(millis / 1000, UTC).isoformat().replace("+00:00", "Z"),
    }
    key = record.key()
    if key is not None:
        attributes["key"] = key.decode("utf-8", errors="replace")
    return Envelope(attributes=attributes, data=value)


class SubscriptionWorker(threading.Thread):
    """One subscription: its consumer group, its sink, its delivery policy."""

    def __init__(
        self,
        subscription: Subscription,
        *,
        stopping: threading.Event,
        sink_url: str | None = None,
        dead_letter_url: str | None = None,
    ) -> None:
        super().__init__(name=f"kafka-source-{subscription.name}", daemon=True)
        self.subscription = subscription
        self.stopping = stopping
        self.sink_url = sink_url or function_url(subscription.sink)
        self.dead_letter_url = dead_letter_url or function_url(subscription.delivery.deadLetterSink)
        self.delivered = 0
        self.counting = threading.Lock()
        self.lag_measured = 0.0
        self.uncommitted: dict[TopicPartition, int] = {}  # delivered, offset not yet committed
        self.committed_at = 0.0

    def consumer(self) -> Consumer:
        consumer = Consumer(
            {
                "bootstrap.servers": get_settings().kafka_bootstrap_servers,
                "group.id": self.subscription.consumerGroup,
                "client.id": f"mystore-dispatcher-{self.subscription.name}",
                "enable.auto.commit": False,
                "auto.offset.reset": "earliest",
                # A dispatcher that died leaves the group after this long: its partitions move on.
                "session.timeout.ms": 10000,
                "heartbeat.interval.ms": 3000,
                "fetch.wait.max.ms": 100,  # an idle partition's fetch waits this long for a record
                "error_cb": self.broker_error,
            }
        )
        # Know the topic's partitions before joining the group: a leader that assigns without them
        # hands out nothing until the next metadata refresh, minutes later.
        while not self.stopping.is_set() and not self.topic_known(consumer):
            self.stopping.wait(0.2)
        consumer.subscribe([self.subscription.topic], on_revoke=lambda c, _: self.commit(c))
        return consumer

    def topic_known(self, consumer: Consumer) -> bool:
        try:
            topic = consumer.list_topics(self.subscription.topic, timeout=5).topics.get(
                self.subscription.topic
            )
        except KafkaException:
            return False
        return topic is not None and topic.error is None and bool(topic.partitions)

    def broker_error(self, error) -> None:  # noqa: ANN001 - confluent_kafka.KafkaError
        """librdkafka reconnects by itself; its errors are logged (a fatal one ends the worker)."""
        _log.warning("%s: %s", self.name, error)

    def run(self) -> None:
        consumer = self.consumer()
        with ThreadPoolExecutor(max_workers=PARTITIONS_IN_FLIGHT, thread_name_prefix=self.name) as pool:
            try:
                while not self.stopping.is_set():
                    try:
                        records = self.poll(consumer)
                    except KafkaException as error:  # a broker or coordinator hiccup: poll again
                        _log.warning("%s: poll failed (%s); polling again in 1 s", self.name, error)
                        self.stopping.wait(1.0)
                        continue
                    batches: dict[TopicPartition, list[Message]] = {}
                    for record in records:
                        if record.error() is not None:
                            _log.warning("%s: %s", self.name, record.error())
                            continue
                        partition = TopicPartition(record.topic(), record.partition())
                        batches.setdefault(partition, []).append(record)
                    if batches:
                        self.deliver_batches(consumer, batches, pool)
                    if self.uncommitted and time.monotonic() - self.committed_at >= COMMIT_EVERY_SECONDS:
                        self.commit(consumer)
                    self.measure_lag(consumer)
            finally:
                self.commit(consumer)
                consumer.close()

    def poll(self, consumer: Consumer) -> list[Message]:
        """The records there are, up to MAX_RECORDS, as soon as there is one (waiting 0.2 s at
        most). `consume(n, timeout)` alone would wait for n records or the whole timeout: at a
        low rate, every record would wait for the timeout."""
        first = consumer.poll(0.2)
        if first is None:
            return []
        return [first, *consumer.consume(num_messages=MAX_RECORDS - 1, timeout=0)]

    def deliver_batches(self, consumer: Consumer, batches: dict, pool: ThreadPoolExecutor) -> None:
        """Each partition's records in order, the partitions side by side; what was delivered is
        committed (offsets only ever after the sink's 2xx, as KafkaSource's ordered mode)."""
        if len(batches) == 1:  # one partition, as most polls below saturation: no hop to the pool
            results = [(partition, self.deliver_in_order(records)) for partition, records in batches.items()]
        else:
            results = list(pool.map(lambda item: (item[0], self.deliver_in_order(item[1])), batches.items()))
        done = {partition: next_offset for partition, (next_offset, _) in results if next_offset is not None}
        self.uncommitted.update(done)  # committed by run(), at most COMMIT_EVERY_SECONDS later
        failed = [(partition, offset) for partition, (_, offset) in results if offset is not None]
        for partition, offset in failed:
            self.rewind(consumer, partition, offset)  # the rest of it comes again after the seek
        if failed:
            self.stopping.wait(1.0)

    def commit(self, consumer: Consumer) -> None:
        """Commits the offsets delivered since the last commit (each only after its sink's 2xx)."""
        self.committed_at = time.monotonic()
        if not self.uncommitted:
            return
        done, self.uncommitted = self.uncommitted, {}
        offsets = [TopicPartition(p.topic, p.partition, offset) for p, offset in done.items()]
        try:
            consumer.commit(offsets=offsets, asynchronous=False)
        except KafkaException as error:
            # Delivered but not committed (a rebalance, a coordinator that moved): the records may
            # come again, to this worker or the partition's next owner; their sink takes them as
            # duplicates. Nothing after them is skipped.
            _log.warning("%s: commit of %s failed (%s)", self.name, done, error)

    def deliver_in_order(self, records: list) -> tuple[int | None, int | None]:
        """Delivers `records` (one partition's) one after the other: the offset to commit (None if
        none was delivered) and the offset of a record that could not be delivered (or None)."""
        next_offset = None
        for record in records:
            event = to_event(record, self.subscription)
            try:
                self.deliver(record, event)
            except DeliveryFailed as error:
                _log.error("%s: %s; offset %d not committed, again in 1 s", self.name, error, record.offset())
                return next_offset, record.offset()
            with self.counting:
                self.delivered += 1
            next_offset = record.offset() + 1
        return next_offset, None

    def deliver(self, record: Message, event: Envelope) -> None:
        """One record to the sink, as a consumer span in the trace the event names."""
        with (
            tracing.span(
                f"process {record.topic()}",
                kind="consumer",
                parent=event.attributes,
                attributes=self.span_attributes(record, event),
            ),
            logs.order(event.attributes.get("subject")),
        ):
            outcome = deliver(
                event,
                sink_url=self.sink_url,
                delivery=self.subscription.delivery,
                dead_letter_url=self.dead_letter_url,
                subscription=self.subscription.name,
            )
            # A first-attempt delivery is a DEBUG line: the sink logs what it did with the event,
            # and a line here too was five more per order for every process to write and the
            # runner to read. Retries are INFO; a dead letter is delivery's own WARNING.
            _log.log(
                logging.DEBUG if outcome.attempts == 1 else logging.INFO,
                "%s %s %s to %s (%d attempt(s))",
                "delivered" if outcome.delivered else "dead-lettered",
                event.type,
                event.id,
                self.subscription.sink,
                outcome.attempts,
            )

    def span_attributes(self, record: Message, event: Envelope) -> dict[str, object]:
        if not tracing.enabled():
            return {}
        return {
            "messaging.system": "kafka",
            "messaging.operation.type": "process",
            "messaging.destination.name": record.topic(),
            "messaging.destination.partition.id": str(record.partition()),
            "messaging.consumer.group.name": self.subscription.consumerGroup,
            "messaging.kafka.offset": record.offset(),
            "messaging.message.id": event.id,
            "mystore.order_id": event.attributes.get("subject"),
            "mystore.sink": self.subscription.sink,
        }

    def measure_lag(self, consumer: Consumer) -> None:
        """The group's lag on the topic (end offsets less positions), at most once a second."""
        now = time.monotonic()
        if now - self.lag_measured < LAG_EVERY_SECONDS:
            return
        self.lag_measured = now
        lag = 0
        try:
            for position in consumer.position(consumer.assignment()):
                _, end = consumer.get_watermark_offsets(position, cached=True)
                if end >= 0 and position.offset >= 0:
                    lag += max(0, end - position.offset)
        except KafkaException:
            return  # a rebalance under way: measured next time
        metrics.CONSUMER_LAG.labels(self.subscription.consumerGroup, self.subscription.topic).set(lag)

    def rewind(self, consumer: Consumer, partition: TopicPartition, offset: int) -> None:
        """Fetch `partition` again from `offset` (unless a rebalance took it away meanwhile)."""
        try:
            consumer.seek(TopicPartition(partition.topic, partition.partition, offset))
        except KafkaException:
            pass  # no longer ours: its next owner starts from the committed offset


def main() -> int:
    settings = get_settings()
    name = settings.function or "kafka-source"
    logs.configure(name)
    if not settings.kafka_bootstrap_servers:
        _log.error("MYSTORE_KAFKA_BOOTSTRAP_SERVERS is not set")
        return 2
    tracing.configure(name)
    port = metrics.serve_metrics(METRICS_PORT)
    stopping = threading.Event()
    stop_on_signals(stopping)
    workers = [SubscriptionWorker(s, stopping=stopping) for s in load_declaration().subscriptions]
    for worker in workers:
        worker.start()
        _log.info(
            "%s → %s (group %s)",
            worker.subscription.topic,
            worker.subscription.sink,
            worker.subscription.consumerGroup,
        )
    if port:
        _log.info("metrics at http://%s:%d/metrics", settings.host, port)
    while not stopping.is_set():
        if not all(worker.is_alive() for worker in workers):
            _log.error("a subscription worker died; stopping")
            return 1
        time.sleep(0.5)
    for worker in workers:
        worker.join(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
