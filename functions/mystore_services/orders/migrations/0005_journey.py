"""an order's journey: when it was SHIPPED, and its outbox rows by subject (the order id)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

from mystore_kit.events.tables import add_outbox_subject_index_v4, drop_outbox_subject_index_v4

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("shipped_at", sa.DateTime(timezone=True), nullable=True))
    add_outbox_subject_index_v4()


def downgrade() -> None:
    drop_outbox_subject_index_v4()
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("shipped_at")
