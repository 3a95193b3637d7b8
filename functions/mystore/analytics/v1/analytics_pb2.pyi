import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from mystore.common.v1 import event_pb2 as _event_pb2
from mystore.common.v1 import money_pb2 as _money_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetSummaryRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ProductStats(_message.Message):
    __slots__ = ("product_id", "product_name", "units", "revenue")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_NAME_FIELD_NUMBER: _ClassVar[int]
    UNITS_FIELD_NUMBER: _ClassVar[int]
    REVENUE_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    product_name: str
    units: int
    revenue: _money_pb2.Money
    def __init__(self, product_id: _Optional[str] = ..., product_name: _Optional[str] = ..., units: _Optional[int] = ..., revenue: _Optional[_Union[_money_pb2.Money, _Mapping]] = ...) -> None: ...

class MinuteStats(_message.Message):
    __slots__ = ("minute", "orders", "revenue")
    MINUTE_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    REVENUE_FIELD_NUMBER: _ClassVar[int]
    minute: _timestamp_pb2.Timestamp
    orders: int
    revenue: _money_pb2.Money
    def __init__(self, minute: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., orders: _Optional[int] = ..., revenue: _Optional[_Union[_money_pb2.Money, _Mapping]] = ...) -> None: ...

class GetSummaryResponse(_message.Message):
    __slots__ = ("order_count", "units_sold", "revenue", "top_products", "orders_over_time")
    ORDER_COUNT_FIELD_NUMBER: _ClassVar[int]
    UNITS_SOLD_FIELD_NUMBER: _ClassVar[int]
    REVENUE_FIELD_NUMBER: _ClassVar[int]
    TOP_PRODUCTS_FIELD_NUMBER: _ClassVar[int]
    ORDERS_OVER_TIME_FIELD_NUMBER: _ClassVar[int]
    order_count: int
    units_sold: int
    revenue: _money_pb2.Money
    top_products: _containers.RepeatedCompositeFieldContainer[ProductStats]
    orders_over_time: _containers.RepeatedCompositeFieldContainer[MinuteStats]
    def __init__(self, order_count: _Optional[int] = ..., units_sold: _Optional[int] = ..., revenue: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., top_products: _Optional[_Iterable[_Union[ProductStats, _Mapping]]] = ..., orders_over_time: _Optional[_Iterable[_Union[MinuteStats, _Mapping]]] = ...) -> None: ...

class GetOrderCountedRequest(_message.Message):
    __slots__ = ("order_created",)
    ORDER_CREATED_FIELD_NUMBER: _ClassVar[int]
    order_created: _event_pb2.EventKey
    def __init__(self, order_created: _Optional[_Union[_event_pb2.EventKey, _Mapping]] = ...) -> None: ...

class GetOrderCountedResponse(_message.Message):
    __slots__ = ("counted_at",)
    COUNTED_AT_FIELD_NUMBER: _ClassVar[int]
    counted_at: _timestamp_pb2.Timestamp
    def __init__(self, counted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
