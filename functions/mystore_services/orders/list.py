"""order-list: a user's orders, newest first, paginated.

Consumes mystore.order.v1.ListOrdersRequest, replies ListOrdersResponse.
"""

from mystore_kit.cloudevent import rpc
from mystore_services.orders import handlers

main = rpc(handlers.list_orders)
