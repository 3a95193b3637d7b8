"""CatalogService over gRPC: the seeded catalog, or some of it; public."""

import grpc

from mystore.catalog.v1 import catalog_pb2 as pb
from tests.edges.grpc_api.calls import failure


def test_list_products_returns_the_catalog(api, products):
    assert len(products) >= 2
    assert all(p.id and p.name and p.price.amount_minor > 0 and p.price.currency for p in products)


def test_list_products_by_id(api, products):
    wanted = [products[1].id, products[0].id]
    reply = api.catalog.ListProducts(pb.ListProductsRequest(product_ids=wanted))
    assert {p.id for p in reply.products} == set(wanted)


def test_too_many_ids_are_invalid_argument(api):
    request = pb.ListProductsRequest(product_ids=[f"id-{n}" for n in range(101)])
    error = failure(api.catalog.ListProducts, request)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details() == "ask for at most 100 product ids at once"
