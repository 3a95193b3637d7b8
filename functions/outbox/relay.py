"""outbox-relay: publishes whatever the fast path left in the outboxes of orders and shipping.

Consumes the PingSource's dev.knative.sources.ping events (any CloudEvent); emits the outbox rows
(mystore.order.v1.OrderCreated, mystore.shipping.v1.ShipmentCreated) to Kafka, or straight to the
subscribers without a broker. Two relays at once never publish the same row (see kit.publisher).
"""

import json

import flask

from kit.cloudevent import parse_event, problem_response
from kit.errors import invalid, problem_from
from kit.publisher import publish
from kit.settings import get_settings


def main(request: flask.Request) -> flask.Response:
    try:
        if request.method != "POST":
            raise invalid(f"{request.method} is not supported: POST a CloudEvent")
        parse_event(request.headers, request.get_data())  # a tick; its content does not matter
        published = {service: publish(service) for service in get_settings().outbox_relay_services}
        return flask.Response(json.dumps({"published": published}), status=200, mimetype="application/json")
    except Exception as error:  # noqa: BLE001 - every failure becomes a problem response
        return problem_response(problem_from(error))
