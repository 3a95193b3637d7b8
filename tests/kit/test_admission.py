"""kit.admission: bounded turns, a bounded wait, 503 + Retry-After past them, the caller's deadline."""

import json
import threading
import time

import pytest
from werkzeug.test import Client

from mystore.auth.v1 import auth_pb2 as pb
from mystore_kit import admission, client
from mystore_kit.admission import Admission
from mystore_kit.errors import PROBLEM_JSON, Code, Problem
from mystore_kit.settings import get_settings


@pytest.fixture
def limits(monkeypatch):
    """Settings for one test: one turn, no waiting room, one open stream (unless a test says)."""

    def use(**values):
        for name, value in {"threads": 1, "admission_queue": 0, "max_streams": 1, **values}.items():
            monkeypatch.setenv(f"MYSTORE_{name.upper()}", str(value))
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


class Blocking:
    """A WSGI app that holds each request until released, and counts what it worked on."""

    def __init__(self) -> None:
        self.entered = threading.Semaphore(0)
        self.release = threading.Event()
        self.worked = 0

    def __call__(self, environ, start_response):
        self.worked += 1
        if environ["PATH_INFO"] == "/stream":
            start_response("200 OK", [("Content-Type", "text/event-stream")])
            return self.stream()
        if environ["PATH_INFO"] == "/hold":
            self.entered.release()
            self.release.wait(30)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"worked"]

    def stream(self):
        yield b"retry: 1000\n\n"
        self.release.wait(30)
        yield b"event: status\ndata: {}\n\n"


def hold(app: Admission, blocking: Blocking, path: str = "/hold") -> threading.Thread:
    """A request that takes a turn and keeps it until `blocking.release` is set."""
    thread = threading.Thread(target=lambda: Client(app).get(path), daemon=True)
    thread.start()
    assert blocking.entered.acquire(timeout=30), "the held request never reached the app"
    return thread


def test_a_request_is_passed_through_when_there_is_room(limits):
    limits()
    response = Client(Admission(Blocking(), function="f")).get("/")
    assert response.status_code == 200
    assert response.data == b"worked"


def test_past_the_limit_the_answer_is_503_problem_with_retry_after(limits):
    limits(retry_after_seconds=2)
    blocking = Blocking()
    app = Admission(blocking, function="f")
    held = hold(app, blocking)
    try:
        response = Client(app).get("/")
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "2"
        assert response.mimetype == PROBLEM_JSON
        problem = json.loads(response.data)
        assert problem["code"] == "UNAVAILABLE"
        assert problem["status"] == 503
        assert blocking.worked == 1, "the shed request reached the app"
    finally:
        blocking.release.set()
        held.join(30)
    assert Client(app).get("/").status_code == 200, "the turn was not given back"


def test_a_request_waits_its_turn_within_the_bounded_wait(limits):
    limits(admission_queue=1, admission_wait_seconds=30)
    blocking = Blocking()
    app = Admission(blocking, function="f")
    held = hold(app, blocking)
    answers = []
    waiting = threading.Thread(target=lambda: answers.append(Client(app).get("/").status_code))
    waiting.start()
    while app.waiting == 0 and waiting.is_alive():
        time.sleep(0.01)
    assert Client(app).get("/").status_code == 503, "a second waiter was let into a queue of one"
    blocking.release.set()
    waiting.join(30)
    held.join(30)
    assert answers == [200]


def test_an_expired_deadline_is_answered_at_once_unworked(limits):
    limits(threads=4)
    blocking = Blocking()
    response = Client(Admission(blocking, function="f")).get("/", headers={"Request-Timeout-Ms": "0"})
    assert response.status_code == 504
    assert json.loads(response.data)["code"] == "DEADLINE_EXCEEDED"
    assert blocking.worked == 0


