"""The store's six gRPC services, each method a call to the RPC function that serves it.

grpc-api is an edge like the BFF: it holds no database and no signing key. METHODS gives the access
rule of every method; the function that serves it is the one functions/functions.yaml declares for
the method's request type, called through kit.client like the BFF calls it. `handlers()` turns
them into grpcio method handlers, checked against the service descriptors from proto/ (a method
without a rule, or without a function for its request type, fails at start). Every call goes
through `invoke`: identity from the `authorization` metadata (kit.access), the call, and any
failure as the gRPC status of its code.

Access, as the REST API has it:
    PUBLIC  anyone (register, log in, validate a token, the catalog)
    USER    a valid `authorization: Bearer <token>`; the request's `user_id`/`user_email`, when it
            has them, are overwritten from the token, so nobody acts as someone else
    ADMIN   USER, and the token's email is one of Settings.admin_emails
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum

import grpc
from google.protobuf import symbol_database
from google.protobuf.descriptor import MethodDescriptor, ServiceDescriptor
from google.protobuf.message import DecodeError, Message

from mystore.analytics.v1 import analytics_pb2
from mystore.auth.v1 import auth_pb2
from mystore.catalog.v1 import catalog_pb2
from mystore.notification.v1 import notification_pb2
from mystore.order.v1 import order_pb2
from mystore.shipping.v1 import shipping_pb2
from mystore_kit import admission, metrics, tracing
from mystore_kit.access import Caller, bearer_token, require_admin, signed_in
from mystore_kit.client import call
from mystore_kit.client_address import client_address
from mystore_kit.declaration import load_declaration
from mystore_kit.errors import Code, invalid, problem_from

Metadata = Iterable[tuple[str, str | bytes]]
FUNCTION = "grpc-api"
TRACE_KEYS = ("traceparent", "tracestate")  # W3C trace context, as gRPC metadata


class Access(Enum):
    PUBLIC = "public"
    USER = "user"
    ADMIN = "admin"


@dataclass(frozen=True)
class Method:
    """How one gRPC method is served: the function to call and the types it speaks."""

    function: str
    request_type: type[Message]
    reply_type: type[Message]
    access: Access


SERVICES: tuple[ServiceDescriptor, ...] = (
    auth_pb2.DESCRIPTOR.services_by_name["AuthService"],
    catalog_pb2.DESCRIPTOR.services_by_name["CatalogService"],
    order_pb2.DESCRIPTOR.services_by_name["OrderService"],
    shipping_pb2.DESCRIPTOR.services_by_name["ShippingService"],
    notification_pb2.DESCRIPTOR.services_by_name["NotificationService"],
    analytics_pb2.DESCRIPTOR.services_by_name["AnalyticsService"],
)

ACCESS: dict[str, Access] = {
    "mystore.auth.v1.AuthService.Register": Access.PUBLIC,
    "mystore.auth.v1.AuthService.Login": Access.PUBLIC,
    "mystore.auth.v1.AuthService.Validate": Access.PUBLIC,
    "mystore.catalog.v1.CatalogService.ListProducts": Access.PUBLIC,
    "mystore.order.v1.OrderService.CreateOrder": Access.USER,
    "mystore.order.v1.OrderService.ListOrders": Access.USER,
    "mystore.order.v1.OrderService.GetOrder": Access.USER,
    # The REST API has no shipping endpoints: GET /api/orders/{id} shows the signed-in user the
    # shipment of their own order. Here a tracking id (80 random bits, reached through your order)
    # is read by any signed-in user; creating a shipment moves an order to SHIPPED, which in the
    # store only OrderCreated does, so over gRPC it is an administrator's repair tool.
    "mystore.shipping.v1.ShippingService.CreateShipment": Access.ADMIN,
    "mystore.shipping.v1.ShippingService.GetShipment": Access.USER,
    # The order journey's reads: an order id or its event's key reach a user through their own
    # order, like a tracking id, and the replies are times (no email, no address).
    "mystore.notification.v1.NotificationService.GetNotification": Access.USER,
    "mystore.analytics.v1.AnalyticsService.GetSummary": Access.ADMIN,
    "mystore.analytics.v1.AnalyticsService.GetOrderCounted": Access.USER,
}


def method(descriptor: MethodDescriptor) -> Method:
    """The function declared for the method's request type, and the method's access rule."""
    access = ACCESS[descriptor.full_name]  # KeyError: a method in proto/ without an access rule
    by_request = {f.request: f.name for f in load_declaration().functions if f.trigger == "rpc"}
    request_name = descriptor.input_type.full_name
    if request_name not in by_request:
        raise LookupError(f"{descriptor.full_name}: no rpc function declared for {request_name}")
    messages = symbol_database.Default()
    return Method(
        function=by_request[request_name],
        request_type=messages.GetSymbol(request_name),
        reply_type=messages.GetSymbol(descriptor.output_type.full_name),
        access=access,
    )


def service_names() -> list[str]:
    return [service.full_name for service in SERVICES]


def handlers() -> list[grpc.GenericRpcHandler]:
    """One grpcio generic handler per service, every method of its descriptor served."""
    served = []
    for service in SERVICES:
        methods = {}
        for descriptor in service.methods:
            target = method(descriptor)
            methods[descriptor.name] = grpc.unary_unary_rpc_method_handler(
                unary(target, name=descriptor.full_name),
                request_deserializer=None,  # raw bytes: `invoke` parses, so bad bytes are a client error
                response_serializer=target.reply_type.SerializeToString,
            )
        served.append(grpc.method_handlers_generic_handler(service.full_name, methods))
    return served


def unary(method: Method, *, name: str) -> Callable[[bytes, grpc.ServicerContext], Message]:
    """The grpcio behaviour of `method` (`name`, the gRPC method's full name): `invoke`, and any
    failure as the status of its code; traced (a `traceparent` in the metadata is continued) and
    counted."""

    def serve(data: bytes, context: grpc.ServicerContext) -> Message:
        started = time.perf_counter()
        metadata = context.invocation_metadata()
        parent = None
        if tracing.enabled():
            parent = {key: value for key, value in metadata if key in TRACE_KEYS and isinstance(value, str)}
        with tracing.span(name, kind="server", parent=parent, attributes={"rpc.system": "grpc"}):
            try:
                with admission.within(context.time_remaining()):  # the caller's deadline, passed on
                    reply = invoke(method, data, metadata, peer=context.peer())
                metrics.observe(FUNCTION, 200, started)
                return reply
            except Exception as error:  # noqa: BLE001 - every failure becomes a status
                problem = problem_from(error)  # unexpected errors are logged here, and not shown
            tracing.answered(problem.status)
        metrics.observe(FUNCTION, problem.status, started)
        if "Retry-After" in problem.headers:  # a throttled login: when to try again, in seconds
            context.set_trailing_metadata((("retry-after", problem.headers["Retry-After"]),))
        context.abort(status_code(problem.code), problem.detail)

    return serve


def invoke(method: Method, data: bytes, metadata: Metadata, *, peer: str | None = None) -> Message:
    """Parses the request, applies the caller's identity and access rule, calls the function."""
    try:
        request = method.request_type.FromString(data)
    except DecodeError:
        raise invalid(f"the request is not a valid {method.request_type.DESCRIPTOR.full_name}") from None
    if "client_address" in request.DESCRIPTOR.fields_by_name:  # the edge says, never the client
        request.client_address = client_address(peer=grpc_peer(peer), forwarded_for=forwarded_for(metadata))
    if method.access is not Access.PUBLIC:
        caller = caller_of(metadata)
        if method.access is Access.ADMIN:
            require_admin(caller)
        fields = request.DESCRIPTOR.fields_by_name
        if "user_id" in fields:
            request.user_id = caller.id
        if "user_email" in fields:
            request.user_email = caller.email
    return call(method.function, request, method.reply_type)


def grpc_peer(peer: str | None) -> str | None:
    """The address of a grpcio peer such as `ipv4:10.0.0.7:41234` or `ipv6:[::1]:41234`."""
    kind, _, address = (peer or "").partition(":")
    return address if kind in ("ipv4", "ipv6") else None


def forwarded_for(metadata: Metadata) -> str:
    return ", ".join(value for key, value in metadata if key == "x-forwarded-for" and isinstance(value, str))


def caller_of(metadata: Metadata) -> Caller:
    """The caller of the `authorization: Bearer <token>` metadata; UNAUTHENTICATED without one."""
    values = [value for key, value in metadata if key == "authorization" and isinstance(value, str)]
    token = bearer_token(values[0] if len(values) == 1 else None)
    return signed_in(token, how="send the metadata `authorization: Bearer <token>`")


def status_code(code: Code) -> grpc.StatusCode:
    """mystore_kit.errors codes are gRPC's, by name."""
    return grpc.StatusCode[code.name]
