import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from mystore_kit.database import engine_for, unit_of_work
from mystore_services.auth.models import User


def test_a_unit_of_work_commits_together(database_url):
    with unit_of_work("auth") as session:
        session.add(User(email="a@example.com", password_hash="x"))
        session.add(User(email="b@example.com", password_hash="x"))
    with unit_of_work("auth") as session:
        assert len(session.exec(select(User)).all()) == 2


def test_a_failing_unit_of_work_leaves_nothing(database_url):
    with pytest.raises(RuntimeError):
        with unit_of_work("auth") as session:
            session.add(User(email="a@example.com", password_hash="x"))
            session.flush()
            raise RuntimeError("crash after the insert")
    with unit_of_work("auth") as session:
        assert session.exec(select(User)).all() == []


def test_a_failed_statement_does_not_show_its_parameters(database_url):
    with unit_of_work("auth") as session:
        session.add(User(email="taken@example.com", password_hash="x"))
    with pytest.raises(IntegrityError) as raised:
        with unit_of_work("auth") as session:
            session.add(User(email="taken@example.com", password_hash="1 Secret Street"))
    assert "1 Secret Street" not in str(raised.value)  # (PostgreSQL's DETAIL names the duplicate key)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_durable_commits(database_url):
    engine = engine_for("auth")
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        # FULL (2): a commit is on disk before it returns, as PostgreSQL's synchronous_commit.
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2


def test_the_url_template_gives_each_service_its_own_database(database_url):
    assert engine_for("auth").url != engine_for("other").url
    with engine_for("auth").connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM users")).scalar() == 0
