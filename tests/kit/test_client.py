import pytest

from mystore.auth.v1 import auth_pb2 as pb
from mystore_kit import client
from mystore_kit.errors import Code, Problem


def test_a_reply_is_decoded(functions_in_process, database_url):
    reply = client.call(
        "auth-register",
        pb.RegisterRequest(email="e@example.com", password="correct horse"),
        pb.RegisterResponse,
    )
    assert reply.user.email == "e@example.com"


def test_a_problem_keeps_its_code(functions_in_process, database_url):
    with pytest.raises(Problem) as caught:
        client.call(
            "auth-login", pb.LoginRequest(email="x@example.com", password="whatever1"), pb.LoginResponse
        )
    assert caught.value.code is Code.UNAUTHENTICATED


def test_an_unreachable_function_is_unavailable(monkeypatch):
    monkeypatch.setenv("MYSTORE_FUNCTION_URL_TEMPLATE", "http://127.0.0.1:9/{name}")
    client.function_url.cache_clear()
    from mystore_kit.settings import get_settings

    get_settings.cache_clear()
    with pytest.raises(Problem) as caught:
        client.call("auth-login", pb.LoginRequest(), pb.LoginResponse)
    assert caught.value.code is Code.UNAVAILABLE


def test_the_wrong_reply_type_is_an_internal_error(functions_in_process, database_url):
    with pytest.raises(Problem) as caught:
        client.call(
            "auth-register",
            pb.RegisterRequest(email="f@example.com", password="correct horse"),
            pb.LoginResponse,
        )
    assert caught.value.code is Code.INTERNAL
