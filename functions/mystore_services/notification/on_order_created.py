"""notification-on-order-created: logs "email sent" once per order and records it.

Consumes mystore.order.v1.OrderCreated (KafkaSource on topic orders); emits nothing.
"""

from mystore_kit.events.consumer import on_event
from mystore_services.notification import SERVICE, handlers

main = on_event(handlers.send_order_email, service=SERVICE)
