"""The scripts the chart runs inside the cluster, run here: the secrets generator (against a fake
Kubernetes API) and the per-service database setup (against the test PostgreSQL)."""

import glob
import importlib.util
import os
import shutil
import subprocess
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mystore_kit import tokens
from scripts.lib import deploy_checks as checks
from tests.conftest import POSTGRES_URL, REQUIRE_POSTGRES, reset_caches

FILES = checks.CHART / "files"


def load_ensure_secrets():
    spec = importlib.util.spec_from_file_location("ensure_secrets", FILES / "ensure-secrets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeKubernetes:
    """Secrets in one namespace, behind the three calls ensure-secrets.py makes."""

    def __init__(self):
        self.secrets: dict[str, dict[str, str]] = {}
        self.calls: list[tuple[str, str]] = []

    def __call__(self, method, path, **kwargs):
        import base64

        self.calls.append((method, path))
        name = path.rsplit("/", 1)[1]
        if method == "GET":
            if name not in self.secrets:
                return Reply(404)
            data = {k: base64.b64encode(v.encode()).decode() for k, v in self.secrets[name].items()}
            return Reply(200, {"data": data})
        if method == "POST":
            body = kwargs["json"]
            assert body["metadata"]["namespace"] == "my-store" and body["type"] == "Opaque"
            self.secrets[body["metadata"]["name"]] = dict(body["stringData"])
            return Reply(201)
        if method == "PATCH":
            assert kwargs["headers"]["Content-Type"] == "application/merge-patch+json"
            self.secrets[name].update(kwargs["json"]["stringData"])
            return Reply(200)
        raise AssertionError(method)


class Reply:
    def __init__(self, status_code, body=None):
        self.status_code, self.body = status_code, body or {}

    def json(self):
        return self.body

    def raise_for_status(self):
        assert self.status_code < 400


@pytest.fixture
def fake_cluster(monkeypatch):
    module = load_ensure_secrets()
    cluster = FakeKubernetes()
    monkeypatch.setattr(module, "api", cluster)
    for name, value in {
        "NAMESPACE": "my-store",
        "RELEASE": "my-store",
        "JWT_SECRET": "my-store-jwt",
        "DB_SECRET": "my-store-db",
        "DB_KEYS": "postgres,pgadmin,auth",
    }.items():
        monkeypatch.setenv(name, value)
    return module, cluster


def test_the_generated_jwt_keys_sign_and_verify_session_tokens(fake_cluster, monkeypatch):
    module, cluster = fake_cluster
    assert module.main() == 0
    keys = cluster.secrets["my-store-jwt"]
    monkeypatch.setenv("MYSTORE_JWT_PRIVATE_KEY", keys["private.pem"])
    monkeypatch.setenv("MYSTORE_JWT_PUBLIC_KEY", keys["public.pem"])
    reset_caches()
    token, _ = tokens.issue(user_id="u-1", email="a@example.com")
    assert tokens.verify(token).user_id == "u-1"


def test_secrets_are_kept_across_upgrades_and_new_services_get_a_password(fake_cluster, monkeypatch):
    module, cluster = fake_cluster
    module.main()
    first = {name: dict(data) for name, data in cluster.secrets.items()}
    assert set(first["my-store-db"]) == {"postgres", "pgadmin", "auth"}
    assert all(len(password) == 48 and password.isalnum() for password in first["my-store-db"].values())

    monkeypatch.setenv("DB_KEYS", "postgres,pgadmin,auth,orders")
    module.main()
    assert cluster.secrets["my-store-jwt"] == first["my-store-jwt"]
    db = cluster.secrets["my-store-db"]
    assert {k: db[k] for k in first["my-store-db"]} == first["my-store-db"]
    assert set(db) == {"postgres", "pgadmin", "auth", "orders"}
    assert ("POST", "/api/v1/namespaces/my-store/secrets") in cluster.calls


def psql_binary() -> str:
    found = shutil.which("psql") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))), None)
    if not found:
        pytest.skip("psql not installed")
    return found


@pytest.mark.postgres
def test_each_service_gets_its_own_database_and_user_idempotently(tmp_path):
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("MYSTORE_TEST_POSTGRES_URL is not set, but PostgreSQL is required")
        pytest.skip("PostgreSQL not running: ./scripts/test starts it")
    server = make_url(POSTGRES_URL)
    prefix = f"deploy_{uuid.uuid4().hex[:8]}_"
    services = [prefix + "auth", prefix + "orders"]
    for service in services:
        (tmp_path / service).write_text(uuid.uuid4().hex)
    env = {
        **os.environ,
        "PATH": os.path.dirname(psql_binary()) + os.pathsep + os.environ["PATH"],
        "PGHOST": server.host,
        "PGPORT": str(server.port),
        "PGUSER": server.username,
        "PASSWORDS_DIR": str(tmp_path),
        "SERVICES": " ".join(services),
    }
    script = str(FILES / "ensure-databases.sh")
    admin = create_engine(POSTGRES_URL + "postgres", isolation_level="AUTOCOMMIT")
    try:
        for _ in range(2):  # first start, then every deploy
            subprocess.run(["sh", script], env=env, check=True, capture_output=True)
        with admin.connect() as connection:
            owners = dict(
                connection.execute(
                    text("SELECT datname, pg_get_userbyid(datdba) FROM pg_database WHERE datname LIKE :p"),
                    {"p": prefix + "%"},
                ).all()
            )
        assert owners == {service: service for service in services}
        mine, other = services
        own = create_engine(f"postgresql+psycopg://{mine}@{server.host}:{server.port}/{mine}")
        with own.connect() as connection:
            assert connection.execute(text("SELECT current_user")).scalar() == mine
        own.dispose()
        foreign = create_engine(f"postgresql+psycopg://{mine}@{server.host}:{server.port}/{other}")
        with pytest.raises(Exception, match="permission denied for database"):
            foreign.connect()
        foreign.dispose()
    finally:
        with admin.connect() as connection:
            for service in services:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{service}" WITH (FORCE)'))
                connection.execute(text(f'DROP ROLE IF EXISTS "{service}"'))
        admin.dispose()
