"""indexes for what must not grow with history: the relay's claim and inbox pruning

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from mystore_kit.events.tables import add_retention_indexes_v4, drop_retention_indexes_v4

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_retention_indexes_v4()


def downgrade() -> None:
    drop_retention_indexes_v4()
