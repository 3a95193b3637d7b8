"""Fixtures every test shares: isolated settings, dev keys, and a database per backend.

Storage tests take the `database` fixture and run twice: on SQLite and on PostgreSQL (the server
./scripts/test starts; its URL arrives in MYSTORE_TEST_POSTGRES_URL).
"""

import os
import shutil
import uuid

import pytest
from sqlalchemy import create_engine, text

from mystore_kit import client, database, tokens
from mystore_kit.migrate import migrate, services_with_migrations
from mystore_kit.settings import get_settings

POSTGRES_URL = os.environ.get("MYSTORE_TEST_POSTGRES_URL", "")  # e.g. postgresql+psycopg://u@127.0.0.1:25432/
REQUIRE_POSTGRES = os.environ.get("MYSTORE_TEST_REQUIRE_POSTGRES") == "1"
ADMIN_EMAIL = "admin@example.com"
POSTGRES_TABLES_TO_EMPTY: dict[str, list[str]] = {}


def reset_caches() -> None:
    """Settings, engines, keys and clients are read once per process; tests change them."""
    for cached in (
        get_settings,
        database.engine_for,
        tokens.private_key,
        tokens.public_key,
        client.function_url,
    ):
        cached.cache_clear()


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("var")
    os.environ["MYSTORE_VAR_DIR"] = str(path)
    reset_caches()
    tokens.generate_dev_keys()
    return path


@pytest.fixture(autouse=True)
def settings(monkeypatch, var_dir):
    monkeypatch.setenv("MYSTORE_VAR_DIR", str(var_dir))
    monkeypatch.setenv("MYSTORE_BCRYPT_COST", "4")  # fast hashes in tests; production uses 12
    monkeypatch.setenv("MYSTORE_ADMIN_EMAILS", ADMIN_EMAIL)
    monkeypatch.setenv("MYSTORE_FUNCTION_URL_TEMPLATE", "http://{name}.functions.test")
    monkeypatch.setenv("MYSTORE_DATABASE_URL", f"sqlite:///{var_dir}/unused-{{service}}.sqlite")
    monkeypatch.setenv("MYSTORE_OUTBOX_FAST_PATH", "false")  # tests that want it turn it on
    monkeypatch.setenv("MYSTORE_CATALOG_CACHE_SECONDS", "0")  # order-create asks catalog-list every time
    reset_caches()
    yield get_settings()
    reset_caches()


@pytest.fixture(scope="session")
def sqlite_databases(tmp_path_factory):
    """Every service's SQLite file, migrated once; each test gets copies."""
    directory = tmp_path_factory.mktemp("sqlite-migrated")
    for service in services_with_migrations():
        url = f"sqlite:///{directory}/{service}.sqlite"
        migrate(service=service, url=url)
        engine = create_engine(url)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
        engine.dispose()
    return directory


@pytest.fixture(scope="session")
def postgres_databases():
    """One database per service on the test server, migrated once; tables emptied after each test."""
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("MYSTORE_TEST_POSTGRES_URL is not set, but PostgreSQL is required")
        pytest.skip("PostgreSQL not running: ./scripts/test starts it")
    prefix = f"mystore_test_{uuid.uuid4().hex[:8]}_"
    admin = create_engine(POSTGRES_URL + "postgres", isolation_level="AUTOCOMMIT")
    services = services_with_migrations()
    with admin.connect() as connection:
        for service in services:
            connection.execute(text(f'CREATE DATABASE "{prefix}{service}"'))
    template = POSTGRES_URL + prefix + "{service}"
    for service in services:
        migrate(service=service, url=template.format(service=service))
    POSTGRES_TABLES_TO_EMPTY.update({s: empty_tables(template.format(service=s)) for s in services})
    yield template
    database.engine_for.cache_clear()
    with admin.connect() as connection:
        for service in services:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{prefix}{service}" WITH (FORCE)'))
    admin.dispose()


def empty_tables(url: str) -> list[str]:
    """The tables that migrations left empty: what tests fill (seeded reference data stays)."""
    engine = create_engine(url)
    with engine.connect() as connection:
        names = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
        tables = [name for name in names.scalars() if name != "alembic_version"]
        empty = [
            t for t in tables if connection.execute(text(f'SELECT NOT EXISTS (SELECT 1 FROM "{t}")')).scalar()
        ]
    engine.dispose()
    return empty


