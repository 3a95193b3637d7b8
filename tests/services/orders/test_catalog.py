"""order-create's short-lived copy of the catalog: one catalog-list call serves many orders."""

import pytest

from mystore_kit import client
from mystore_kit.settings import get_settings
from mystore_services.orders import catalog


@pytest.fixture
def calls(database_url, functions_in_process, monkeypatch):
    """Counts the calls order-create makes to catalog-list."""
    made = []
    real = client.call

    def counting(function, request, reply_type):
        made.append((function, list(request.product_ids)))
        return real(function, request, reply_type)

    monkeypatch.setattr(catalog, "call", counting)
    catalog.forget()
    yield made
    catalog.forget()


def cache_for(monkeypatch, seconds):
    monkeypatch.setenv("MYSTORE_CATALOG_CACHE_SECONDS", seconds)
    get_settings.cache_clear()


def test_the_whole_catalog_is_fetched_once_and_reused(calls, monkeypatch):
    cache_for(monkeypatch, "60")
    everything = catalog.fetch([])
    first, second, *_ = everything
    calls.clear()
    assert set(catalog.products([first])) == {first}
    assert catalog.products([first, second])[second].price == everything[second].price
    assert calls == [("catalog-list", [])]


def test_an_unknown_product_asks_the_catalog_again(calls, monkeypatch):
    cache_for(monkeypatch, "60")
    (known, *_) = catalog.fetch([])
    calls.clear()
    catalog.products([known])
    assert catalog.products(["00000000-0000-0000-0000-000000000000"]) == {}
    assert len(calls) == 2


def test_zero_seconds_asks_for_every_order(calls, monkeypatch):
    cache_for(monkeypatch, "0")
    (known, *_) = catalog.fetch([])
    calls.clear()
    catalog.products([known])
    catalog.products([known])
    assert calls == [("catalog-list", [known]), ("catalog-list", [known])]
