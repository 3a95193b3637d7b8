"""outbox rows keep the trace context they were written in

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from mystore_kit.events.tables import add_outbox_trace_context_v3, drop_outbox_trace_context_v3

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_trace_context_v3()


def downgrade() -> None:
    drop_outbox_trace_context_v3()
