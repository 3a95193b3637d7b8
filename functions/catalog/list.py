"""catalog-list: lists products.

Consumes mystore.catalog.v1.ListProductsRequest, replies ListProductsResponse.
"""

from catalog import handlers
from kit.cloudevent import rpc

main = rpc(handlers.list_products)
