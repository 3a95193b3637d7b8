"""outbox claims and the processed-events table

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from alembic import op

from mystore_kit.events.tables import add_outbox_claims_v2, create_processed_events_v1

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_claims_v2()
    create_processed_events_v1()


def downgrade() -> None:
    op.drop_table("processed_events")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claimed_at")
