"""orders' shipping address: one nullable column per field (NULL on orders from before)

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
    add_shipping_address_v1("orders")


def downgrade() -> None:
    drop_shipping_address_v1("orders")
