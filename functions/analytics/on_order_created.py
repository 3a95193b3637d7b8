"""analytics-on-order-created: updates the statistics exactly once per event.

Consumes mystore.order.v1.OrderCreated (KafkaSource on topic orders); emits nothing.
"""

from analytics import SERVICE, handlers
from kit.consumer import on_event

main = on_event(handlers.count_order, service=SERVICE)
