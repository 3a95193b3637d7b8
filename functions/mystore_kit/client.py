"""Calls other functions: a binary-mode CloudEvent request, the reply decoded, problems re-raised.

    reply = call("auth-login", LoginRequest(email=..., password=...), LoginResponse)

One pooled keep-alive connection pool per process (urllib3: a POST costs half the CPU it costs
through requests); timeouts and refused connections become UNAVAILABLE, and a problem the function
answered keeps its code, so callers see the same errors. `send` posts any CloudEvent to a sink and
tells what it answered (deliveries, replays, ticks). Every request goes through `http_post`, the
one seam tests replace (tests.support.in_process_post runs the functions in-process).
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

import urllib3
from google.protobuf.message import Message

from mystore_kit import admission, tracing
from mystore_kit.declaration import load_declaration
from mystore_kit.errors import PROBLEM_JSON, Code, Problem
from mystore_kit.events.envelope import Envelope
from mystore_kit.messages import decode, encode, full_name
from mystore_kit.settings import get_settings

R = TypeVar("R", bound=Message)


@dataclass(frozen=True)
class Answer:
    """What a function or sink answered."""

    status: int
    headers: Mapping[str, str]  # case-insensitive
    content: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class Unreachable(Exception):
    """No answer: refused, reset, or not within the timeout."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


@cache
def pool() -> urllib3.PoolManager:
    """The process's keep-alive connections (function calls and event deliveries), thread-safe."""
    return urllib3.PoolManager(num_pools=32, maxsize=64)


def http_post(url: str, *, body: bytes, headers: Mapping[str, str], timeout: float) -> Answer:
    """One POST, no retries (callers decide what to retry); raises Unreachable without an answer."""
    try:
        response = pool().request(
            "POST", url, body=body, headers=headers, timeout=timeout, retries=False, redirect=False
        )
    except urllib3.exceptions.TimeoutError as error:
        raise Unreachable(str(error), timed_out=True) from None
    except urllib3.exceptions.HTTPError as error:
        raise Unreachable(str(error)) from None
    return Answer(status=response.status, headers=response.headers, content=response.data)


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
            response = http_post(
                function_url(function), body=envelope.data, headers=tracing.inject(headers), timeout=timeout
            )
        except Unreachable as error:
            if error.timed_out and bound_by_deadline:
                raise Problem(Code.DEADLINE_EXCEEDED, f"{function} did not answer by the deadline") from None
            reason = "did not answer in time" if error.timed_out else "is not reachable"
            raise Problem(Code.UNAVAILABLE, f"{function} {reason}") from None
        tracing.answered(response.status)
    if response.ok:
        answered = response.headers.get("ce-type")
        if answered != full_name(reply_type):
            raise Problem(Code.INTERNAL, f"{function} answered {answered!r}, not {full_name(reply_type)!r}")
        return decode(response.content, reply_type)
    problem = problem_of(response)
    if problem is not None:
        raise Problem.from_dict(problem, status=response.status, headers=response.headers)
    code = Code.UNAVAILABLE if response.status >= 500 else Code.INTERNAL
    raise Problem(code, f"{function} answered HTTP {response.status}")


def call_timeout(limit: float) -> tuple[float, bool]:
    """How long a call may wait: `limit`, or less when the request being served (kit.admission)
    has less time left; and whether its deadline is what bounds it."""
    left = admission.remaining()
    if left is not None and left < limit:
        return left, True
    return limit, False


def problem_of(answer: Answer) -> dict | None:
    """The problem+json object an answer carries, if it carries one."""
    if not answer.headers.get("Content-Type", "").startswith(PROBLEM_JSON):
        return None
    try:
        body = json.loads(answer.content)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def send(url: str, envelope: Envelope, *, timeout: float | None = None) -> tuple[int | None, bytes]:
    """Posts `envelope` to `url` in binary mode: the HTTP status and body, or None and the error."""
    timeout = timeout or get_settings().delivery_timeout_seconds
    headers = {**envelope.http_headers(), **admission.timeout_header(timeout)}
    with tracing.span(f"send {envelope.type}", kind="client", attributes={"url.full": url}):
        try:
            response = http_post(url, body=envelope.data, headers=tracing.inject(headers), timeout=timeout)
        except Unreachable as error:
            return None, str(error).encode()
        tracing.answered(response.status)
    return response.status, response.content
