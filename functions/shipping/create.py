"""shipping-create: a shipment for an order, once.

Consumes mystore.shipping.v1.CreateShipmentRequest, replies CreateShipmentResponse;
emits mystore.shipping.v1.ShipmentCreated (topic shipments) for a new shipment.
"""

from kit.cloudevent import rpc
from shipping import handlers

main = rpc(handlers.create_shipment)
