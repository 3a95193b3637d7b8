"""per-product and per-minute statistics and the processed-events table

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from mystore_kit.events.tables import create_processed_events_v1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "product_stats",
        sa.Column("product_id", sa.String(36), primary_key=True),
        sa.Column("product_name", sa.String(200), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("revenue_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
    )
    op.create_table(
        "minute_stats",
        sa.Column("minute", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("orders", sa.BigInteger(), nullable=False),
        sa.Column("revenue_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
    )
    create_processed_events_v1()


def downgrade() -> None:
    op.drop_table("processed_events")
    op.drop_table("minute_stats")
    op.drop_table("product_stats")