def test_a_deadline_that_passes_while_waiting_is_504(limits):
    limits(admission_queue=1, admission_wait_seconds=30)
    blocking = Blocking()
    app = Admission(blocking, function="f")
    held = hold(app, blocking)
    try:
        response = Client(app).get("/", headers={"Request-Timeout-Ms": "20"})
        assert response.status_code == 504
        assert blocking.worked == 1
    finally:
        blocking.release.set()
        held.join(30)


def test_a_malformed_deadline_is_a_400(limits):
    limits()
    response = Client(Admission(Blocking(), function="f")).get("/", headers={"Request-Timeout-Ms": "soon"})
    assert response.status_code == 400
    assert json.loads(response.data)["code"] == "INVALID_ARGUMENT"


def test_probes_are_never_held_back(limits):
    limits()
    blocking = Blocking()
    app = Admission(blocking, function="f")
    held = hold(app, blocking)
    try:
        assert Client(app).get("/healthz").status_code == 200
        assert Client(app).get("/metrics").status_code == 200
    finally:
        blocking.release.set()
        held.join(30)


def test_an_open_event_stream_holds_no_turn_but_streams_are_bounded(limits):
    limits()
    blocking = Blocking()
    app = Admission(blocking, function="f")
    stream = Client(app).get("/stream", buffered=False)
    assert stream.status_code == 200
    chunks = iter(stream.response)
    assert next(chunks) == b"retry: 1000\n\n"
    try:
        assert Client(app).get("/").status_code == 200, "the open stream held the only turn"
        second = Client(app).get("/stream", buffered=False)
        assert second.status_code == 503
        assert second.headers["Retry-After"] == "1"
    finally:
        blocking.release.set()
        list(chunks)
        stream.close()
    assert Client(app).get("/stream").status_code == 200, "the closed stream kept its place"


@pytest.fixture
def recording(monkeypatch):
    """kit.client's posts recorded (headers, timeout), each answered with a RegisterResponse."""
    sent: list[tuple[dict, float]] = []

    def post(url: str, *, body: bytes, headers, timeout: float) -> client.Answer:
        sent.append((dict(headers), timeout))
        reply = {"ce-type": "mystore.auth.v1.RegisterResponse", "Content-Type": "application/json"}
        return client.Answer(status=200, headers=reply, content=b"{}")

    monkeypatch.setattr(client, "http_post", post)
    return sent


def calling(result: list):
    """A WSGI app that calls auth-register while it serves, keeping what the call did."""

    def app(environ, start_response):
        if environ["PATH_INFO"] == "/late":
            time.sleep(0.05)  # past the caller's 1 ms
        try:
            result.append(client.call("auth-register", pb.RegisterRequest(), pb.RegisterResponse))
        except Problem as problem:
            result.append(problem)
        start_response("200 OK", [])
        return [b""]

    return app


def test_calls_pass_the_remaining_deadline_on(limits, recording):
    limits(threads=4, function_timeout_seconds=10)
    result = []
    Client(Admission(calling(result), function="f")).get("/", headers={"Request-Timeout-Ms": "2000"})
    assert isinstance(result[0], pb.RegisterResponse)
    headers, timeout = recording[0]
    assert 0 < int(headers["Request-Timeout-Ms"]) <= 2000
    assert 0 < timeout <= 2


def test_a_call_outside_a_request_sends_its_own_timeout(limits, recording):
    limits(function_timeout_seconds=3)
    client.call("auth-register", pb.RegisterRequest(), pb.RegisterResponse)
    headers, timeout = recording[0]
    assert headers["Request-Timeout-Ms"] == "3000"
    assert timeout == 3


def test_no_call_is_made_once_the_deadline_has_passed(limits, recording):
    limits(threads=4)
    result = []
    Client(Admission(calling(result), function="f")).get("/late", headers={"Request-Timeout-Ms": "1"})
    assert isinstance(result[0], Problem)
    assert result[0].code is Code.DEADLINE_EXCEEDED
    assert recording == []


def test_remaining_is_none_outside_a_request():
    assert admission.remaining() is None
