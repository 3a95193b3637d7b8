"""Alembic environment shared by every service; mystore_kit.migrate says which service and URL."""

from alembic import context

from mystore_kit.database import make_engine
from mystore_kit.migrate import context_options

config = context.config
engine = make_engine(config.attributes["url"])
with engine.connect() as connection:
    context.configure(connection=connection, **context_options(connection))
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
