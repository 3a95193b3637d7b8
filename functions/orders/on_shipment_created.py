"""order-on-shipment-created: moves the order to SHIPPED and stores its tracking id.

Consumes mystore.shipping.v1.ShipmentCreated (KafkaSource on topic shipments); emits nothing.
"""

from kit.consumer import on_event
from orders import SERVICE, handlers

main = on_event(handlers.mark_shipped, service=SERVICE)
