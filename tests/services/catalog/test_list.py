import pytest

from tests.support import MODES, post_event

TYPE = "mystore.catalog.v1.ListProductsRequest"


@pytest.mark.parametrize("mode", MODES)
def test_the_seeded_catalog_is_listed(database_url, mode):
    response = post_event("catalog-list", type=TYPE, data={}, mode=mode)
    assert response.status_code == 200
    assert response.headers["ce-type"] == "mystore.catalog.v1.ListProductsResponse"
    products = response.get_json()["products"]
    assert len(products) >= 12
    assert len({p["id"] for p in products}) == len(products)
    for product in products:
        assert int(product["price"]["amountMinor"]) > 0 and product["price"]["currency"] == "EUR"
        assert product["imageUrl"].startswith("/images/products/") and product["description"]


def test_only_the_asked_ids_and_unknown_ones_are_absent(database_url):
    everything = post_event("catalog-list", type=TYPE, data={}).get_json()["products"]
    wanted = [everything[3]["id"], everything[0]["id"], "00000000-0000-4000-8000-000000000000"]
    some = post_event("catalog-list", type=TYPE, data={"productIds": wanted}).get_json()["products"]
    assert {p["id"] for p in some} == set(wanted[:2])


def test_every_image_is_shipped_with_the_storefront(database_url):
    from pathlib import Path

    public = Path(__file__).resolve().parents[3] / "frontend" / "public"
    for product in post_event("catalog-list", type=TYPE, data={}).get_json()["products"]:
        assert (public / product["imageUrl"].lstrip("/")).is_file(), product["imageUrl"]
