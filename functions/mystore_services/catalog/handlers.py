"""Listing products: the whole catalog, or the authoritative prices of some ids."""

from sqlmodel import col, select

from mystore.catalog.v1 import catalog_pb2 as pb
from mystore.common.v1.money_pb2 import Money
from mystore_kit.database import unit_of_work
from mystore_kit.errors import invalid
from mystore_services.catalog import SERVICE
from mystore_services.catalog.models import Product

MAX_IDS = 100


def product_message(product: Product) -> pb.Product:
    return pb.Product(
        id=product.id,
        name=product.name,
        description=product.description,
        price=Money(amount_minor=product.price_minor, currency=product.currency),
        image_url=product.image_url,
    )


def list_products(request: pb.ListProductsRequest) -> pb.ListProductsResponse:
    if len(request.product_ids) > MAX_IDS:
        raise invalid(f"ask for at most {MAX_IDS} product ids at once")
    query = select(Product).order_by(col(Product.position))
    if request.product_ids:
        query = query.where(col(Product.id).in_(list(request.product_ids)))
    with unit_of_work(SERVICE) as session:
        products = session.exec(query).all()
    return pb.ListProductsResponse(products=[product_message(p) for p in products])
