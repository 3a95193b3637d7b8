"""dead-letter: keeps every event that could not be delivered (the deadLetterSink of every subscription).

Consumes any CloudEvent with Knative's knativeerrordest/-code/-data extensions; emits nothing.
List and replay them with ./scripts/dead-letters.
"""

import json

import flask

from mystore_kit.cloudevent import takes_cloudevent
from mystore_kit.events.envelope import Envelope
from mystore_services.deadletter import handlers


@takes_cloudevent
def main(event: Envelope) -> flask.Response:
    letter, new = handlers.keep(event.attributes, event.data)
    body = {"status": "kept" if new else "duplicate", "id": letter.id}
    return flask.Response(json.dumps(body), status=200, mimetype="application/json")
