"""The seam between the outbox and a broker: what a publisher hands over, and who takes it.

The publisher knows rows and leases; a transport knows topics and wires. The composition root
picks the transport: `kit.serve` (the cluster's entry point) installs Kafka (events.kafka); the
local runner installs its direct channel (mystore_local.channel), Knative's in-memory channel.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from mystore_kit.events.envelope import Envelope


@dataclass(frozen=True)
class Outgoing:
    """One event on its way out: the topic, the partition key (per-order ordering), the event."""

    topic: str
    key: str
    event: Envelope


class Transport(Protocol):
    def send(self, batch: Sequence[Outgoing]) -> None:
        """Returns once every event is durably taken; raises if any was not."""
