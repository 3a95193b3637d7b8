"""analytics-on-order-created: updates the statistics exactly once per event.

Consumes mystore.order.v1.OrderCreated (KafkaSource on topic orders); emits nothing.
"""

from mystore_kit.events.consumer import on_event
from mystore_services.analytics import SERVICE, handlers

main = on_event(handlers.count_order, service=SERVICE)
