"""Publishes outbox rows right after their transaction commits (the fast path).

Whatever this does not publish, `outbox-relay` will: a crash between commit and publish loses
nothing, it only delays.
"""


def publish_soon(service: str, event_ids: list[str]) -> None:
    """Hands freshly committed outbox rows of `service` to the event backbone."""
    # Delivery (Kafka, or straight to the subscribers without a broker) is wired in with the
    # event backbone; until then the rows wait in the outbox for the relay.
    return None
