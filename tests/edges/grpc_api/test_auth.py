"""AuthService over gRPC: register, log in, validate; domain errors as gRPC status codes."""

import bcrypt
import grpc
import pytest

from mystore.auth.v1 import auth_pb2 as pb
from mystore_kit import tokens
from mystore_kit.database import unit_of_work
from mystore_services.auth.models import User
from tests.edges.grpc_api.calls import PASSWORD, failure


def test_register_creates_a_user_with_a_normalised_email(api, settings):
    reply = api.auth.Register(pb.RegisterRequest(email="  Ada@Example.COM ", password=PASSWORD))
    assert reply.user.email == "ada@example.com" and reply.user.id and reply.user.created_at.seconds
    with unit_of_work("auth") as session:
        stored = session.get(User, reply.user.id)
    assert bcrypt.checkpw(PASSWORD.encode(), stored.password_hash.encode())
    assert stored.password_hash.startswith(f"$2b$0{settings.bcrypt_cost}$")  # the test cost


def test_register_twice_is_already_exists(api):
    api.auth.Register(pb.RegisterRequest(email="bob@example.com", password=PASSWORD))
    error = failure(api.auth.Register, pb.RegisterRequest(email="BOB@example.com", password=PASSWORD))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS
    assert error.details() == "an account with this email already exists"


@pytest.mark.parametrize(
    ("email", "password", "detail"),
    [
        ("carol@example.com", "short", "password must have at least 8 characters"),
        ("carol@example.com", "x" * 73, "password must be at most 72 bytes"),
        ("not-an-email", PASSWORD, "email must be an address"),
    ],
)
def test_a_bad_registration_is_invalid_argument(api, email, password, detail):
    error = failure(api.auth.Register, pb.RegisterRequest(email=email, password=password))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and detail in error.details()


def test_login_issues_a_token_of_the_user(api):
    user = api.auth.Register(pb.RegisterRequest(email="dan@example.com", password=PASSWORD)).user
    reply = api.auth.Login(pb.LoginRequest(email="Dan@example.com", password=PASSWORD))
    claims = tokens.verify(reply.token)
    assert (claims.user_id, claims.email) == (user.id, "dan@example.com") == (reply.user.id, reply.user.email)
    assert reply.expires_at.seconds == claims.expires_at


@pytest.mark.parametrize("email", ["erin@example.com", "nobody@example.com"])
def test_a_wrong_password_and_an_unknown_email_are_the_same_unauthenticated(api, email):
    api.auth.Register(pb.RegisterRequest(email="erin@example.com", password=PASSWORD))
    error = failure(api.auth.Login, pb.LoginRequest(email=email, password="wrong password"))
    assert error.code() == grpc.StatusCode.UNAUTHENTICATED
    assert error.details() == "email or password is wrong"


def test_validate_returns_the_user_of_a_token(api, user):
    reply = api.auth.Validate(pb.ValidateRequest(token=user.token))
    assert (reply.user.id, reply.user.email) == (user.id, user.email)


@pytest.mark.parametrize("token", ["", "not-a-jwt", "eyJhbGciOiJub25lIn0.e30."])
def test_validate_refuses_a_bad_token(api, token):
    error = failure(api.auth.Validate, pb.ValidateRequest(token=token))
    assert error.code() == grpc.StatusCode.UNAUTHENTICATED
    assert error.details() == "invalid or expired session token"


def test_failed_logins_are_throttled_per_the_peer_address_not_one_the_client_claims(api, monkeypatch):
    from datetime import UTC, datetime

    from sqlmodel import select

    from mystore_services.auth import throttle
    from mystore_services.auth.models import LoginFailure

    moment = datetime.now(UTC)
    monkeypatch.setattr(throttle, "now", lambda: moment)  # the clock stands still
    claimed = pb.LoginRequest(email="eve@example.com", password=PASSWORD, client_address="6.6.6.6")
    for _ in range(5):
        assert failure(api.auth.Login, claimed).code() == grpc.StatusCode.UNAUTHENTICATED
    error = failure(api.auth.Login, claimed)
    assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED and "try again in 1 s" in error.details()
    assert ("retry-after", "1") in error.trailing_metadata()
    with unit_of_work("auth") as session:
        keys = set(session.exec(select(LoginFailure.key)).all())
    assert throttle.hashed("address", "127.0.0.1") in keys  # the peer, as the edge saw it
    assert throttle.hashed("address", "6.6.6.6") not in keys
