"""shipments' shipping address: one nullable column per field, all NULL when the order came without one

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# mystore_kit.address_columns.ShippingAddressColumns, as of its first version.
COLUMNS = [
    ("ship_recipient_name", 100),
    ("ship_line1", 100),
    ("ship_line2", 100),
    ("ship_city", 80),
    ("ship_postal_code", 12),
    ("ship_region", 80),
    ("ship_country", 2),
    ("ship_phone", 32),
]


def upgrade() -> None:
    with op.batch_alter_table("shipments") as batch:
        for name, length in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shipments") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
