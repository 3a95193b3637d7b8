"""The RPC adapter: a CloudEvent request in (binary or structured mode), a CloudEvent reply out.

An entry module is one line over it:

    main = rpc(handlers.register)

`handlers.register(request: RegisterRequest) -> RegisterResponse` is a plain function; its type
hints say which CloudEvent `type` is accepted and which one is answered.
"""

import base64
import binascii
import json
import re
import time
import typing
from collections.abc import Callable, Mapping
from typing import Any

import flask
from google.protobuf.message import Message

from mystore_kit import logs, metrics, tracing
from mystore_kit.errors import PROBLEM_JSON, Problem, invalid, problem_from
from mystore_kit.events.envelope import SPECVERSION, Envelope
from mystore_kit.inputs import parse_json, read_body
from mystore_kit.messages import decode, encode, full_name
from mystore_kit.settings import get_settings

JSON_TYPES = ("application/json", "text/json")
STRUCTURED = "application/cloudevents+json"
REQUIRED = ("specversion", "id", "source", "type")
CORE_ATTRIBUTES = (*REQUIRED, "datacontenttype", "dataschema", "subject", "time")
BINARY_REQUIRED = tuple(f"ce-{name}" for name in REQUIRED)
ATTRIBUTE_NAME = re.compile(r"[a-z0-9]{1,64}")
TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
MEDIA_TYPE = re.compile(rf"{TOKEN}/{TOKEN}(\s*;.*)?", re.DOTALL)  # RFC 9110: type/subtype;parameters
KEY_ATTRIBUTES = ("id", "source", "type")  # what consumers and dead letters store: 200 characters
KEY_LENGTH, ATTRIBUTE_LENGTH = 200, 4096
# What a CloudEvents String may not hold: control characters, surrogates, Unicode noncharacters.
DISALLOWED = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000))
    + "]"
)
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
            event = parse_event(request.headers, read_body(request))
            logs.bind_order(event.attributes.get("subject"))  # domain events: the subject is the order id
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
    """A CloudEvent 1.0 from HTTP, in binary or structured mode, as an Envelope (data as bytes)."""
    media_type = headers.get("Content-Type", "").split(";")[0].strip().lower()
    if media_type == STRUCTURED:
        event = structured_event(body)
    elif media_type.startswith("application/cloudevents"):
        raise invalid(f"{media_type} is not supported: send one event, binary or as {STRUCTURED}")
    else:
        event = binary_event(headers, body)
    check_attributes(event.attributes)
    return event


def binary_event(headers: Mapping[str, str], body: bytes) -> Envelope:
    """Binary mode: the attributes in `ce-*` headers, datacontenttype in Content-Type, data the body."""
    attributes = {}
    for header, value in headers.items():
        if header.lower().startswith("ce-"):
            attributes[attribute_name(header[3:].lower())] = header_text(header, value)
    missing = [f"ce-{name}" for name in REQUIRED if not attributes.get(name)]
    if missing:
        raise invalid(
            f"missing CloudEvent attribute header(s) {', '.join(missing)}: send a binary-mode "
            f"event with {', '.join(BINARY_REQUIRED)}, or a structured one as {STRUCTURED}"
        )
    if headers.get("Content-Type"):
        attributes["datacontenttype"] = header_text("Content-Type", headers["Content-Type"])
    return Envelope(attributes=attributes, data=body)


def structured_event(body: bytes) -> Envelope:
    """Structured mode: one JSON object holding the attributes and `data` (or `data_base64`)."""
    document = parse_json(body, what="the structured CloudEvent")
    if not isinstance(document, dict):
        raise invalid(f"a structured CloudEvent ({STRUCTURED}) must be a JSON object")
    attributes = {
        attribute_name(name): attribute_text(name, value)
        for name, value in document.items()
        if name not in ("data", "data_base64") and value is not None
    }
    missing = [name for name in REQUIRED if not attributes.get(name)]
    if missing:
        raise invalid(f"the structured CloudEvent lacks the attribute(s) {', '.join(missing)}")
    return Envelope(attributes=attributes, data=structured_data(document, attributes.get("datacontenttype")))


def structured_data(document: dict[str, Any], content_type: str | None) -> bytes:
    """The data of a structured event as bytes: JSON re-encoded, a string as UTF-8, base64 decoded."""
    if document.get("data") is not None and document.get("data_base64") is not None:
        raise invalid("a CloudEvent has data or data_base64, not both")
    encoded = document.get("data_base64")
    if encoded is not None:
        try:
            return base64.b64decode(encoded if isinstance(encoded, str) else b"?", validate=True)
        except (binascii.Error, ValueError):
            raise invalid("data_base64 is not a base64 string") from None
    data = document.get("data")
    if data is None:
        return b""
    media_type = (content_type or "application/json").split(";")[0].strip().lower()
    if media_type in JSON_TYPES or media_type.endswith("+json"):
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    if isinstance(data, str):
        return data.encode()
    raise invalid(f"data must be a string for datacontenttype {media_type!r}")


def attribute_name(name: str) -> str:
    if not ATTRIBUTE_NAME.fullmatch(name):
        raise invalid(f"{name[:40]!r} is no CloudEvent attribute name: lower-case letters and digits only")
    return name


def attribute_text(name: str, value: object) -> str:
    """A structured-mode attribute value as text: the spec's attributes are strings, extensions
    strings, integers or booleans (CloudEvents JSON format)."""
    if name in CORE_ATTRIBUTES and not isinstance(value, str):
        raise invalid(f"CloudEvent attribute {name!r} must be a string")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int)):
        return str(value)
    raise invalid(f"CloudEvent attribute {name!r} must be a string, an integer or a boolean")


def header_text(header: str, value: str) -> str:
    """A header value as the UTF-8 text it carries (WSGI hands headers over as Latin-1)."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        raise invalid(f"header {header[:40]!r} is not valid UTF-8") from None


def check_attributes(attributes: Mapping[str, str]) -> None:
    """CloudEvents 1.0 only, every value a CloudEvents String, none longer than is stored."""
    if attributes["specversion"] != SPECVERSION:
        raise invalid(f"specversion {attributes['specversion'][:20]!r} is not supported: send {SPECVERSION}")
    if "datacontenttype" in attributes and not MEDIA_TYPE.fullmatch(attributes["datacontenttype"]):
        raise invalid(f"datacontenttype {attributes['datacontenttype'][:60]!r} is not a media type")
    for name, value in attributes.items():
        limit = KEY_LENGTH if name in KEY_ATTRIBUTES else ATTRIBUTE_LENGTH
        if len(value) > limit:
            raise invalid(f"CloudEvent attribute {name!r} is longer than {limit} characters")
        if DISALLOWED.search(value):
            raise invalid(
                f"CloudEvent attribute {name!r} has a control character, a noncharacter or a lone surrogate"
            )


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
    return flask.Response(
        problem.to_json(), status=problem.status, mimetype=PROBLEM_JSON, headers=problem.headers
    )
