"""the store's running totals (one row, counted from the statistics so far), and the inbox pruning index

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

The summary used to sum minute_stats, a row per minute of history, at every request; it now reads
store_totals, which each OrderCreated keeps up. The row starts from those sums, so the figures stay
exact across the upgrade, provided no consumer of the previous revision counts an order between
this migration and the new revision taking over (a Helm pre-upgrade hook runs it while the old
revision still serves: pause analytics-on-order-created's KafkaSource for an upgrade over this one
if the totals must be exact to the order).
"""

import sqlalchemy as sa
from alembic import op

from mystore_kit.events.tables import add_processed_events_index_v2, drop_processed_events_index_v2

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "store_totals",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("orders", sa.BigInteger(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("revenue_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
    )
    op.execute(
        "INSERT INTO store_totals (id, orders, units, revenue_minor, currency)"
        " SELECT 1, SUM(orders), (SELECT COALESCE(SUM(units), 0) FROM product_stats), SUM(revenue_minor),"
        " (SELECT currency FROM minute_stats ORDER BY minute LIMIT 1)"
        " FROM minute_stats HAVING COUNT(*) > 0"
    )
    add_processed_events_index_v2()


def downgrade() -> None:
    drop_processed_events_index_v2()
    op.drop_table("store_totals")
