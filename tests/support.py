"""Helpers for tests: load functions through functions-framework, post CloudEvents to them."""

import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from functions_framework import create_app

from mystore_kit.client import Answer, http_post
from mystore_kit.declaration import load_declaration

FUNCTIONS_DIR = Path(__file__).resolve().parents[1] / "functions"
MODES = ["binary", "structured"]
REAL_HTTP_POST = http_post  # for tests that post over real sockets while functions_in_process is on


def function_app(name: str):
    """The declared function `name`, loaded the way functions-framework serves it."""
    function = load_declaration().function(name)
    return create_app(target="main", source=str(function.path), signature_type="http")


@cache
def _client(name: str):
    return function_app(name).test_client()


def post_event(name: str, *, type: str, data: Any, mode: str = "binary", **attributes: str):
    """Posts a CloudEvent to function `name` in binary or structured mode."""
    body = data if isinstance(data, (str, bytes)) else json.dumps(data)
    event_id = str(uuid.uuid4())
    if mode == "binary":
        headers = {
            "ce-specversion": "1.0",
            "ce-id": event_id,
            "ce-source": "/tests",
            "ce-type": type,
            "Content-Type": "application/json",
        }
        headers.update({f"ce-{key}": value for key, value in attributes.items()})
        return _client(name).post("/", data=body, headers=headers)
    envelope = {
        "specversion": "1.0",
        "id": event_id,
        "source": "/tests",
        "type": type,
        "datacontenttype": "application/json",
        **attributes,
    }
    if isinstance(data, (str, bytes)):
        text = data.decode() if isinstance(data, bytes) else data
        raw = json.dumps(envelope)[:-1] + ', "data": ' + text + "}"
    else:
        raw = json.dumps({**envelope, "data": data})
    return _client(name).post("/", data=raw, headers={"Content-Type": "application/cloudevents+json"})


def in_process_post(url: str, *, body: bytes, headers, timeout: float) -> Answer:
    """kit.client.http_post for http://<function>.functions.test/: that function, run in-process.

    The BFF's calls then run the real functions, without ports.
    """
    name = urlsplit(url).hostname.removesuffix(".functions.test")
    answer = _client(name).open(urlsplit(url).path or "/", method="POST", data=body, headers=dict(headers))
    return Answer(status=answer.status_code, headers=answer.headers, content=answer.get_data())
