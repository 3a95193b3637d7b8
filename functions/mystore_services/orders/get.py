"""order-get: one order, for its owner only.

Consumes mystore.order.v1.GetOrderRequest, replies GetOrderResponse.
"""

from mystore_kit.cloudevent import rpc
from mystore_services.orders import handlers

main = rpc(handlers.get_order)
