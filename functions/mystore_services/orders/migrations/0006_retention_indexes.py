"""indexes for what must not grow with history: the relay's claim and inbox pruning

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from mystore_kit.events.tables import add_retention_indexes_v4, drop_retention_indexes_v4

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_retention_indexes_v4()


def downgrade() -> None:
    drop_retention_indexes_v4()
