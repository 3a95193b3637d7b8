"""The catalog as order-create sees it: catalog-list's answer, kept for a few seconds.

Prices still come from the catalog, never from the client; an order may be priced with prices up
to Settings.catalog_cache_seconds old (0 asks catalog-list for every order). A product the cached
copy does not know makes it ask again before the order is refused.
"""

import threading
import time

from mystore.catalog.v1 import catalog_pb2 as catalog
from mystore_kit.client import call
from mystore_kit.settings import get_settings

_lock = threading.Lock()
_cached: tuple[float, dict[str, catalog.Product]] = (0.0, {})


def fetch(product_ids: list[str]) -> dict[str, catalog.Product]:
    reply = call(
        "catalog-list", catalog.ListProductsRequest(product_ids=product_ids), catalog.ListProductsResponse
    )
    return {product.id: product for product in reply.products}


def products(product_ids: list[str]) -> dict[str, catalog.Product]:
    """The products of `product_ids` that the catalog has (unknown ids are missing)."""
    global _cached
    seconds = get_settings().catalog_cache_seconds
    if seconds <= 0:
        return fetch(product_ids)
    fetched_at, known = _cached
    if time.monotonic() - fetched_at > seconds or any(pid not in known for pid in product_ids):
        with _lock:
            known = fetch([])  # the whole catalog: one call serves every order for a while
            _cached = (time.monotonic(), known)
    return {pid: known[pid] for pid in product_ids if pid in known}


def forget() -> None:
    """Drops the cached copy (tests)."""
    global _cached
    _cached = (0.0, {})
