"""outbox pages keep room for the relay's claim to update rows in place (PostgreSQL fillfactor 90)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from mystore_kit.events.tables import reset_outbox_fillfactor_v5, set_outbox_fillfactor_v5

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    set_outbox_fillfactor_v5()


def downgrade() -> None:
    reset_outbox_fillfactor_v5()
