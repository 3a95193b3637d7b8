"""order-outbox-relay: publishes the rows the fast path left in the orders outbox.

Consumes the PingSource's dev.knative.sources.ping events (any CloudEvent is a tick); emits
mystore.order.v1.OrderCreated (topic orders) and mystore.order.v1.OrderStatusChanged (topic
order-status). Reads only the orders database.
"""

from mystore_kit.events.relay import relay
from mystore_services.orders import SERVICE

main = relay(SERVICE)
