"""The order service: orders, their lines and status, and their events' outbox. Database: `orders`."""

SERVICE = "orders"
SOURCE = "/mystore/order"  # CloudEvent source of its events
TOPIC = "orders"  # OrderCreated
STATUS_TOPIC = "order-status"  # OrderStatusChanged
