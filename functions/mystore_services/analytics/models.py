"""The analytics service's tables: counters per product and per minute, and the store's running totals."""

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel


class ProductStats(SQLModel, table=True):
    __tablename__ = "product_stats"

    product_id: str = Field(primary_key=True, max_length=36)
    product_name: str = Field(max_length=200)
    units: int = Field(sa_type=BigInteger)
    revenue_minor: int = Field(sa_type=BigInteger)
    currency: str = Field(max_length=3)


class MinuteStats(SQLModel, table=True):
    __tablename__ = "minute_stats"

    minute: datetime = Field(primary_key=True)  # UTC, truncated to the minute the order was created
    orders: int = Field(sa_type=BigInteger)
    revenue_minor: int = Field(sa_type=BigInteger)
    currency: str = Field(max_length=3)


class StoreTotals(SQLModel, table=True):
    """One row (id 1): every order counted so far, kept up by each event, so that the summary reads
    one row instead of summing a table that grows with every minute of history."""

    __tablename__ = "store_totals"

    id: int = Field(primary_key=True)  # always TOTALS_ID
    orders: int = Field(sa_type=BigInteger)
    units: int = Field(sa_type=BigInteger)
    revenue_minor: int = Field(sa_type=BigInteger)
    currency: str = Field(max_length=3)  # of the first order counted


TOTALS_ID = 1
