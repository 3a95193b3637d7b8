"""bff: the storefront's REST API under /api (calls the RPC functions) and the storefront at /.

Consumes HTTP from browsers, and mystore.order.v1.OrderStatusChanged (KafkaSource bff-on-order-status
on topic order-status, POST /) for the live status streams; calls auth-*, catalog-list, order-*,
analytics-summary; emits nothing.
"""

from mystore_edges.bff.app import handle

main = handle
