"""The Kafka transport: records in CloudEvents binary content mode, as a KafkaSource forwards them.

acks=all and the idempotent producer: `send` returns only when the broker has every record, and
raises if any was refused or not acknowledged within Settings.delivery_timeout_seconds (such a
record also expires then: it is not sent later behind the relay's retry). The producer is
librdkafka's (confluent-kafka): its batching and I/O run in C threads, not in the interpreter.
It connects on the first send, so a function that never publishes never connects.
"""

from collections.abc import Sequence
from functools import cached_property

from mystore_kit.events.transport import Outgoing
from mystore_kit.settings import get_settings


class KafkaTransport:
    system = "kafka"  # what the publisher's spans name as messaging.system

    def __init__(self, bootstrap_servers: str) -> None:
        self.bootstrap_servers = bootstrap_servers

    @cached_property
    def producer(self):  # noqa: ANN201 - confluent_kafka.Producer, imported only when used
        from confluent_kafka import Producer

        if not self.bootstrap_servers:  # the rows stay in the outbox for the relay
            raise RuntimeError("no Kafka broker configured: set MYSTORE_KAFKA_BOOTSTRAP_SERVERS")
        settings = get_settings()
        return Producer(
            {
                "bootstrap.servers": self.bootstrap_servers,
                "acks": "all",
                "enable.idempotence": True,
                "linger.ms": 2,
                "message.timeout.ms": int(settings.delivery_timeout_seconds * 1000),
                "client.id": f"mystore-{settings.function or 'publisher'}",
            }
        )

    def send(self, batch: Sequence[Outgoing]) -> None:
        settings = get_settings()
        prefix = settings.kafka_topic_prefix  # the release's topics (MYSTORE_KAFKA_TOPIC_PREFIX)
        failures: list[str] = []
        acknowledged: list[bool] = []

        def delivered(error, _message) -> None:  # noqa: ANN001 - librdkafka's KafkaError, Message
            if error is not None:
                failures.append(str(error))
            acknowledged.append(True)

        for item in batch:
            self.producer.produce(
                prefix + item.topic,
                key=item.key.encode(),
                value=item.event.data,
                headers=item.event.kafka_headers(),
                on_delivery=delivered,
            )
        waiting = self.producer.flush(settings.delivery_timeout_seconds)
        if failures:
            raise RuntimeError(f"Kafka refused {len(failures)} of {len(batch)} record(s): {failures[0]}")
        if waiting or len(acknowledged) < len(batch):
            raise TimeoutError(f"Kafka acknowledged {len(acknowledged)} of {len(batch)} record(s) in time")
