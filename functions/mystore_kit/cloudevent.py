"""The RPC adapter: a CloudEvent request in (binary or structured mode), a CloudEvent reply out.

An entry module is one line over it:

    main = rpc(handlers.register)

`handlers.register(request: RegisterRequest) -> RegisterResponse` is a plain function; its type
hints say which CloudEvent `type` is accepted and which one is answered.
"""

import json
import time
import typing
from collections.abc import Callable, Mapping
from typing import Any

import cloudevents.exceptions
import flask
from cloudevents.http import from_http
from google.protobuf.message import Message

from mystore_kit import logs, metrics, tracing
from mystore_kit.errors import PROBLEM_JSON, Problem, invalid, problem_from
from mystore_kit.events.envelope import Envelope
from mystore_kit.messages import decode, encode, full_name
from mystore_kit.settings import get_settings

JSON_TYPES = ("application/json", "text/json")
STRUCTURED = "application/cloudevents+json"
BINARY_REQUIRED = ("ce-specversion", "ce-id", "ce-source", "ce-type")
Handler = Callable[[Any], Message]


def takes_cloudevent(
    respond: Callable[[Envelope], flask.Response],
) -> Callable[[flask.Request], flask.Response]:
    """A functions-framework HTTP function that takes one POSTed CloudEvent (binary or structured
    mode) and answers what `respond(event)` returns; every failure becomes problem+json.

    It also answers GET /metrics (kit.metrics), and traces each request as a server span that
    continues the caller's `traceparent` (else the event's own, the distributed-tracing extension).
    """

    def main(request: flask.Request) -> flask.Response:
        if metrics.is_scrape(request):
            return metrics.response()
        started = time.perf_counter()
        function = get_settings().function or "function"
        parent = None
        if tracing.enabled():
            headers = request.headers
            parent = {
                "traceparent": headers.get("traceparent") or headers.get("ce-traceparent", ""),
                "tracestate": headers.get("tracestate") or headers.get("ce-tracestate", ""),
            }
        token = logs.bind_order(None)
        try:
            with tracing.span(function, kind="server", parent=parent):
                response = answer(request)
                tracing.answered(response.status_code)
        finally:
            logs.unbind(token)
        metrics.observe(function, response.status_code, started)
        return response

    def answer(request: flask.Request) -> flask.Response:
        try:
            if request.method != "POST":
                raise invalid(f"{request.method} is not supported: POST a CloudEvent")
            event = parse_event(request.headers, request.get_data())
            subject = event.attributes.get("subject")
            logs.bind_order(subject)  # domain events: the subject is the order id
            if tracing.enabled():
                traced_event(event)
            return respond(event)
        except Exception as error:  # noqa: BLE001 - every failure becomes a problem response
            return problem_response(problem_from(error))

    return main


def traced_event(event: Envelope) -> None:
    """The CloudEvent's attributes on the current span, linked to the event's own trace if other."""
    tracing.annotate(
        {
            "cloudevents.event_id": event.id,
            "cloudevents.event_type": event.type,
            "cloudevents.event_source": event.attributes.get("source"),
            "cloudevents.event_subject": event.attributes.get("subject"),
            "mystore.order_id": event.attributes.get("subject"),
        }
    )
    tracing.link(event.attributes)


def rpc(handler: Handler) -> Callable[[flask.Request], flask.Response]:
    """Wraps `handler` as a functions-framework HTTP function speaking CloudEvents."""
    hints = typing.get_type_hints(handler)
    request_type = next(hint for name, hint in hints.items() if name != "return")
    reply_type = hints["return"]
    main = takes_cloudevent(lambda event: reply_response(handler(decode_event(event, request_type))))
    main.handler = handler  # type: ignore[attr-defined]
    main.request_type = request_type  # type: ignore[attr-defined]
    main.reply_type = reply_type  # type: ignore[attr-defined]
    return main


def parse_event(headers: Mapping[str, str], body: bytes) -> Envelope:
    """A CloudEvent from HTTP, in binary or structured mode, as an Envelope (data as bytes)."""
    content_type = headers.get("Content-Type", "")
    if not content_type.startswith(STRUCTURED):
        missing = [name for name in BINARY_REQUIRED if not headers.get(name)]
        if missing:
            raise invalid(
                f"missing CloudEvent attribute header(s) {', '.join(missing)}: send a binary-mode "
                f"event with {', '.join(BINARY_REQUIRED)}, or a structured one as {STRUCTURED}"
            )
    try:
        event = from_http(dict(headers), body, data_unmarshaller=lambda data: data)
    except cloudevents.exceptions.GenericException as error:
        raise invalid(f"not a valid CloudEvent: {error}") from None
    data = event.data
    if isinstance(data, str):
        data = data.encode()
    elif data is not None and not isinstance(data, (bytes, bytearray)):
        data = json.dumps(data).encode()  # structured mode: a JSON `data` arrives parsed
    attributes = {name: str(value) for name, value in event.get_attributes().items() if value is not None}
    return Envelope(attributes=attributes, data=bytes(data or b""))


def decode_event(event: Envelope, message_type: type[Message]) -> Message:
    """Checks the event's `type` and decodes its JSON `data` into `message_type`."""
    expected = full_name(message_type)
    if event.type != expected:
        raise invalid(f"CloudEvent type {event.type!r} is not accepted here; expected {expected!r}")
    content_type = (
        (event.attributes.get("datacontenttype") or "application/json").split(";")[0].strip().lower()
    )
    if content_type not in JSON_TYPES:
        raise invalid(f"datacontenttype {content_type!r} is not supported; send application/json")
    return decode(event.data, message_type)


def reply_response(message: Message) -> flask.Response:
    """A binary-mode CloudEvent carrying `message`."""
    reply = Envelope.new(
        type=full_name(message),
        source=f"/mystore/{get_settings().function or 'function'}",
        data=encode(message),
    )
    return flask.Response(reply.data, status=200, headers=reply.http_headers())


def problem_response(problem: Problem) -> flask.Response:
    return flask.Response(problem.to_json(), status=problem.status, mimetype=PROBLEM_JSON)
