"""order-get: one order, for its owner only.

Consumes mystore.order.v1.GetOrderRequest, replies GetOrderResponse.
"""

from kit.cloudevent import rpc
from orders import handlers

main = rpc(handlers.get_order)
