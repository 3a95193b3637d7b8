"""analytics-order-get: when analytics counted an order's OrderCreated event.

Consumes mystore.analytics.v1.GetOrderCountedRequest, replies GetOrderCountedResponse.
"""

from mystore_kit.cloudevent import rpc
from mystore_services.analytics import handlers

main = rpc(handlers.get_order_counted)
