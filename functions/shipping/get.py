"""shipping-get: a shipment by tracking id.

Consumes mystore.shipping.v1.GetShipmentRequest, replies GetShipmentResponse.
"""

from kit.cloudevent import rpc
from shipping import handlers

main = rpc(handlers.get_shipment)