def truncate(url: str, tables: list[str]) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        if tables:
            connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, monkeypatch, tmp_path):
    """Every service's database, migrated, on one backend; the URL template is returned."""
    if request.param == "sqlite":
        for migrated in request.getfixturevalue("sqlite_databases").glob("*.sqlite"):
            shutil.copy(migrated, tmp_path / migrated.name)
        template = f"sqlite:///{tmp_path}/{{service}}.sqlite"
    else:
        template = request.getfixturevalue("postgres_databases")
    monkeypatch.setenv("MYSTORE_DATABASE_URL", template)
    reset_caches()
    yield template
    for engine_service in services_with_migrations():
        database.engine_for(engine_service).dispose()
    if request.param == "postgres":
        for service, tables in POSTGRES_TABLES_TO_EMPTY.items():
            truncate(template.format(service=service), tables)
    reset_caches()


@pytest.fixture
def functions_in_process(monkeypatch):
    """Function-to-function calls go to the real functions, loaded in this process; their events
    travel by the direct channel, as on ./scripts/dev without a broker."""
    from mystore_kit.events import publisher
    from mystore_local.channel import DirectChannel
    from tests.support import in_process_post

    monkeypatch.setattr(client, "http_post", in_process_post)
    monkeypatch.setattr(publisher, "_transport", DirectChannel())


@pytest.fixture
def spans():
    """Tracing on for one test, its finished spans in memory (kit.tracing; off again after)."""
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from mystore_kit import tracing

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.use(provider)
    yield exporter
    tracing.use(None)
    provider.shutdown()


@pytest.fixture
def bff(functions_in_process):
    """A test client of the bff function, calling the other functions in-process."""
    from tests.support import function_app

    return function_app("bff").test_client()


KAFKA = os.environ.get("MYSTORE_TEST_KAFKA", "")  # bootstrap address of the broker ./scripts/test starts


@pytest.fixture(scope="session")
def kafka_bootstrap():
    if not KAFKA:
        if os.environ.get("MYSTORE_TEST_REQUIRE_KAFKA") == "1":
            pytest.fail("MYSTORE_TEST_KAFKA is not set, but Kafka is required")
        pytest.skip("Kafka not running: ./scripts/test starts it")
    return KAFKA


ZIPKIN = os.environ.get("MYSTORE_TEST_ZIPKIN", "")  # URL of the Zipkin server ./scripts/test starts


@pytest.fixture(scope="session")
def zipkin_url():
    if not ZIPKIN:
        if os.environ.get("MYSTORE_TEST_REQUIRE_ZIPKIN") == "1":
            pytest.fail("MYSTORE_TEST_ZIPKIN is not set, but Zipkin is required")
        pytest.skip("Zipkin not running: ./scripts/test starts it (scripts/zipkin start)")
    return ZIPKIN.rstrip("/")


@pytest.fixture(scope="session")
def postgres_url():
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("MYSTORE_TEST_POSTGRES_URL is not set, but PostgreSQL is required")
        pytest.skip("PostgreSQL not running: ./scripts/test starts it")
    return POSTGRES_URL


class Sink:
    """A real HTTP server on loopback standing in for a sink: it answers from a script of statuses."""

    def __init__(self, statuses=(200,)):
        import http.server
        import threading

        self.statuses = list(statuses)
        self.received: list[dict] = []
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                sink.received.append(
                    {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                )
                status = sink.statuses.pop(0) if len(sink.statuses) > 1 else sink.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def make_sink():
    sinks = []

    def make(statuses=(200,)):
        sinks.append(Sink(statuses))
        return sinks[-1]

    yield make
    for sink in sinks:
        sink.close()


def pytest_terminal_summary(terminalreporter):
    """Prints the figures tests recorded as `request.node.user_properties` ("figures", text)."""
    figures = [
        f"{report.nodeid.split('::')[-1]}: {text}"
        for report in terminalreporter.stats.get("passed", [])
        for name, text in report.user_properties
        if name == "figures"
    ]
    if figures:
        terminalreporter.section("figures")
        for line in figures:
            terminalreporter.write_line(line)
