"""outbox-relay: publishes whatever the fast path left in the outboxes of orders and shipping.

Consumes the PingSource's dev.knative.sources.ping events (any CloudEvent); emits the outbox rows
(mystore.order.v1.OrderCreated, mystore.shipping.v1.ShipmentCreated) to Kafka, or straight to the
subscribers without a broker. Two relays at once never publish the same row (see kit.publisher).
"""

import json
from typing import Any

import flask

from kit.cloudevent import takes_cloudevent
from kit.publisher import publish
from kit.settings import get_settings


@takes_cloudevent
def main(tick: Any) -> flask.Response:
    """Any event is a tick; its content does not matter."""
    published = {service: publish(service) for service in get_settings().outbox_relay_services}
    return flask.Response(json.dumps({"published": published}), status=200, mimetype="application/json")
