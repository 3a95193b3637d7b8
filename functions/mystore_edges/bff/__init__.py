"""The BFF: the storefront's REST API under /api and the built storefront at /."""
