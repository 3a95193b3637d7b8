"""The shipping service's tables (the outbox table comes from mystore_kit.events.outbox)."""

import base64
import secrets
from datetime import UTC, datetime

from sqlmodel import Field

from mystore_kit.address_columns import ShippingAddressColumns


def new_tracking_id() -> str:
    """80 random bits, e.g. MS-7KQ2M4XZ9D3T5BHW: unique in practice and not guessable."""
    return "MS-" + base64.b32encode(secrets.token_bytes(10)).decode()


def utcnow() -> datetime:
    return datetime.now(UTC)


class Shipment(ShippingAddressColumns, table=True):  # all NULL: the order came without an address
    __tablename__ = "shipments"

    tracking_id: str = Field(default_factory=new_tracking_id, primary_key=True, max_length=40)
    order_id: str = Field(unique=True, max_length=36)  # one shipment per order
    created_at: datetime = Field(default_factory=utcnow)
