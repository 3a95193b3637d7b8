"""bff: the storefront's REST API under /api (calls the RPC functions) and the storefront at /.

Consumes HTTP from browsers; calls auth-*, catalog-list, order-*, analytics-summary; emits nothing.
"""

from mystore_edges.bff.app import handle

main = handle
