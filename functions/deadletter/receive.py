"""dead-letter: keeps every event that could not be delivered (the deadLetterSink of every subscription).

Consumes any CloudEvent with Knative's knativeerrordest/-code/-data extensions; emits nothing.
List and replay them with ./scripts/dead-letters.
"""

import json
from typing import Any

import flask

from deadletter import handlers
from kit.cloudevent import takes_cloudevent


@takes_cloudevent
def main(event: Any) -> flask.Response:
    data = event.data if isinstance(event.data, bytes) else json.dumps(event.data).encode()
    letter, new = handlers.keep(event.get_attributes(), data)
    body = {"status": "kept" if new else "duplicate", "id": letter.id}
    return flask.Response(json.dumps(body), status=200, mimetype="application/json")
