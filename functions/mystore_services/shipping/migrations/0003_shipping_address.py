"""shipments' shipping address: one nullable column per field, all NULL when the order came without one

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from mystore_kit.migrations.address import add_shipping_address_v1, drop_shipping_address_v1

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_shipping_address_v1("shipments")


def downgrade() -> None:
    drop_shipping_address_v1("shipments")
