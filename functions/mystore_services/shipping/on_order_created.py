"""shipping-on-order-created: one shipment per order.

Consumes mystore.order.v1.OrderCreated (KafkaSource on topic orders); emits
mystore.shipping.v1.ShipmentCreated (topic shipments) through shipping's outbox.
"""

from mystore_kit.events.consumer import on_event
from mystore_services.shipping import SERVICE, handlers

main = on_event(handlers.ship_order, service=SERVICE)
