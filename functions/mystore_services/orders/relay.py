"""order-outbox-relay: publishes the OrderCreated rows the fast path left in the orders outbox.

Consumes the PingSource's dev.knative.sources.ping events (any CloudEvent is a tick); emits
mystore.order.v1.OrderCreated (topic orders). Reads only the orders database.
"""

from mystore_kit.events.relay import relay
from mystore_services.orders import SERVICE

main = relay(SERVICE)
