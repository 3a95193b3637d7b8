"""Helpers for tests: load functions through functions-framework, post CloudEvents to them."""

import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from functions_framework import create_app
from requests.adapters import BaseAdapter

from mystore_kit.declaration import load_declaration

FUNCTIONS_DIR = Path(__file__).resolve().parents[1] / "functions"
MODES = ["binary", "structured"]


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


class InProcessFunctions(BaseAdapter):
    """A requests transport that hands http://<function>.functions.test/ to that function in-process.

    The BFF's calls then run the real functions, without ports.
    """

    def send(self, request, **kwargs):  # type: ignore[override]
        name = urlsplit(request.url).hostname.removesuffix(".functions.test")
        answer = _client(name).open(
            urlsplit(request.url).path or "/",
            method=request.method,
            data=request.body,
            headers=dict(request.headers),
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = requests.structures.CaseInsensitiveDict(answer.headers)
        response._content = answer.get_data()
        response.url = request.url
        response.request = request
        return response

    def close(self) -> None:
        pass
