"""shipping-outbox-relay: publishes the ShipmentCreated rows the fast path left in the shipping outbox.

Consumes the PingSource's dev.knative.sources.ping events (any CloudEvent is a tick); emits
mystore.shipping.v1.ShipmentCreated (topic shipments). Reads only the shipping database.
"""

from mystore_kit.events.relay import relay
from mystore_services.shipping import SERVICE

main = relay(SERVICE)
