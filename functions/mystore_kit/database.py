"""One SQLModel engine per service, and units of work over it.

Each service owns its database. The URL comes from Settings: a SQLite file per service by
default (WAL mode, busy timeout, write transactions that take the lock up front), PostgreSQL when
the URL says so. Statement errors never show their parameters (they may be personal data, and
unexpected errors are logged).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlmodel import Session

from mystore_kit import tracing
from mystore_kit.settings import get_settings

AFTER_COMMIT = "after_commit"


@cache
def engine_for(service: str) -> Engine:
    """The engine of `service`'s database (one per process)."""
    return make_engine(get_settings().database_url_for(service))


def make_engine(url: str) -> Engine:
    settings = get_settings()
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(
            url, pool_size=settings.database_pool_size, max_overflow=10, hide_parameters=True
        )
        tracing.trace_statements(engine)
        return engine
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
    busy_timeout = settings.sqlite_busy_timeout_ms

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # let us issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers and one writer, across processes
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")  # a commit survives power loss too, not just a crash
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:  # type: ignore[no-untyped-def]
        # Take the write lock at BEGIN: a deferred transaction that reads, then writes, can fail
        # with "database is locked" without waiting when another process wrote in between.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    tracing.trace_statements(engine)
    return engine


@contextmanager
def unit_of_work(service: str) -> Iterator[Session]:
    """A session whose changes commit together when the block ends, or not at all.

    What was registered with `after_commit` runs once the commit succeeded (e.g. publishing the
    outbox rows the transaction added, or logging that an email went out).
    """
    with Session(engine_for(service), expire_on_commit=False, info={"service": service}) as session:
        with session.begin():
            yield session
        callbacks = session.info.pop(AFTER_COMMIT, [])
    for callback in callbacks:
        callback()


def upsert(session: Session, table: Any) -> Any:
    """INSERT into `table` in the session's dialect (PostgreSQL or SQLite), so that the statement
    has `on_conflict_do_nothing` / `on_conflict_do_update`."""
    return _dialect(session).insert(table)


def _dialect(session: Session) -> Any:
    return postgresql if session.get_bind().dialect.name == "postgresql" else sqlite


def run(session: Session, statement: Any, params: dict[str, Any] | list[dict[str, Any]]) -> Any:
    """Executes a Core `statement` built once (its values are `params`, never part of it) in the
    session's transaction, past the ORM: the hot path's statements. SQLAlchemy compiles a
    statement once and reuses it; through `session.execute`, or with the values inside the
    statement, every call pays for the ORM's execution path and the statement's cache key again
    (about 0.6 ms of CPU per statement, docs/benchmarks.md)."""
    return session.connection().execute(statement, params)


def prebuilt(session: Session, name: str, build: Callable[[Any], Any]) -> Any:
    """The statement `build(dialect)` makes for the session's dialect (sqlalchemy.dialects'
    postgresql or sqlite module), built once per process and `name`."""
    dialect = _dialect(session)
    key = (dialect.__name__, name)
    statement = _prebuilt.get(key)
    if statement is None:
        statement = _prebuilt.setdefault(key, build(dialect))
    return statement


_prebuilt: dict[tuple[str, str], Any] = {}


def insert_once(session: Session, table: Any, values: dict[str, Any]) -> bool:
    """INSERT `values` into `table` (a SQLModel table class) unless its key or a unique column is
    there already; True when this inserted it. One statement, no ORM object: the hot path's insert.
    """
    core = table.__table__

    def build(dialect: Any) -> Any:
        return dialect.insert(core).on_conflict_do_nothing().returning(*core.primary_key.columns)

    statement = prebuilt(session, f"insert_once {core.name} {sorted(values)}", build)
    return run(session, statement, values).first() is not None


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Runs `callback` when the unit of work of `session` has committed (never if it rolls back)."""
    session.info.setdefault(AFTER_COMMIT, []).append(callback)
