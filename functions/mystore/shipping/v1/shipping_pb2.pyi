import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from mystore.common.v1 import address_pb2 as _address_pb2
from mystore.common.v1 import event_pb2 as _event_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Shipment(_message.Message):
    __slots__ = ("tracking_id", "order_id", "created_at", "shipping_address", "address_missing")
    TRACKING_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_MISSING_FIELD_NUMBER: _ClassVar[int]
    tracking_id: str
    order_id: str
    created_at: _timestamp_pb2.Timestamp
    shipping_address: _address_pb2.ShippingAddress
    address_missing: bool
    def __init__(self, tracking_id: _Optional[str] = ..., order_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., shipping_address: _Optional[_Union[_address_pb2.ShippingAddress, _Mapping]] = ..., address_missing: _Optional[bool] = ...) -> None: ...

class CreateShipmentRequest(_message.Message):
    __slots__ = ("order_id", "shipping_address")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    shipping_address: _address_pb2.ShippingAddress
    def __init__(self, order_id: _Optional[str] = ..., shipping_address: _Optional[_Union[_address_pb2.ShippingAddress, _Mapping]] = ...) -> None: ...

class CreateShipmentResponse(_message.Message):
    __slots__ = ("shipment", "created")
    SHIPMENT_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    shipment: Shipment
    created: bool
    def __init__(self, shipment: _Optional[_Union[Shipment, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class GetShipmentRequest(_message.Message):
    __slots__ = ("tracking_id", "order_id", "order_created")
    TRACKING_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_CREATED_FIELD_NUMBER: _ClassVar[int]
    tracking_id: str
    order_id: str
    order_created: _event_pb2.EventKey
    def __init__(self, tracking_id: _Optional[str] = ..., order_id: _Optional[str] = ..., order_created: _Optional[_Union[_event_pb2.EventKey, _Mapping]] = ...) -> None: ...

class GetShipmentResponse(_message.Message):
    __slots__ = ("shipment", "order_created_received_at")
    SHIPMENT_FIELD_NUMBER: _ClassVar[int]
    ORDER_CREATED_RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    shipment: Shipment
    order_created_received_at: _timestamp_pb2.Timestamp
    def __init__(self, shipment: _Optional[_Union[Shipment, _Mapping]] = ..., order_created_received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
