"""The catalog service: the products and their prices. Database: `catalog`."""

SERVICE = "catalog"
