"""shipments and the outbox

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from mystore_kit.events.tables import create_outbox_v1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shipments",
        sa.Column("tracking_id", sa.String(40), primary_key=True),
        sa.Column("order_id", sa.String(36), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    create_outbox_v1()


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("shipments")
