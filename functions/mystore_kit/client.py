"""Calls other functions: a binary-mode CloudEvent request, the reply decoded, problems re-raised.

    reply = call("auth-login", LoginRequest(email=..., password=...), LoginResponse)

One pooled keep-alive HTTP session per process; timeouts and refused connections become
UNAVAILABLE, and a problem the function answered keeps its code, so callers see the same errors.
Every request carries `Request-Timeout-Ms` (kit.admission): how long this caller waits, never past
the deadline of the request it is serving, so a callee does not work on what nobody waits for.
`send` posts any CloudEvent to a sink and tells what it answered (deliveries, replays, ticks).
"""

from functools import cache
from typing import TypeVar

import requests
from google.protobuf.message import Message
from requests.adapters import HTTPAdapter

from mystore_kit import admission, tracing
from mystore_kit.declaration import load_declaration
from mystore_kit.errors import PROBLEM_JSON, Code, Problem
from mystore_kit.events.envelope import Envelope
from mystore_kit.messages import decode, encode, full_name
from mystore_kit.settings import get_settings

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
    envelope = Envelope.new(
        type=full_name(request), source=f"/mystore/{settings.function or 'client'}", data=encode(request)
    )
    timeout, bound_by_deadline = call_timeout(settings.function_timeout_seconds)
    if timeout <= 0:
        raise Problem(Code.DEADLINE_EXCEEDED, f"the deadline passed before {function} was called")
    headers = {**envelope.http_headers(), **admission.timeout_header(timeout)}
    with tracing.span(f"call {function}", kind="client", attributes={"rpc.method": envelope.type}):
        try:
            response = http_session().post(
                function_url(function), data=envelope.data, headers=tracing.inject(headers), timeout=timeout
            )
        except requests.Timeout:
            if bound_by_deadline:
                raise Problem(Code.DEADLINE_EXCEEDED, f"{function} did not answer by the deadline") from None
            raise Problem(Code.UNAVAILABLE, f"{function} did not answer in time") from None
        except requests.ConnectionError:
            raise Problem(Code.UNAVAILABLE, f"{function} is not reachable") from None
        tracing.answered(response.status_code)
    if response.ok:
        answered = response.headers.get("ce-type")
        if answered != full_name(reply_type):
            raise Problem(Code.INTERNAL, f"{function} answered {answered!r}, not {full_name(reply_type)!r}")
        return decode(response.content, reply_type)
    if response.headers.get("Content-Type", "").startswith(PROBLEM_JSON):
        raise Problem.from_dict(response.json(), status=response.status_code, headers=response.headers)
    code = Code.UNAVAILABLE if response.status_code >= 500 else Code.INTERNAL
    raise Problem(code, f"{function} answered HTTP {response.status_code}")


def call_timeout(limit: float) -> tuple[float, bool]:
    """How long a call may wait: `limit`, or less when the request being served (kit.admission)
    has less time left; and whether its deadline is what bounds it."""
    left = admission.remaining()
    if left is not None and left < limit:
        return left, True
    return limit, False


def send(url: str, envelope: Envelope, *, timeout: float | None = None) -> tuple[int | None, bytes]:
    """Posts `envelope` to `url` in binary mode: the HTTP status and body, or None and the error."""
    timeout = timeout or get_settings().delivery_timeout_seconds
    headers = {**envelope.http_headers(), **admission.timeout_header(timeout)}
    with tracing.span(f"send {envelope.type}", kind="client", attributes={"url.full": url}):
        try:
            response = http_session().post(
                url, data=envelope.data, headers=tracing.inject(headers), timeout=timeout
            )
        except requests.RequestException as error:
            return None, str(error).encode()
        tracing.answered(response.status_code)
    return response.status_code, response.content
