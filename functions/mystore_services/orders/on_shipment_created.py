"""order-on-shipment-created: moves the order to SHIPPED and stores its tracking id.

Consumes mystore.shipping.v1.ShipmentCreated (KafkaSource on topic shipments); emits
mystore.order.v1.OrderStatusChanged (topic order-status, through the orders outbox).
"""

from mystore_kit.events.consumer import on_event
from mystore_services.orders import SERVICE, handlers

main = on_event(handlers.mark_shipped, service=SERVICE)
