"""Admission: a function works on a bounded number of requests and answers the excess at once.

    app = Admission(app, function="bff")      (kit.serve wraps every HTTP function with it)

- At most Settings.threads requests are worked on at once; up to Settings.admission_queue more
  wait at most Settings.admission_wait_seconds for a turn; any other is answered at once, unread,
  503 UNAVAILABLE problem+json with `Retry-After: Settings.retry_after_seconds`.
- The caller's deadline: `Request-Timeout-Ms` is how many milliseconds the caller still waits
  (kit.client sends it with every call; without it a request has Settings.request_timeout_seconds).
  A request whose deadline passes before its turn is answered 504 DEADLINE_EXCEEDED unworked, and
  the calls it makes wait no longer than its deadline (`remaining()`, used by kit.client).
- An event stream (a `text/event-stream` answer: the BFF's live order status) holds a turn only
  while its answer is computed; while it streams it counts against Settings.max_streams instead.
- Probes and scrapes (GET /healthz, /readyz, /metrics) are never held back.
"""

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from http import HTTPStatus
from typing import Any

from werkzeug.wsgi import ClosingIterator

from mystore_kit import metrics
from mystore_kit.errors import PROBLEM_JSON, Code, Problem, invalid
from mystore_kit.settings import get_settings

DEADLINE_HEADER = "Request-Timeout-Ms"
_DEADLINE_ENVIRON = "HTTP_REQUEST_TIMEOUT_MS"
NEVER_HELD = frozenset({"/healthz", "/readyz", metrics.PATH})
EVENT_STREAM = "text/event-stream"
_deadline: ContextVar[float | None] = ContextVar("deadline", default=None)


def remaining() -> float | None:
    """Seconds left before the current request's deadline; None outside a request."""
    deadline = _deadline.get()
    return None if deadline is None else deadline - time.monotonic()


@contextmanager
def within(seconds: float | None) -> Iterator[None]:
    """The block serves a request whose caller waits `seconds` more (None: no deadline), so the
    calls it makes wait no longer (grpc-api: a gRPC call's time_remaining())."""
    token = _deadline.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def timeout_header(seconds: float) -> dict[str, str]:
    """The header that tells a callee how long its caller waits."""
    return {DEADLINE_HEADER: str(max(0, int(seconds * 1000)))}


def parse_timeout(value: str | None) -> float | None:
    """Seconds of a Request-Timeout-Ms value (None when absent); 400 unless whole milliseconds."""
    if value is None:
        return None
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 10:
        raise invalid(f"{DEADLINE_HEADER} must be a whole number of milliseconds")
    return int(value) / 1000


def busy(detail: str) -> Problem:
    retry_after = str(get_settings().retry_after_seconds)
    return Problem(Code.UNAVAILABLE, detail, headers={"Retry-After": retry_after})


def expired() -> Problem:
    return Problem(Code.DEADLINE_EXCEEDED, "the caller's deadline passed before the request was served")


def problem_answer(problem: Problem, start_response: Callable) -> list[bytes]:
    """The problem as a complete WSGI answer."""
    body = problem.to_json().encode()
    headers = [("Content-Type", PROBLEM_JSON), ("Content-Length", str(len(body))), *problem.headers.items()]
    start_response(f"{problem.status} {HTTPStatus(problem.status).phrase}", headers)
    return [body]


class Admission:
    """WSGI middleware: bounded turns, a bounded short wait, the caller's deadline (module doc)."""

    def __init__(self, app: Callable, *, function: str) -> None:
        settings = get_settings()
        self.app = app
        self.function = function
        self.turns = threading.BoundedSemaphore(settings.threads)
        self.streams = threading.BoundedSemaphore(settings.max_streams) if settings.max_streams else None
        self.queue = settings.admission_queue
        self.wait_seconds = settings.admission_wait_seconds
        self.default_timeout = settings.request_timeout_seconds
        self.waiting = 0
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "GET" and environ.get("PATH_INFO") in NEVER_HELD:
            return self.app(environ, start_response)
        arrived = time.monotonic()
        try:
            timeout = parse_timeout(environ.get(_DEADLINE_ENVIRON))
        except Problem as problem:
            return problem_answer(problem, start_response)
        deadline = arrived + (self.default_timeout if timeout is None else timeout)
        if timeout == 0:
            return self.shed("deadline", expired(), start_response)
        if not self.take_turn(deadline):
            if time.monotonic() >= deadline:
                return self.shed("deadline", expired(), start_response)
            return self.shed("busy", busy(f"{self.function} is at capacity, try again"), start_response)
        return self.serve(environ, start_response, deadline)

    def take_turn(self, deadline: float) -> bool:
        """A turn now, or within the bounded wait (never past the deadline); False: none."""
        if self.turns.acquire(blocking=False):
            return True
        wait = min(self.wait_seconds, deadline - time.monotonic())
        if wait <= 0:
            return False
        with self.lock:
            if self.waiting >= self.queue:
                return False
            self.waiting += 1
        try:
            return self.turns.acquire(timeout=wait)
        finally:
            with self.lock:
                self.waiting -= 1

    def serve(self, environ: dict[str, Any], start_response: Callable, deadline: float) -> Iterable[bytes]:
        """Runs the app within the turn (already taken); the answer's start waits until it is known
        whether it is an event stream, which is sent outside the turn."""
        started: list = []
        deferring = True

        def capture(status: str, headers: list, exc_info: Any = None) -> Callable:
            if not deferring:
                return start_response(status, headers, exc_info)
            started[:] = [status, headers, exc_info]
            return _no_write

        token = _deadline.set(deadline)
        try:
            body = self.app(environ, capture)
        finally:
            _deadline.reset(token)
            deferring = False
            self.turns.release()
        if not started:  # the app starts its answer when iterated (WSGI allows it)
            return body
        status, headers, exc_info = started
        streams = self.streams
        if streams is not None and is_event_stream(headers):
            if not streams.acquire(blocking=False):
                getattr(body, "close", lambda: None)()
                return self.shed("streams", busy("too many open event streams, try again"), start_response)
            start_response(status, headers, exc_info)
            return ClosingIterator(body, streams.release)
        start_response(status, headers, exc_info)
        return body

    def shed(self, reason: str, problem: Problem, start_response: Callable) -> list[bytes]:
        metrics.SHED.labels(self.function, reason).inc()
        return problem_answer(problem, start_response)


def is_event_stream(headers: list[tuple[str, str]]) -> bool:
    return any(name.lower() == "content-type" and value.startswith(EVENT_STREAM) for name, value in headers)


def _no_write(data: bytes) -> None:
    raise RuntimeError("the admission layer does not support WSGI's write(); return the body instead")
