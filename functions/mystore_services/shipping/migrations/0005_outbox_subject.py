"""shipping's outbox rows by subject (the order id), as the kit's outbox model indexes them

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from mystore_kit.events.tables import add_outbox_subject_index_v4, drop_outbox_subject_index_v4

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_subject_index_v4()


def downgrade() -> None:
    drop_outbox_subject_index_v4()
