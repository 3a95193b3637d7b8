"""The order service's tables (the outbox table comes from mystore_kit.events.outbox)."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from mystore_kit.address_columns import ShippingAddressColumns
from mystore_services.orders.status import OrderStatus


def utcnow() -> datetime:
    return datetime.now(UTC)


class Order(ShippingAddressColumns, table=True):  # where it ships: NULL on orders from before
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("user_id", "idempotency_key", name="uq_orders_user_idempotency_key"),
        Index("ix_orders_user_created", "user_id", "created_at", "id"),  # a user's history, newest first
    )

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    user_id: str = Field(max_length=36)
    status: str = Field(default=OrderStatus.PENDING, max_length=20)  # an OrderStatus
    total_minor: int = Field(sa_type=BigInteger)
    currency: str = Field(max_length=3)
    created_at: datetime = Field(default_factory=utcnow)
    tracking_id: str | None = Field(default=None, max_length=40)
    shipped_at: datetime | None = Field(default=None)  # when ShipmentCreated arrived (NULL before 0005)
    idempotency_key: str | None = Field(default=None, max_length=200)
    request_hash: str | None = Field(default=None, max_length=64)  # items and address, for key reuse checks

    lines: list["OrderLine"] = Relationship(
        back_populates="order", sa_relationship_kwargs={"order_by": "OrderLine.position", "lazy": "selectin"}
    )


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_lines"

    order_id: str = Field(foreign_key="orders.id", primary_key=True, max_length=36)
    position: int = Field(primary_key=True)
    product_id: str = Field(max_length=36)
    product_name: str = Field(max_length=200)
    quantity: int
    unit_price_minor: int = Field(sa_type=BigInteger)
    line_total_minor: int = Field(sa_type=BigInteger)

    order: Order = Relationship(back_populates="lines")
