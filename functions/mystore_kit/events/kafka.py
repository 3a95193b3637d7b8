"""The Kafka transport: records in CloudEvents binary content mode, as a KafkaSource forwards them.

acks=all and the idempotent producer: `send` returns only when the broker has every record.
The producer connects on the first send, so a function that never publishes never connects.
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
    def producer(self):  # noqa: ANN201 - kafka.KafkaProducer, imported only when used
        from kafka import KafkaProducer

        if not self.bootstrap_servers:  # the rows stay in the outbox for the relay
            raise RuntimeError("no Kafka broker configured: set MYSTORE_KAFKA_BOOTSTRAP_SERVERS")
        return KafkaProducer(
            bootstrap_servers=self.bootstrap_servers.split(","),
            acks="all",
            enable_idempotence=True,
            linger_ms=2,
            client_id=f"mystore-{get_settings().function or 'publisher'}",
        )

    def send(self, batch: Sequence[Outgoing]) -> None:
        prefix = get_settings().kafka_topic_prefix  # the release's topics (MYSTORE_KAFKA_TOPIC_PREFIX)
        futures = [
            self.producer.send(
                prefix + item.topic,
                key=item.key.encode(),
                value=item.event.data,
                headers=item.event.kafka_headers(),
            )
            for item in batch
        ]
        self.producer.flush(timeout=get_settings().delivery_timeout_seconds)
        for future in futures:
            future.get(timeout=0)  # raises what the broker answered, if it failed
