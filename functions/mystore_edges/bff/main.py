"""bff: the storefront's REST API under /api (calls the RPC functions) and the storefront at /.

Consumes HTTP from browsers; calls auth-*, catalog-list, order-*, shipping-get, notification-get,
analytics-summary, analytics-order-get; emits nothing.
"""

from mystore_edges.bff.app import handle

main = handle
