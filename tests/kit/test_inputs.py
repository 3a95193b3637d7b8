import io

import flask
import pytest

from mystore_kit.errors import Problem
from mystore_kit.inputs import MAX_JSON_DEPTH, parse_json, read_body
from mystore_kit.settings import get_settings

app = flask.Flask(__name__)


def request_with(body: bytes, *, chunked: bool = False) -> flask.Request:
    environ = {"REQUEST_METHOD": "POST", "wsgi.input": io.BytesIO(body)}
    if chunked:  # no Content-Length: the server says where the body ends
        environ["wsgi.input_terminated"] = True
    else:
        environ["CONTENT_LENGTH"] = str(len(body))
    return flask.Request(environ)


@pytest.fixture(autouse=True)
def limit(monkeypatch):
    monkeypatch.setenv("MYSTORE_MAX_BODY_BYTES", "2048")
    get_settings.cache_clear()


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_within_the_limit_is_read(chunked):
    with app.app_context():
        assert read_body(request_with(b"x" * 2048, chunked=chunked)) == b"x" * 2048


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_over_the_limit_is_413(chunked):
    with app.app_context(), pytest.raises(Problem) as caught:
        read_body(request_with(b"x" * 2049, chunked=chunked))
    assert caught.value.status == 413 and caught.value.code.name == "RESOURCE_EXHAUSTED"
    assert "2048 bytes" in caught.value.detail


def test_a_declared_length_over_the_limit_is_refused_unread():
    stream = io.BytesIO(b"never read")
    request = flask.Request({"REQUEST_METHOD": "POST", "wsgi.input": stream, "CONTENT_LENGTH": "10000000"})
    with app.app_context(), pytest.raises(Problem):
        read_body(request)
    assert stream.tell() == 0


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_json_nested_up_to_the_limit_is_fine():
    assert parse_json(nested(MAX_JSON_DEPTH), what="data") is not None


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 5000, 200_000])
def test_json_nested_deeper_is_400_not_a_recursion_error(depth):
    with pytest.raises(Problem) as caught:
        parse_json(nested(depth), what="data")
    assert caught.value.status == 400 and "nested deeper" in caught.value.detail


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"a": "\xff"}', "not valid UTF-8"),
        (b"\xed\xa0\x80", "not valid UTF-8"),  # a surrogate encoded in UTF-8
        (b'{"a": "\\ud800"}', "lone surrogate"),
        (b'{"\\udc00": 1}', "lone surrogate"),
        (b'{"a": "x\\u0000"}', "U+0000"),
        (b"[NaN]", "not valid JSON"),
        (b"-Infinity", "not valid JSON"),
        (b"9" * 5000, "not valid JSON"),  # longer than Python converts to int
        (b"", "not valid JSON"),
    ],
)
def test_what_is_not_i_json_is_400(raw, reason):
    with pytest.raises(Problem) as caught:
        parse_json(raw, what="data")
    assert caught.value.status == 400 and reason in caught.value.detail


def test_surrogate_pairs_and_other_text_are_fine():
    assert parse_json('{"emoji": "\\ud83d\\ude00", "ä": "ö"}'.encode(), what="data") == {
        "emoji": "😀",
        "ä": "ö",
    }
