"""shipping-get: a shipment by tracking id.

Consumes mystore.shipping.v1.GetShipmentRequest, replies GetShipmentResponse.
"""

from mystore_kit.cloudevent import rpc
from mystore_services.shipping import handlers

main = rpc(handlers.get_shipment)
