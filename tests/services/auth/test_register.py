import pytest

from tests.support import MODES, post_event

TYPE = "mystore.auth.v1.RegisterRequest"


def register(email="alice@example.com", password="correct horse", mode="binary"):
    return post_event("auth-register", type=TYPE, data={"email": email, "password": password}, mode=mode)


@pytest.mark.parametrize("mode", MODES)
def test_register_replies_with_a_binary_cloudevent(database_url, mode):
    response = register(mode=mode)
    assert response.status_code == 200
    assert response.headers["ce-type"] == "mystore.auth.v1.RegisterResponse"
    assert response.headers["ce-specversion"] == "1.0"
    user = response.get_json()["user"]
    assert user["email"] == "alice@example.com"
    assert len(user["id"]) == 36


def test_the_email_is_normalised_and_unique(database_url):
    assert register(email="  Alice@Example.COM ").get_json()["user"]["email"] == "alice@example.com"
    again = register(email="ALICE@example.com")
    assert again.status_code == 409
    assert again.get_json()["code"] == "ALREADY_EXISTS"
    assert again.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "at least 8"),
        ("a" * 73, "at most 72 bytes"),
        ("é" * 37, "at most 72 bytes"),  # 37 characters, 74 bytes: counted in bytes, never truncated
    ],
)
def test_weak_or_overlong_passwords_are_400(database_url, password, reason):
    response = register(password=password)
    assert response.status_code == 400
    assert reason in response.get_json()["detail"]


def test_a_72_byte_password_is_accepted(database_url):
    assert register(password="é" * 36).status_code == 200


@pytest.mark.parametrize("email", ["", "no-at-sign", "a@b", "a b@example.com"])
def test_bad_emails_are_400(database_url, email):
    assert register(email=email).status_code == 400


@pytest.mark.parametrize("mode", MODES)
def test_wrong_type_is_400(database_url, mode):
    response = post_event(
        "auth-register",
        type="mystore.auth.v1.LoginRequest",
        data={"email": "a@example.com", "password": "correct horse"},
        mode=mode,
    )
    assert response.status_code == 400
    assert "expected 'mystore.auth.v1.RegisterRequest'" in response.get_json()["detail"]


@pytest.mark.parametrize("mode", MODES)
def test_unknown_field_is_400(database_url, mode):
    response = post_event(
        "auth-register",
        type=TYPE,
        mode=mode,
        data={"email": "a@example.com", "password": "correct horse", "admin": True},
    )
    assert response.status_code == 400
    assert "admin" in response.get_json()["detail"]


@pytest.mark.parametrize("mode", MODES)
def test_malformed_json_is_400(database_url, mode):
    data = '{"email": "a@example.com", "password": ' if mode == "binary" else '"not an object"'
    response = post_event("auth-register", type=TYPE, data=data, mode=mode)
    assert response.status_code == 400
    assert response.get_json()["code"] == "INVALID_ARGUMENT"


def test_missing_ce_type_is_400(database_url):
    from tests.support import _client

    response = _client("auth-register").post(
        "/",
        data="{}",
        headers={
            "ce-specversion": "1.0",
            "ce-id": "1",
            "ce-source": "/t",
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 400
    assert "ce-type" in response.get_json()["detail"]


def test_a_structured_event_without_type_is_400(database_url):
    from tests.support import _client

    response = _client("auth-register").post(
        "/",
        json={"specversion": "1.0", "id": "1", "source": "/t", "data": {}},
        headers={"Content-Type": "application/cloudevents+json"},
    )
    assert response.status_code == 400


def test_get_is_not_an_event(database_url):
    from tests.support import _client

    assert _client("auth-register").get("/").status_code == 400
