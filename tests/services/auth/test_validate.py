import pytest

from mystore_kit import tokens
from tests.support import MODES, post_event


@pytest.mark.parametrize("mode", MODES)
def test_validate_returns_the_tokens_user(database_url, mode):
    user = post_event(
        "auth-register",
        type="mystore.auth.v1.RegisterRequest",
        data={"email": "c@example.com", "password": "correct horse"},
    ).get_json()["user"]
    token, _ = tokens.issue(user_id=user["id"], email=user["email"])
    response = post_event(
        "auth-validate", type="mystore.auth.v1.ValidateRequest", data={"token": token}, mode=mode
    )
    assert response.status_code == 200
    assert response.headers["ce-type"] == "mystore.auth.v1.ValidateResponse"
    assert response.get_json()["user"] == user


def test_an_invalid_token_is_401(database_url):
    response = post_event("auth-validate", type="mystore.auth.v1.ValidateRequest", data={"token": "x.y.z"})
    assert response.status_code == 401
    assert response.get_json()["code"] == "UNAUTHENTICATED"


def test_a_token_of_a_deleted_user_is_401(database_url):
    token, _ = tokens.issue(user_id="00000000-0000-4000-8000-000000000000", email="gone@example.com")
    response = post_event("auth-validate", type="mystore.auth.v1.ValidateRequest", data={"token": token})
    assert response.status_code == 401
