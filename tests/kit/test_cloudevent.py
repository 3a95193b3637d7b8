import base64
import json

import pytest

from mystore_kit.cloudevent import parse_event
from mystore_kit.errors import Problem

BINARY = {"ce-specversion": "1.0", "ce-id": "1", "ce-source": "/t", "ce-type": "t.v1.Thing"}
STRUCTURED = {"Content-Type": "application/cloudevents+json; charset=utf-8"}
DOCUMENT = {"specversion": "1.0", "id": "1", "source": "/t", "type": "t.v1.Thing"}


def structured(**fields) -> bytes:
    return json.dumps({**DOCUMENT, **fields}).encode()


def nested(depth: int) -> list:
    value: list = []
    for _ in range(depth - 1):
        value = [value]
    return value


def refused(headers: dict, body: bytes) -> str:
    with pytest.raises(Problem) as caught:
        parse_event(headers, body)
    assert caught.value.status == 400
    return caught.value.detail


def test_binary_mode():
    event = parse_event({**BINARY, "ce-subject": "s", "Content-Type": "application/json"}, b'{"a":1}')
    assert event.attributes["subject"] == "s" and event.attributes["datacontenttype"] == "application/json"
    assert event.data == b'{"a":1}'


def test_binary_header_values_are_utf8():
    event = parse_event({**BINARY, "ce-subject": "ä".encode().decode("latin-1")}, b"")
    assert event.attributes["subject"] == "ä"
    assert "not valid UTF-8" in refused({**BINARY, "ce-subject": "\xff"}, b"")


@pytest.mark.parametrize(
    "data",
    [{"a": [1, "ü"]}, "text", 5, None],
)
def test_structured_json_data_is_its_json(data):
    event = parse_event(STRUCTURED, structured(data=data))
    assert event.data == (
        b"" if data is None else json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    )


def test_structured_base64_and_text_data():
    assert (
        parse_event(STRUCTURED, structured(data_base64=base64.b64encode(b"\x00\xff").decode())).data
        == b"\x00\xff"
    )
    event = parse_event(STRUCTURED, structured(datacontenttype="text/plain", data="hi"))
    assert event.data == b"hi" and event.attributes["datacontenttype"] == "text/plain"


def test_structured_extensions_may_be_integers_and_booleans():
    event = parse_event(STRUCTURED, structured(attempts=3, replayed=True))
    assert event.attributes["attempts"] == "3" and event.attributes["replayed"] == "true"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"[]", "must be a JSON object"),
        (b'"event"', "must be a JSON object"),
        (b"{", "not valid JSON"),
        (b'{"specversion": "1.0", "data": "\xff"}', "not valid UTF-8"),
        (b"[" * 5000 + b"]" * 5000, "nested deeper"),
        (structured(data=nested(32)), "nested deeper"),  # 33 levels with the envelope
        (json.dumps({"id": "1", "source": "/t", "type": "t"}).encode(), "specversion"),
        (structured(specversion="0.3"), "specversion '0.3' is not supported"),
        (structured(specversion=1.0), "must be a string"),
        (structured(id=7), "must be a string"),
        (structured(id=""), "lacks the attribute(s) id"),
        (structured(id="x" * 201), "longer than 200"),
        (structured(subject="a\nb"), "control character"),
        (structured(Bad_Name="x"), "no CloudEvent attribute name"),
        (structured(extra=[1]), "string, an integer or a boolean"),
        (structured(data={}, data_base64="e30="), "not both"),
        (structured(data_base64="not base64!"), "not a base64 string"),
        (structured(data_base64=5), "not a base64 string"),
        (structured(datacontenttype="text/plain", data={"a": 1}), "must be a string"),
        (structured(datacontenttype="no media type"), "is not a media type"),
    ],
)
def test_malformed_structured_events_are_400(body, reason):
    assert reason in refused(STRUCTURED, body)


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"ce-specversion": "1.0"}, "ce-id, ce-source, ce-type"),
        ({**BINARY, "ce-specversion": "2.0"}, "not supported"),
        ({**BINARY, "ce-id": ""}, "ce-id"),
        ({**BINARY, "ce-weird_name": "x"}, "no CloudEvent attribute name"),
        ({**BINARY, "ce-source": "\x7f"}, "control character"),
        ({**BINARY, "Content-Type": "json please"}, "is not a media type"),
        ({"Content-Type": "application/cloudevents-batch+json"}, "is not supported"),
        ({"Content-Type": "application/cloudevents+xml"}, "is not supported"),
    ],
)
def test_malformed_binary_events_are_400(headers, reason):
    assert reason in refused(headers, b"{}")
