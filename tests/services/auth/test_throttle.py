"""Login throttling (auth.throttle) through the auth-login function, on a clock the tests move."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from mystore.auth.v1 import auth_pb2 as pb
from mystore_kit.database import unit_of_work
from mystore_kit.errors import Problem
from mystore_services.auth import handlers, throttle
from mystore_services.auth.models import LoginFailure
from tests.services.auth.test_login import register
from tests.support import post_event

PASSWORD = "correct horse"


@pytest.fixture
def clock(monkeypatch):
    """throttle.now, standing still until a test moves it."""
    state = {"now": datetime(2026, 12, 1, 12, 0, tzinfo=UTC)}
    monkeypatch.setattr(throttle, "now", lambda: state["now"])

    def advance(seconds: float) -> None:
        state["now"] += timedelta(seconds=seconds)

    return advance


def attempt(email: str, password: str = "wrong password", address: str = "203.0.113.7"):
    response = post_event(
        "auth-login",
        type="mystore.auth.v1.LoginRequest",
        data={"email": email, "password": password, "clientAddress": address},
    )
    return response.status_code, response.headers.get("Retry-After"), response.get_json()


def fail(times: int, email: str, address: str = "203.0.113.7") -> None:
    for _ in range(times):
        assert attempt(email, address=address)[0] == 401


def test_five_failures_are_free_then_each_attempt_waits_longer_then_429_until_the_window_ends(
    database_url, clock
):
    register("ada@example.com", PASSWORD)
    fail(5, "ada@example.com")
    for delay in (1, 2, 4, 8, 16):
        status, retry_after, problem = attempt("ada@example.com")
        assert (status, retry_after) == (429, str(delay))
        assert problem["code"] == "RESOURCE_EXHAUSTED" and f"try again in {delay} s" in problem["detail"]
        clock(delay)
        assert attempt("ada@example.com")[0] == 401  # waited: checked, and counted
    elapsed = 1 + 2 + 4 + 8 + 16
    status, retry_after, _ = attempt("ada@example.com", PASSWORD)  # even the owner, with the password
    assert (status, retry_after) == (429, str(15 * 60 - elapsed))
    clock(15 * 60 - elapsed)
    assert attempt("ada@example.com", PASSWORD)[0] == 200  # the window is over


def test_a_refused_attempt_counts_nothing(database_url, clock):
    fail(5, "ada@example.com")
    for _ in range(20):
        assert attempt("ada@example.com")[:2] == (429, "1")
    clock(1)
    assert attempt("ada@example.com")[0] == 401


def test_unknown_and_known_accounts_get_the_same_answers(database_url, clock):
    register("ada@example.com", PASSWORD)
    answers = {}
    for email in ("ada@example.com", "nobody@example.com"):
        answers[email] = [attempt(email, address="") for _ in range(7)]
    assert answers["ada@example.com"] == answers["nobody@example.com"]
    assert [status for status, *_ in answers["ada@example.com"]] == [401] * 5 + [429, 429]


def test_a_successful_login_resets_the_account(database_url, clock):
    register("ada@example.com", PASSWORD)
    fail(4, "ada@example.com")
    assert attempt("ada@example.com", PASSWORD)[0] == 200
    fail(5, "ada@example.com")  # five free failures again
    assert attempt("ada@example.com")[0] == 429


def test_an_address_trying_many_accounts_is_limited_and_others_are_not(database_url, clock):
    for number in range(20):
        fail(1, f"user{number}@example.com")
    status, retry_after, _ = attempt("user20@example.com")
    assert (status, retry_after) == (429, "1")  # 20 failures from the address: delays begin
    for number in range(20, 50):
        clock(min(2 ** (number - 20), 30))  # 1, 2, 4, 8, 16, 30, ... s: 781 s in all
        fail(1, f"user{number}@example.com")
    clock(30)
    status, retry_after, _ = attempt("fresh@example.com")
    assert (status, retry_after) == (429, str(15 * 60 - 811))  # 50 failures: wait for the window
    assert attempt("fresh@example.com", address="198.51.100.1")[0] == 401  # another address may try


def test_ipv6_addresses_count_by_their_64(database_url, clock):
    for host in range(1, 21):
        fail(1, f"user{host}@example.com", address=f"2001:db8:1:2::{host:x}")
    assert attempt("next@example.com", address="2001:db8:1:2:ffff::1")[0] == 429
    assert attempt("next@example.com", address="2001:db8:1:3::1")[0] == 401


def test_rows_hold_hashes_not_emails_or_addresses_and_old_ones_are_pruned(database_url, clock):
    fail(1, "ada@example.com")
    with unit_of_work("auth") as session:
        keys = list(session.exec(select(LoginFailure.key)).all())
    assert len(keys) == 2 and all(len(key.partition(":")[2]) == 64 for key in keys)
    assert not any("ada" in key or "203.0.113" in key for key in keys)
    clock(15 * 60 + 1)
    fail(1, "bob@example.com", address="198.51.100.1")
    with unit_of_work("auth") as session:
        assert len(session.exec(select(LoginFailure)).all()) == 2  # ada's and 203.0.113.7's are gone


def test_concurrent_attempts_cannot_slip_past_the_limit(database_url, clock):
    """Twenty attempts at once, on a clock that stands still: exactly five get their password checked."""
    register("ada@example.com", PASSWORD)

    def one(_):
        try:
            handlers.login(pb.LoginRequest(email="ada@example.com", password="wrong", client_address="::1"))
        except Problem as problem:
            return problem.status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(one, range(20)))
    assert sorted(statuses) == [401] * 5 + [429] * 15
