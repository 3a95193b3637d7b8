import pytest

from tests.conftest import reset_caches

PASSWORD = "correct horse"


def register(bff, email="dora@example.com", password=PASSWORD):
    return bff.post("/api/auth/register", json={"email": email, "password": password})


def login(bff, email="dora@example.com", password=PASSWORD):
    return bff.post("/api/auth/login", json={"email": email, "password": password})


def assert_problem(response, status, code):
    assert response.status_code == status, response.get_data()
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["code"] == code and body["detail"]


def test_register_is_201_and_a_second_time_in_another_case_409(bff, database_url):
    response = register(bff)
    assert response.status_code == 201
    assert response.get_json()["email"] == "dora@example.com"
    assert response.get_json()["isAdmin"] is False
    assert_problem(register(bff, email="DORA@Example.com"), 409, "ALREADY_EXISTS")


def test_login_sets_an_httponly_samesite_cookie_and_returns_the_token(bff, database_url):
    register(bff)
    response = login(bff)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"token", "expiresAt", "user"}
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"mystore_session={body['token']};")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie


def test_me_with_the_cookie_and_with_the_bearer_token(bff, database_url):
    register(bff)
    token = login(bff).get_json()["token"]  # the test client keeps the cookie
    by_cookie = bff.get("/api/me")
    assert by_cookie.status_code == 200 and by_cookie.get_json()["email"] == "dora@example.com"
    bff.delete_cookie("mystore_session")
    assert_problem(bff.get("/api/me"), 401, "UNAUTHENTICATED")
    by_bearer = bff.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert by_bearer.status_code == 200 and by_bearer.get_json()["email"] == "dora@example.com"


def test_an_admin_is_marked(bff, database_url):
    register(bff, email="Admin@Example.com")
    assert login(bff, email="admin@example.com").get_json()["user"]["isAdmin"] is True
    assert bff.get("/api/me").get_json()["isAdmin"] is True


def test_wrong_password_and_unknown_email_are_identical_401s(bff, database_url):
    register(bff)
    wrong = login(bff, password="wrong horse")
    unknown = login(bff, email="nobody@example.com", password="wrong horse")
    assert_problem(wrong, 401, "UNAUTHENTICATED")
    assert wrong.get_data() == unknown.get_data()
    assert "Set-Cookie" not in wrong.headers


def test_a_73_byte_password_is_400(bff, database_url):
    assert_problem(register(bff, password="x" * 73), 400, "INVALID_ARGUMENT")


@pytest.mark.parametrize(
    ("body", "content_type", "detail"),
    [
        ('{"email": "a@example.com", ', "application/json", "not valid JSON"),
        ('{"email": "a@example.com", "password": "correct horse"}', "text/plain", "application/json"),
        ('{"email": "a@example.com"}', "application/json", "'password' is required"),
        ('{"email": 7, "password": "correct horse"}', "application/json", "must be a string"),
        ('["a@example.com"]', "application/json", "JSON object"),
        ('{"email": "a@example.com", "password": "\\ud800"}', "application/json", "lone surrogate"),
        (b'{"email": "\xff", "password": "correct horse"}', "application/json", "not valid UTF-8"),
        ('{"email": ' + "[" * 5000 + "]" * 5000 + "}", "application/json", "nested deeper"),
    ],
)
def test_bad_bodies_are_400_problems(bff, body, content_type, detail):
    response = bff.post("/api/auth/register", data=body, content_type=content_type)
    assert_problem(response, 400, "INVALID_ARGUMENT")
    assert detail in response.get_json()["detail"]


def test_a_body_over_the_limit_is_413_before_it_is_read(bff, monkeypatch):
    from tests.conftest import reset_caches

    monkeypatch.setenv("MYSTORE_MAX_BODY_BYTES", "4096")
    reset_caches()
    response = bff.post("/api/auth/register", data=b"{" + b" " * 5000 + b"}", content_type="application/json")
    assert_problem(response, 413, "RESOURCE_EXHAUSTED")
    assert "4096 bytes" in response.get_json()["detail"]


