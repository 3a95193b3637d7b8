"""Alembic environment shared by every service; mystore_kit.migrate says which service and URL."""

from alembic import context

from mystore_kit.database import make_engine

config = context.config
engine = make_engine(config.attributes["url"])
with engine.connect() as connection:
    context.configure(
        connection=connection,
        render_as_batch=connection.dialect.name == "sqlite",
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
