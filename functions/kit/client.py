"""Calls other functions: a binary-mode CloudEvent request, the reply decoded, problems re-raised.

    reply = call("auth-login", LoginRequest(email=..., password=...), LoginResponse)

One pooled keep-alive HTTP session per process; timeouts and refused connections become
UNAVAILABLE, and a problem the function answered keeps its code, so callers see the same errors.
"""

import uuid
from functools import cache
from typing import TypeVar

import requests
from google.protobuf.message import Message
from requests.adapters import HTTPAdapter

from kit.declaration import load_declaration
from kit.errors import PROBLEM_JSON, Code, Problem
from kit.messages import decode, encode, full_name
from kit.settings import get_settings

R = TypeVar("R", bound=Message)


@cache
def http_session() -> requests.Session:
    """The process's pooled keep-alive HTTP session (function calls and event deliveries)."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=16, pool_maxsize=64, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


@cache
def function_url(name: str) -> str:
    function = load_declaration().function(name)
    return get_settings().function_url_template.format(name=name, port=function.port)


def call(function: str, request: Message, reply_type: type[R]) -> R:
    """Sends `request` to `function` and returns its reply of `reply_type`."""
    settings = get_settings()
    headers = {
        "ce-specversion": "1.0",
        "ce-id": str(uuid.uuid4()),
        "ce-source": f"/mystore/{settings.function or 'client'}",
        "ce-type": full_name(request),
        "Content-Type": "application/json",
    }
    try:
        response = http_session().post(
            function_url(function),
            data=encode(request),
            headers=headers,
            timeout=settings.function_timeout_seconds,
        )
    except requests.Timeout:
        raise Problem(Code.UNAVAILABLE, f"{function} did not answer in time") from None
    except requests.ConnectionError:
        raise Problem(Code.UNAVAILABLE, f"{function} is not reachable") from None
    if response.ok:
        answered = response.headers.get("ce-type")
        if answered != full_name(reply_type):
            raise Problem(Code.INTERNAL, f"{function} answered {answered!r}, not {full_name(reply_type)!r}")
        return decode(response.content, reply_type)
    if response.headers.get("Content-Type", "").startswith(PROBLEM_JSON):
        raise Problem.from_dict(response.json(), status=response.status_code)
    code = Code.UNAVAILABLE if response.status_code >= 500 else Code.INTERNAL
    raise Problem(code, f"{function} answered HTTP {response.status_code}")
