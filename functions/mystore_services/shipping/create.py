"""shipping-create: a shipment for an order, once.

Consumes mystore.shipping.v1.CreateShipmentRequest, replies CreateShipmentResponse;
emits mystore.shipping.v1.ShipmentCreated (topic shipments) for a new shipment.
"""

from mystore_kit.cloudevent import rpc
from mystore_services.shipping import handlers

main = rpc(handlers.create_shipment)
