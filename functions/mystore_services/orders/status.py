"""An order's status: the one enum the model, the handlers and the edges use (PENDING -> SHIPPED).

Stored and shown by name; on the wire it is mystore.order.v1.OrderStatus (ORDER_STATUS_<name>).
"""

from enum import StrEnum

from mystore.order.v1 import order_pb2 as pb


class OrderStatus(StrEnum):
    PENDING = "PENDING"  # placed; OrderCreated is on its way
    SHIPPED = "SHIPPED"  # shipping created its shipment (ShipmentCreated)

    def to_proto(self) -> int:
        return pb.OrderStatus.Value(f"ORDER_STATUS_{self.value}")

    @classmethod
    def from_proto(cls, value: int) -> "OrderStatus":
        return cls(pb.OrderStatus.Name(value).removeprefix("ORDER_STATUS_"))
