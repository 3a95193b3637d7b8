"""order-create: prices items from the catalog, stores the order PENDING and OrderCreated in its outbox.

Consumes mystore.order.v1.CreateOrderRequest, replies CreateOrderResponse; emits
mystore.order.v1.OrderCreated (topic orders).
"""

from mystore_kit.cloudevent import rpc
from mystore_services.orders import handlers

main = rpc(handlers.create_order)
