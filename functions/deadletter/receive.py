"""dead-letter: keeps every event that could not be delivered (the deadLetterSink of every subscription).

Consumes any CloudEvent with Knative's knativeerrordest/-code/-data extensions; emits nothing.
List and replay them with ./scripts/dead-letters.
"""

import json

import flask

from deadletter import handlers
from kit.cloudevent import parse_event, problem_response
from kit.errors import invalid, problem_from


def main(request: flask.Request) -> flask.Response:
    try:
        if request.method != "POST":
            raise invalid(f"{request.method} is not supported: POST a CloudEvent")
        event = parse_event(request.headers, request.get_data())
        data = event.data if isinstance(event.data, bytes) else json.dumps(event.data).encode()
        letter, new = handlers.keep(event.get_attributes(), data)
        body = {"status": "kept" if new else "duplicate", "id": letter.id}
        return flask.Response(json.dumps(body), status=200, mimetype="application/json")
    except Exception as error:  # noqa: BLE001 - every failure becomes a problem response
        return problem_response(problem_from(error))
