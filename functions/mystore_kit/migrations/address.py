"""The shipping-address columns several services' migrations add (frozen per version, like events.tables)."""

import sqlalchemy as sa
from alembic import op

# mystore_kit.address_columns.ShippingAddressColumns, as of its first version.
COLUMNS_V1 = [
    ("ship_recipient_name", 100),
    ("ship_line1", 100),
    ("ship_line2", 100),
    ("ship_city", 80),
    ("ship_postal_code", 12),
    ("ship_region", 80),
    ("ship_country", 2),
    ("ship_phone", 32),
]


def add_shipping_address_v1(table: str) -> None:
    """One nullable column per address field on `table`."""
    with op.batch_alter_table(table) as batch:
        for name, length in COLUMNS_V1:
            batch.add_column(sa.Column(name, sa.String(length), nullable=True))


def drop_shipping_address_v1(table: str) -> None:
    with op.batch_alter_table(table) as batch:
        for name, _ in reversed(COLUMNS_V1):
            batch.drop_column(name)
