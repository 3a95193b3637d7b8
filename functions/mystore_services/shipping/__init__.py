"""The shipping service: shipments with tracking ids, and the ShipmentCreated outbox. Database: `shipping`."""

SERVICE = "shipping"
SOURCE = "/mystore/shipping"
TOPIC = "shipments"
