"""Each service's models and migrations describe the same tables, on SQLite and on PostgreSQL.

Alembic's autogenerate comparison of a service's models against its freshly migrated database
must come back empty (it leaves out its own `alembic_version` table).
"""

import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Index, Integer, MetaData, String
from sqlmodel import SQLModel

from mystore_kit.database import engine_for
from mystore_kit.events.inbox import ProcessedEvent
from mystore_kit.events.outbox import OutboxEvent
from mystore_kit.migrate import context_options, services_with_migrations

OUTBOX = OutboxEvent.__tablename__
INBOX = ProcessedEvent.__tablename__

# What each service's migrations create: the tables of its models.py, then the kit's it uses.
TABLES = {
    "analytics": ["product_stats", "minute_stats", "store_totals", INBOX],
    "auth": ["users", "login_failures"],
    "catalog": ["products"],
    "deadletter": ["dead_letters"],
    "notification": ["notifications", INBOX],
    "orders": ["orders", "order_lines", OUTBOX, INBOX],
    "shipping": ["shipments", OUTBOX, INBOX],
}


def model_tables(service: str) -> set[str]:
    """The tables of the models that the service's models.py defines (importing it registers them)."""
    module = importlib.import_module(f"mystore_services.{service}.models")
    return {
        value.__table__.name
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == module.__name__ and hasattr(value, "__table__")
    }


def metadata_of(service: str) -> MetaData:
    """The service's tables, copied out of SQLModel.metadata (which holds every service's)."""
    model_tables(service)
    metadata = MetaData()
    for name in TABLES[service]:
        SQLModel.metadata.tables[name].to_metadata(metadata)
    return metadata


def differences(service: str, metadata: MetaData) -> list:
    """What autogenerate would change in the service's database to make it match `metadata`."""
    with engine_for(service).connect() as connection:
        context = MigrationContext.configure(connection, opts=context_options(connection))
        return compare_metadata(context, metadata)


def kinds(diff: list) -> list[str]:
    """The operation names of a diff ("add_column", "modify_type", ...); column changes come in lists."""
    return [change[0] for item in diff for change in (item if isinstance(item, list) else [item])]


def test_every_service_with_migrations_lists_all_its_model_tables():
    assert sorted(TABLES) == services_with_migrations()
    for service, tables in TABLES.items():
        assert model_tables(service) <= set(tables), f"{service}: a model table missing from TABLES"


@pytest.mark.parametrize("service", sorted(TABLES))
def test_the_models_match_what_the_migrations_create(database_url, service):
    assert differences(service, metadata_of(service)) == []


def add_column(metadata: MetaData) -> None:
    metadata.tables["orders"].append_column(Column("note", String(100), nullable=True))


def change_type(metadata: MetaData) -> None:
    metadata.tables["orders"].c.total_minor.type = Integer()  # BIGINT in the migration


def make_not_null(metadata: MetaData) -> None:
    metadata.tables["orders"].c.tracking_id.nullable = False


def add_index(metadata: MetaData) -> None:
    Index("ix_orders_status", metadata.tables["orders"].c.status)


def add_server_default(metadata: MetaData) -> None:
    status = Column("status", String(20), nullable=False, server_default="pending")
    metadata.tables["orders"].append_column(status, replace_existing=True)


def leave_out_a_table(metadata: MetaData) -> None:
    metadata.remove(metadata.tables[INBOX])  # e.g. a kit table forgotten in TABLES


@pytest.mark.parametrize(
    ("drift", "found"),
    [
        (add_column, ["add_column"]),
        (change_type, ["modify_type"]),
        (make_not_null, ["modify_nullable"]),
        (add_index, ["add_index"]),
        (add_server_default, ["modify_default"]),
        (leave_out_a_table, ["remove_index", "remove_table"]),  # the table and its processed_at index
    ],
)
def test_a_model_that_drifts_from_the_migrations_shows_in_the_comparison(database_url, drift, found):
    metadata = metadata_of("orders")
    drift(metadata)
    assert kinds(differences("orders", metadata)) == found


@pytest.mark.parametrize("service", ["orders", "shipping"])
def test_the_outbox_keeps_room_on_its_pages_for_claims_in_place(postgres_databases, service):
    """PostgreSQL: the migrated outbox and the model's CREATE TABLE have the same fillfactor."""
    from sqlalchemy import create_engine
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateTable

    from mystore_kit.events.outbox import OUTBOX_FILLFACTOR

    engine = create_engine(postgres_databases.format(service=service))
    try:
        with engine.connect() as connection:
            options = connection.exec_driver_sql(
                "SELECT reloptions FROM pg_class WHERE relname = 'outbox'"
            ).scalar()
    finally:
        engine.dispose()
    assert OUTBOX_FILLFACTOR < 100
    assert options == [f"fillfactor={OUTBOX_FILLFACTOR}"]
    created = str(CreateTable(OutboxEvent.__table__).compile(dialect=postgresql.dialect()))
    assert f"WITH (fillfactor = {OUTBOX_FILLFACTOR})" in created
