"""The outbox relay of one service: publishes whatever the fast path left in its own outbox.

    main = relay("orders")      (mystore_services/orders/relay.py, the function order-outbox-relay)

A PingSource ticks it on a schedule (any CloudEvent is a tick; its content does not matter). It
reads only its own service's database, and deletes the rows published longer ago than the
retention (Settings.outbox_retention_seconds, a day by default). Two relays at once never publish
the same row (see events.publisher).
"""

import json
from collections.abc import Callable

import flask

from mystore_kit.cloudevent import takes_cloudevent
from mystore_kit.events.envelope import Envelope
from mystore_kit.events.publisher import prune, publish


def relay(service: str) -> Callable[[flask.Request], flask.Response]:
    """A functions-framework HTTP function that publishes `service`'s pending outbox rows per tick."""

    def tick(_: Envelope) -> flask.Response:
        published = publish(service)
        pruned = prune(service)
        return flask.Response(
            json.dumps({"published": {service: published}, "pruned": {service: pruned}}),
            status=200,
            mimetype="application/json",
        )

    main = takes_cloudevent(tick)
    main.service = service  # type: ignore[attr-defined]
    return main
