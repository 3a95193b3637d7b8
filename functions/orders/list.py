"""order-list: a user's orders, newest first, paginated.

Consumes mystore.order.v1.ListOrdersRequest, replies ListOrdersResponse.
"""

from kit.cloudevent import rpc
from orders import handlers

main = rpc(handlers.list_orders)
