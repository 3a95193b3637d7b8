"""Domain events for tests: OrderCreated and ShipmentCreated as their functions would publish them."""

import uuid

from google.protobuf.timestamp_pb2 import Timestamp

from mystore.common.v1.money_pb2 import Money
from mystore.order.v1 import events_pb2 as order_events
from mystore.order.v1.order_pb2 import OrderItem
from mystore.shipping.v1 import events_pb2 as shipping_events
from mystore_kit.messages import to_dict
from tests.addresses import address_message

PRODUCT = "424182c6-815e-596c-8ff1-8f84634d917b"


def order_created(
    order_id: str | None = None, *, quantity: int = 2, unit: int = 2490, with_address: bool = True
) -> dict:
    """An OrderCreated as order-create publishes it; without its address, as events from before."""
    created = Timestamp()
    created.GetCurrentTime()
    event = order_events.OrderCreated(
        order_id=order_id or str(uuid.uuid4()),
        user_id=str(uuid.uuid4()),
        user_email="buyer@example.com",
        items=[
            OrderItem(
                product_id=PRODUCT,
                product_name="Espresso Beans 1 kg",
                quantity=quantity,
                unit_price=Money(amount_minor=unit, currency="EUR"),
                line_total=Money(amount_minor=unit * quantity, currency="EUR"),
            )
        ],
        total=Money(amount_minor=unit * quantity, currency="EUR"),
        created_at=created,
        shipping_address=address_message() if with_address else None,
    )
    return to_dict(event)


def shipment_created(order_id: str, tracking_id: str = "MS-TESTTESTTESTTEST") -> dict:
    return to_dict(shipping_events.ShipmentCreated(order_id=order_id, tracking_id=tracking_id))