def test_logout_clears_the_cookie(bff, database_url):
    register(bff)
    login(bff)
    response = bff.post("/api/auth/logout")
    assert response.status_code == 204
    assert "mystore_session=;" in response.headers["Set-Cookie"]
    assert_problem(bff.get("/api/me"), 401, "UNAUTHENTICATED")


def test_a_forged_cookie_is_401(bff):
    bff.set_cookie("mystore_session", "forged.token.value")
    assert_problem(bff.get("/api/me"), 401, "UNAUTHENTICATED")


def test_when_auth_is_down_the_bff_answers_503(bff, monkeypatch):
    from mystore_kit import client
    from tests.support import REAL_HTTP_POST

    monkeypatch.setattr(client, "http_post", REAL_HTTP_POST)  # nothing listens on *.test
    assert_problem(register(bff), 503, "UNAVAILABLE")


def test_failed_logins_are_throttled_with_retry_after_alike_for_unknown_emails(
    bff, database_url, monkeypatch
):
    from datetime import UTC, datetime

    from mystore_services.auth import throttle

    moment = datetime.now(UTC)
    monkeypatch.setattr(throttle, "now", lambda: moment)  # the clock stands still
    register(bff)
    for email in ("dora@example.com", "nobody@example.com"):
        for _ in range(5):
            assert_problem(login(bff, email=email, password="wrong password"), 401, "UNAUTHENTICATED")
        response = login(bff, email=email, password="wrong password")
        assert_problem(response, 429, "RESOURCE_EXHAUSTED")
        assert response.headers["Retry-After"] == "1"  # the progressive delay's first step
        assert "try again in 1 s" in response.get_json()["detail"]


def test_the_bff_passes_the_client_address_from_x_forwarded_for(bff, database_url, monkeypatch):
    from mystore_edges.bff import auth

    sent = []

    def spy(function, request, reply_type):
        sent.append(request.client_address)
        return real_call(function, request, reply_type)

    real_call = auth.call
    monkeypatch.setattr(auth, "call", spy)
    register(bff)
    through_the_ingress = {
        "X-Forwarded-For": "6.6.6.6, 203.0.113.9, 10.0.1.2"
    }  # client-written, Envoy, activator
    bff.post(
        "/api/auth/login",
        json={"email": "dora@example.com", "password": PASSWORD},
        headers=through_the_ingress,
        environ_base={"REMOTE_ADDR": "10.0.2.3"},  # the queue-proxy
    )
    bff.post(
        "/api/auth/login",
        json={"email": "dora@example.com", "password": PASSWORD},
        headers={"X-Forwarded-For": "6.6.6.6"},  # straight from the internet: not believed
        environ_base={"REMOTE_ADDR": "198.51.100.4"},
    )
    assert sent == ["203.0.113.9", "198.51.100.4"]


def test_sign_ins_past_the_bffs_password_requests_are_503_with_retry_after(bff, database_url, monkeypatch):
    """A login storm holds at most MYSTORE_BFF_PASSWORD_REQUESTS threads; the rest of the API keeps its."""
    from mystore_edges.bff import auth

    monkeypatch.setenv("MYSTORE_BFF_PASSWORD_REQUESTS", "2")
    reset_caches()
    auth.password_slots.cache_clear()
    register(bff)
    slots = auth.password_slots()
    assert slots.acquire(blocking=False) and slots.acquire(blocking=False)  # two sign-ins in flight
    busy = login(bff)
    assert_problem(busy, 503, "UNAVAILABLE")
    assert busy.headers["Retry-After"] == "1"
    assert_problem(register(bff, email="eve@example.com"), 503, "UNAVAILABLE")
    assert bff.get("/api/products").status_code == 200  # the rest of the API is not held up
    slots.release()
    assert login(bff).status_code == 200
    slots.release()
    auth.password_slots.cache_clear()
