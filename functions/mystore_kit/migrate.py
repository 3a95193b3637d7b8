"""Applies each service's Alembic migrations (functions/mystore_services/<service>/migrations).

    python -m mystore_kit.migrate                 every service in the declaration
    python -m mystore_kit.migrate auth catalog    just these
    python -m mystore_kit.migrate --list          print the services that own a database

Run once per deploy (a Helm pre-install/pre-upgrade Job on the cluster, ./scripts/dev locally),
never from a function's cold start.
"""

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from mystore_kit.declaration import load_declaration
from mystore_kit.settings import get_settings

SERVICES_DIR = Path(__file__).resolve().parents[1] / "mystore_services"


def services_with_migrations() -> list[str]:
    services = {function.service for function in load_declaration().functions}
    return sorted(s for s in services if (SERVICES_DIR / s / "migrations").is_dir())


def alembic_config(*, service: str, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.set_main_option("version_locations", str(SERVICES_DIR / service / "migrations"))
    config.set_main_option("path_separator", "os")
    config.attributes["url"] = url
    return config


def context_options(connection: Connection) -> dict[str, object]:
    """How migrations/env.py configures Alembic; tests/kit/test_migrate.py compares under the same."""
    return {
        "render_as_batch": connection.dialect.name == "sqlite",  # SQLite alters a table by copying it
        "transaction_per_migration": True,
        "compare_type": True,
        "compare_server_default": True,
    }


def migrate(*, service: str, url: str | None = None) -> None:
    """Brings `service`'s database to the newest revision."""
    url = url or get_settings().database_url_for(service)
    command.upgrade(alembic_config(service=service, url=url), "head")


def main(argv: list[str]) -> int:
    if argv == ["--list"]:
        print("\n".join(services_with_migrations()))
        return 0
    for service in argv or services_with_migrations():
        migrate(service=service)
        print(f"migrated {service}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
