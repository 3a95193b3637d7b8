import pytest

from tests.support import post_event


@pytest.fixture
def products(database_url, functions_in_process):
    """The seeded catalog, by product id."""
    reply = post_event("catalog-list", type="mystore.catalog.v1.ListProductsRequest", data={})
    return {p["id"]: p for p in reply.get_json()["products"]}
