"""The test stack cleans up after itself: a stopped Stack's PostgreSQL databases are gone."""

from sqlalchemy import create_engine, text

from tests.local.stack import Stack


def test_a_stopped_stack_drops_its_databases_even_with_connections_open(tmp_path, postgres_url):
    stack = Stack(tmp_path, postgres_url=postgres_url)
    assert len(stack.databases) == 7 and sorted(stack.existing_databases()) == sorted(stack.databases)
    engine = create_engine(stack.url("orders"))
    connection = engine.connect()  # as a function killed mid-request leaves one
    connection.execute(text("SELECT 1"))
    stack.stop()
    assert stack.existing_databases() == []
    engine.dispose()


def test_a_stack_on_sqlite_has_no_databases_to_drop(tmp_path):
    stack = Stack(tmp_path)
    stack.stop()
    assert stack.databases == [] and stack.existing_databases() == []
