"""The store's five gRPC services, each method one handler the CloudEvent functions call too.

METHODS names the handler and the access rule of every method; `handlers()` turns them into grpcio
method handlers, checked against the service descriptors from proto/ (a method without a handler,
or a handler of other message types, fails at start). Every call goes through `invoke`: identity
from the `authorization` metadata, the handler, and any failure as the gRPC status of its code.

Access, as the REST API has it:
    PUBLIC  anyone (register, log in, validate a token, the catalog)
    USER    a valid `authorization: Bearer <token>`; the request's `user_id`/`user_email`, when it
            has them, are overwritten from the token, so nobody acts as someone else
    ADMIN   USER, and the token's email is one of Settings.admin_emails
"""

import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import grpc
from google.protobuf.descriptor import ServiceDescriptor
from google.protobuf.message import DecodeError, Message

from analytics import handlers as analytics
from auth import handlers as auth
from catalog import handlers as catalog
from kit import tokens
from kit.errors import Code, Problem, invalid, problem_from
from kit.settings import get_settings
from mystore.analytics.v1 import analytics_pb2
from mystore.auth.v1 import auth_pb2
from mystore.catalog.v1 import catalog_pb2
from mystore.order.v1 import order_pb2
from mystore.shipping.v1 import shipping_pb2
from orders import handlers as orders
from shipping import handlers as shipping

Metadata = Iterable[tuple[str, str | bytes]]


class Access(Enum):
    PUBLIC = "public"
    USER = "user"
    ADMIN = "admin"


@dataclass(frozen=True)
class Method:
    handler: Callable[[Any], Message]
    access: Access = Access.PUBLIC


SERVICES: tuple[ServiceDescriptor, ...] = (
    auth_pb2.DESCRIPTOR.services_by_name["AuthService"],
    catalog_pb2.DESCRIPTOR.services_by_name["CatalogService"],
    order_pb2.DESCRIPTOR.services_by_name["OrderService"],
    shipping_pb2.DESCRIPTOR.services_by_name["ShippingService"],
    analytics_pb2.DESCRIPTOR.services_by_name["AnalyticsService"],
)

METHODS: dict[str, Method] = {
    "mystore.auth.v1.AuthService.Register": Method(auth.register),
    "mystore.auth.v1.AuthService.Login": Method(auth.login),
    "mystore.auth.v1.AuthService.Validate": Method(auth.validate),
    "mystore.catalog.v1.CatalogService.ListProducts": Method(catalog.list_products),
    "mystore.order.v1.OrderService.CreateOrder": Method(orders.create_order, Access.USER),
    "mystore.order.v1.OrderService.ListOrders": Method(orders.list_orders, Access.USER),
    "mystore.order.v1.OrderService.GetOrder": Method(orders.get_order, Access.USER),
    # The REST API has no shipping endpoints: GET /api/orders/{id} shows the signed-in user the
    # shipment of their own order. Here a tracking id (80 random bits, reached through your order)
    # is read by any signed-in user; creating a shipment moves an order to SHIPPED, which in the
    # store only OrderCreated does, so over gRPC it is an administrator's repair tool.
    "mystore.shipping.v1.ShippingService.CreateShipment": Method(shipping.create_shipment, Access.ADMIN),
    "mystore.shipping.v1.ShippingService.GetShipment": Method(shipping.get_shipment, Access.USER),
    "mystore.analytics.v1.AnalyticsService.GetSummary": Method(analytics.get_summary, Access.ADMIN),
}


def service_names() -> list[str]:
    return [service.full_name for service in SERVICES]


def handlers() -> list[grpc.GenericRpcHandler]:
    """One grpcio generic handler per service, every method of its descriptor served."""
    served = []
    for service in SERVICES:
        methods = {}
        for descriptor in service.methods:
            method = METHODS[descriptor.full_name]  # KeyError: a method in proto/ without a handler
            hints = typing.get_type_hints(method.handler)
            request_type = next(hint for name, hint in hints.items() if name != "return")
            reply_type = hints["return"]
            types = (request_type.DESCRIPTOR, reply_type.DESCRIPTOR)
            if types != (descriptor.input_type, descriptor.output_type):
                raise TypeError(f"{descriptor.full_name}: the handler's types differ from proto/")
            methods[descriptor.name] = grpc.unary_unary_rpc_method_handler(
                unary(method, request_type),
                request_deserializer=None,  # raw bytes: `invoke` parses, so bad bytes are a client error
                response_serializer=reply_type.SerializeToString,
            )
        served.append(grpc.method_handlers_generic_handler(service.full_name, methods))
    return served


def unary(method: Method, request_type: type[Message]) -> Callable[[bytes, grpc.ServicerContext], Message]:
    """The grpcio behaviour of `method`: `invoke`, and any failure as the status of its code."""

    def call(data: bytes, context: grpc.ServicerContext) -> Message:
        try:
            return invoke(method, request_type, data, context.invocation_metadata())
        except Exception as error:  # noqa: BLE001 - every failure becomes a status
            problem = problem_from(error)  # unexpected errors are logged here, and not shown
        context.abort(status_code(problem.code), problem.detail)

    return call


def invoke(method: Method, request_type: type[Message], data: bytes, metadata: Metadata) -> Message:
    """Parses the request, applies the caller's identity and access rule, calls the handler."""
    try:
        request = request_type.FromString(data)
    except DecodeError:
        raise invalid(f"the request is not a valid {request_type.DESCRIPTOR.full_name}") from None
    if method.access is not Access.PUBLIC:
        claims = signed_in(metadata)
        if method.access is Access.ADMIN and claims.email.casefold() not in get_settings().admin_emails:
            raise Problem(Code.PERMISSION_DENIED, "this needs an administrator")
        fields = request.DESCRIPTOR.fields_by_name
        if "user_id" in fields:
            request.user_id = claims.user_id
        if "user_email" in fields:
            request.user_email = claims.email
    return method.handler(request)


def signed_in(metadata: Metadata) -> tokens.Claims:
    """The claims of the `authorization: Bearer <token>` metadata; UNAUTHENTICATED without one."""
    values = [value for key, value in metadata if key == "authorization" and isinstance(value, str)]
    scheme, _, token = (values[0] if len(values) == 1 else "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(
            Code.UNAUTHENTICATED, "sign in first: send the metadata `authorization: Bearer <token>`"
        )
    return tokens.verify(token.strip())


def status_code(code: Code) -> grpc.StatusCode:
    """kit.errors codes are gRPC's, by name."""
    return grpc.StatusCode[code.name]
