import time

import pytest

from mystore_kit import tokens
from mystore_services.auth import passwords
from tests.support import MODES, post_event


def register(email, password):
    response = post_event(
        "auth-register", type="mystore.auth.v1.RegisterRequest", data={"email": email, "password": password}
    )
    assert response.status_code == 200, response.get_data()


def login(email, password, mode="binary"):
    return post_event(
        "auth-login",
        type="mystore.auth.v1.LoginRequest",
        data={"email": email, "password": password},
        mode=mode,
    )


@pytest.mark.parametrize("mode", MODES)
def test_login_issues_a_token_for_the_user(database_url, mode):
    register("bob@example.com", "correct horse")
    response = login(" BOB@example.com", "correct horse", mode=mode)
    assert response.status_code == 200
    assert response.headers["ce-type"] == "mystore.auth.v1.LoginResponse"
    body = response.get_json()
    claims = tokens.verify(body["token"])
    assert claims.email == "bob@example.com"
    assert claims.user_id == body["user"]["id"]
    assert body["expiresAt"].endswith("Z")


def test_unknown_email_and_wrong_password_answer_alike(database_url):
    register("bob@example.com", "correct horse")
    wrong_password = login("bob@example.com", "wrong horse!")
    unknown_email = login("nobody@example.com", "wrong horse!")
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.get_data() == unknown_email.get_data()


def test_unknown_email_checks_a_dummy_hash_of_the_same_cost(database_url, monkeypatch):
    checked = []
    real_verify = passwords.verify_password

    def spy(password, password_hash):
        checked.append(password_hash)
        return real_verify(password, password_hash)

    monkeypatch.setattr("mystore_services.auth.handlers.verify_password", spy)
    assert login("nobody@example.com", "whatever1").status_code == 401
    assert checked == [passwords.dummy_hash()]
    assert checked[0].startswith("$2b$04$")  # the configured cost, as a real user's hash


def test_the_dummy_hash_costs_as_much_as_a_real_one(monkeypatch):
    monkeypatch.setenv("MYSTORE_BCRYPT_COST", "10")
    from mystore_kit.settings import get_settings

    get_settings.cache_clear()
    real = passwords.hash_password("correct horse")

    def seconds(password_hash):
        start = time.perf_counter()
        passwords.verify_password("wrong horse!", password_hash)
        return time.perf_counter() - start

    real_time = min(seconds(real) for _ in range(3))
    dummy_time = min(seconds(passwords.dummy_hash()) for _ in range(3))
    assert dummy_time > real_time / 2  # same work factor: not a shortcut that leaks unknown emails


def test_an_overlong_password_is_a_plain_401(database_url):
    register("bob@example.com", "correct horse")
    assert login("bob@example.com", "x" * 100).status_code == 401


def test_passwords_are_hashed_in_threads_of_lower_priority():
    """A login storm yields the CPU to the order path: bcrypt's threads run at nice + NICE."""
    import os
    import threading

    here = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    there = passwords.hashing(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
    assert there == min(19, here + passwords.NICE)
    assert passwords.verify_password("correct horse", passwords.hash_password("correct horse"))
