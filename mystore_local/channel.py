"""The direct channel: with no broker, outbox events go straight to their topic's subscribers.

What Knative's in-memory channel is for development: every subscription of the event's topic in
functions/functions.yaml gets it, with its delivery policy (retry, backoff, dead-letter sink;
mystore_local.delivery). `mystore_local.serve` installs it as the outbox's transport.
"""

from collections.abc import Sequence

from mystore_kit import tracing
from mystore_kit.client import function_url
from mystore_kit.declaration import load_declaration
from mystore_kit.events.transport import Outgoing
from mystore_local.delivery import deliver


class DirectChannel:
    def send(self, batch: Sequence[Outgoing]) -> None:
        subscriptions = load_declaration().subscriptions
        for item in batch:
            for subscription in (s for s in subscriptions if s.topic == item.topic):
                with tracing.span(
                    f"deliver {subscription.name}",
                    kind="consumer",
                    parent=item.event.attributes,
                    attributes={"messaging.system": "direct", "messaging.destination.name": item.topic},
                ):
                    deliver(
                        item.event,
                        sink_url=function_url(subscription.sink),
                        delivery=subscription.delivery,
                        dead_letter_url=function_url(subscription.delivery.deadLetterSink),
                        subscription=subscription.name,
                    )
