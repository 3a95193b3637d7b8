"""What callers send, read within documented limits, so malformed input is a 4xx and never a 500.

    body = read_body(request)                 # 413 past Settings.max_body_bytes, before reading it
    value = parse_json(body, what="data")     # 400 unless I-JSON nested at most MAX_JSON_DEPTH deep

Every function (kit.cloudevent) and the BFF (bff.rest) read their bodies through these two.
"""

import json
import re
from typing import Any

import flask
from werkzeug.exceptions import RequestEntityTooLarge

from mystore_kit.errors import Code, Problem, invalid
from mystore_kit.settings import get_settings

MAX_JSON_DEPTH = 32  # objects and arrays inside each other; the deepest real message has 4
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL (PostgreSQL cannot store it), lone surrogates


def too_large(limit: int) -> Problem:
    return Problem(Code.RESOURCE_EXHAUSTED, f"the request body is larger than {limit} bytes", status=413)


def read_body(request: flask.Request) -> bytes:
    """The request's body; over Settings.max_body_bytes it is refused (413) without being read."""
    limit = get_settings().max_body_bytes
    if request.content_length is not None and request.content_length > limit:
        raise too_large(limit)
    # A chunked body has no Content-Length: read one byte past the limit to know it is over.
    request.max_content_length = limit + 1
    try:
        body = request.get_data()
    except RequestEntityTooLarge:
        raise too_large(limit) from None
    if len(body) > limit:
        raise too_large(limit)
    return body


def nesting(text: str) -> int:
    """How deep the arrays and objects of the JSON `text` nest (brackets inside strings do not
    count). Only texts with many brackets are scanned: a RecursionError caught in CPython 3.11 can
    leave the interpreter's recursion count wrong, so json.loads must never get that deep."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return 0
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


def parse_json(raw: bytes | str, *, what: str) -> Any:
    """`raw` as I-JSON (RFC 7493: strict UTF-8, no lone surrogates, no NaN) without U+0000 in its
    strings, nested at most MAX_JSON_DEPTH deep."""
    if isinstance(raw, (bytes, bytearray, memoryview)):
        try:
            raw = bytes(raw).decode("utf-8")
        except UnicodeDecodeError as error:
            raise invalid(f"{what} is not valid UTF-8: {error.reason} at byte {error.start}") from None
    if nesting(raw) > MAX_JSON_DEPTH:  # before json.loads, which would recurse as deep as the input
        raise invalid(f"{what} is nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        value = json.loads(raw, parse_constant=_no_constant)
    except ValueError as error:
        raise invalid(f"{what} is not valid JSON: {error}") from None
    check_json(value, what=what)
    return value


def check_json(value: Any, *, what: str) -> None:
    """Walks `value` without recursion: at most MAX_JSON_DEPTH deep, every string storable."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if UNSTORABLE.search(item):
                raise invalid(f"{what} has a string with U+0000 or a lone surrogate in it")
            continue
        if isinstance(item, dict):
            children = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth + 1 > MAX_JSON_DEPTH:
            raise invalid(f"{what} is nested deeper than {MAX_JSON_DEPTH} levels")
        stack.extend((child, depth + 1) for child in children)
