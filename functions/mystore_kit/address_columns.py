"""The columns a table stores a shipping address in (orders, shipments), and the conversions.

Apart from mystore_kit.addresses so that what checks an address (the BFF too) needs no SQLModel.
"""

from sqlmodel import Field, SQLModel

from mystore.common.v1.address_pb2 import ShippingAddress
from mystore_kit.addresses import MAX_LENGTHS


class ShippingAddressColumns(SQLModel):
    """The columns a table stores an address in, all NULL when it has none (rows from before)."""

    ship_recipient_name: str | None = Field(default=None, max_length=100)
    ship_line1: str | None = Field(default=None, max_length=100)
    ship_line2: str | None = Field(default=None, max_length=100)
    ship_city: str | None = Field(default=None, max_length=80)
    ship_postal_code: str | None = Field(default=None, max_length=12)
    ship_region: str | None = Field(default=None, max_length=80)
    ship_country: str | None = Field(default=None, max_length=2)
    ship_phone: str | None = Field(default=None, max_length=32)


def address_columns(address: ShippingAddress | None) -> dict[str, str | None]:
    """The column values of `address` (None: every column NULL; empty optional values are NULL)."""
    return {f"ship_{name}": (getattr(address, name) or None) if address else None for name in MAX_LENGTHS}


def stored_address(row: ShippingAddressColumns) -> ShippingAddress | None:
    """The address a row holds, or None when it has none."""
    if row.ship_country is None:
        return None
    return ShippingAddress(**{name: getattr(row, f"ship_{name}") or "" for name in MAX_LENGTHS})
