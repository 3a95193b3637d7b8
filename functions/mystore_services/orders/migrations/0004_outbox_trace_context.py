"""outbox rows keep the trace context they were written in

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from mystore_kit.events.tables import add_outbox_trace_context_v3, drop_outbox_trace_context_v3

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_trace_context_v3()


def downgrade() -> None:
    drop_outbox_trace_context_v3()
