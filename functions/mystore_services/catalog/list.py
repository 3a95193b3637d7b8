"""catalog-list: lists products.

Consumes mystore.catalog.v1.ListProductsRequest, replies ListProductsResponse.
"""

from mystore_kit.cloudevent import rpc
from mystore_services.catalog import handlers

main = rpc(handlers.list_products)
