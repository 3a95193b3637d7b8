"""Migration 0002 starts the running totals from the statistics counted before it."""

import uuid
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from mystore_kit.migrate import alembic_config

MINUTES = [("2026-11-30 10:00", 3, 7470), ("2026-11-30 10:01", 1, 4900)]
PRODUCTS = [("p1", 5, 7470), ("p2", 2, 4900)]


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/analytics.sqlite"
        return
    server = request.getfixturevalue("postgres_url")
    name = f"mystore_test_totals_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server + "postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield server + name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def upgrade(url: str, revision: str) -> None:
    command.upgrade(alembic_config(service="analytics", url=url), revision)


def totals(url: str) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, orders, units, revenue_minor, currency FROM store_totals"))
        found = [tuple(row) for row in rows]
    engine.dispose()
    return found


def test_the_totals_start_from_what_was_counted(empty_database):
    upgrade(empty_database, "0001")
    engine = create_engine(empty_database)
    with engine.begin() as connection:
        for minute, orders, revenue in MINUTES:
            connection.execute(
                text("INSERT INTO minute_stats VALUES (:m, :o, :r, 'EUR')"),
                {"m": datetime.fromisoformat(minute).replace(tzinfo=UTC), "o": orders, "r": revenue},
            )
        for product, units, revenue in PRODUCTS:
            connection.execute(
                text("INSERT INTO product_stats VALUES (:p, 'name', :u, :r, 'EUR')"),
                {"p": product, "u": units, "r": revenue},
            )
    engine.dispose()
    upgrade(empty_database, "head")
    assert totals(empty_database) == [(1, 4, 7, 7470 + 4900, "EUR")]


def test_a_store_without_orders_starts_without_a_totals_row(empty_database):
    upgrade(empty_database, "head")
    assert totals(empty_database) == []
