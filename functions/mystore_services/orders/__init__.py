"""The order service: orders, their lines and status, and the OrderCreated outbox. Database: `orders`."""

SERVICE = "orders"
SOURCE = "/mystore/order"  # CloudEvent source of its events
TOPIC = "orders"
