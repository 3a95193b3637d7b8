"""processed_events.processed_at, indexed: the consumer prunes the inbox by it

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from mystore_kit.events.tables import add_processed_events_index_v2, drop_processed_events_index_v2

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_processed_events_index_v2()


def downgrade() -> None:
    drop_processed_events_index_v2()
