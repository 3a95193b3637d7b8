"""The catalog service's tables."""

from sqlalchemy import Text
from sqlmodel import Field, SQLModel


class Product(SQLModel, table=True):
    __tablename__ = "products"

    id: str = Field(primary_key=True, max_length=36)  # UUID
    slug: str = Field(unique=True, max_length=100)
    name: str = Field(max_length=200)
    description: str = Field(sa_type=Text)
    price_minor: int  # integer minor units (cents)
    currency: str = Field(max_length=3)
    image_url: str = Field(max_length=300)
    position: int  # display order
