"""/api/products: the catalog."""

from typing import Any

import flask

from mystore.catalog.v1 import catalog_pb2 as catalog
from mystore_edges.bff.rest import json_response, money_json
from mystore_kit.client import call


def product_json(product: catalog.Product) -> dict[str, Any]:
    return {
        "id": product.id,
        "name": product.name,
        "description": product.description,
        "price": money_json(product.price),
        "imageUrl": product.image_url,
    }


def list_products(request: flask.Request) -> flask.Response:
    reply = call("catalog-list", catalog.ListProductsRequest(), catalog.ListProductsResponse)
    return json_response({"products": [product_json(p) for p in reply.products]})
