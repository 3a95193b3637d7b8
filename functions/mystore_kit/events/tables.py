"""Tables the kit gives several services, for their migrations to create (frozen per version)."""

import sqlalchemy as sa
from alembic import op


def create_outbox_v1() -> None:
    """mystore_kit.events.outbox.OutboxEvent, as of its first version."""
    op.create_table(
        "outbox",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("topic", sa.String(100), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("type", sa.String(200), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_outbox_created_at", "outbox", ["created_at"])
    # Unpublished rows are what the relay looks for.
    op.create_index("ix_outbox_published_at", "outbox", ["published_at"])


def add_outbox_claims_v2() -> None:
    """mystore_kit.events.outbox.OutboxEvent.claimed_at: the lease that keeps two publishers off one row."""
    op.add_column("outbox", sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))


def create_processed_events_v1() -> None:
    """mystore_kit.events.inbox.ProcessedEvent, as of its first version."""
    op.create_table(
        "processed_events",
        sa.Column("source", sa.String(200), primary_key=True),
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("type", sa.String(200), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
    )


def add_outbox_trace_context_v3() -> None:
    """mystore_kit.events.outbox.OutboxEvent.traceparent/tracestate: the trace an event continues."""
    op.add_column("outbox", sa.Column("traceparent", sa.String(100), nullable=True))
    op.add_column("outbox", sa.Column("tracestate", sa.String(512), nullable=True))


def drop_outbox_trace_context_v3() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("tracestate")
        batch.drop_column("traceparent")


def add_outbox_subject_index_v4() -> None:
    """mystore_kit.events.outbox.OutboxEvent.subject's index: an order's events without a scan."""
    op.create_index("ix_outbox_subject", "outbox", ["subject"])


def drop_outbox_subject_index_v4() -> None:
    op.drop_index("ix_outbox_subject", table_name="outbox")


def add_retention_indexes_v4() -> None:
    """The outbox's partial index of unpublished rows (the relay's claim) and processed_events'
    index on processed_at (pruning): mystore_kit.events.outbox and .inbox as of this version."""
    unpublished = sa.text("published_at IS NULL")
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["created_at"],
        postgresql_where=unpublished,
        sqlite_where=unpublished,
    )
    add_processed_events_index_v2()


def drop_retention_indexes_v4() -> None:
    drop_processed_events_index_v2()
    op.drop_index("ix_outbox_unpublished", table_name="outbox")


def add_processed_events_index_v2() -> None:
    """mystore_kit.events.inbox.ProcessedEvent.processed_at, indexed: pruning deletes by it."""
    op.create_index("ix_processed_events_processed_at", "processed_events", ["processed_at"])


def drop_processed_events_index_v2() -> None:
    op.drop_index("ix_processed_events_processed_at", table_name="processed_events")


def set_outbox_fillfactor_v5() -> None:
    """mystore_kit.events.outbox.OutboxEvent's fillfactor (PostgreSQL): a tenth of each page is kept
    free, so that the relay's claim (claimed_at, in no index) can update a row on its own page
    without a new entry in each of the table's five indexes (a HOT update). Pages written from here."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE outbox SET (fillfactor = 90)")


def reset_outbox_fillfactor_v5() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE outbox RESET (fillfactor)")
