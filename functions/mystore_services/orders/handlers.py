"""Create, list and get orders: plain functions over the orders database."""

import hashlib
import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from mystore.common.v1.address_pb2 import ShippingAddress
from mystore.common.v1.event_pb2 import EventKey
from mystore.common.v1.money_pb2 import Money
from mystore.order.v1 import events_pb2 as events
from mystore.order.v1 import order_pb2 as pb
from mystore.shipping.v1 import events_pb2 as shipping_events
from mystore_kit.address_columns import address_columns, stored_address
from mystore_kit.addresses import checked_address, field_problem
from mystore_kit.database import run, unit_of_work
from mystore_kit.errors import Code, Problem, invalid
from mystore_kit.events.outbox import OutboxEvent, add_event
from mystore_kit.messages import timestamp
from mystore_services.orders import SERVICE, SOURCE, STATUS_TOPIC, TOPIC, catalog
from mystore_services.orders.models import Order, OrderLine, utcnow
from mystore_services.orders.status import OrderStatus

MAX_LINES = 50
MAX_QUANTITY = 100
DEFAULT_PAGE, MAX_PAGE = 20, 100


def check_uuid(value: str, what: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise invalid(f"{what} {value!r} is not a UUID") from None


def merged_lines(items) -> dict[str, int]:  # noqa: ANN001 - repeated LineRequest
    """Quantity per product, in the order given; duplicate product lines are merged."""
    if not items:
        raise invalid("an order needs at least one item")
    if len(items) > MAX_LINES:
        raise invalid(f"an order has at most {MAX_LINES} lines, this one has {len(items)}")
    quantities: dict[str, int] = {}
    for item in items:
        if not 1 <= item.quantity <= MAX_QUANTITY:
            raise invalid(f"quantity must be 1 to {MAX_QUANTITY}, got {item.quantity}")
        product_id = check_uuid(item.product_id, "productId")
        quantities[product_id] = quantities.get(product_id, 0) + item.quantity
        if quantities[product_id] > MAX_QUANTITY:
            raise invalid(f"quantity of product {product_id} adds up to more than {MAX_QUANTITY}")
    return quantities


def request_hash(quantities: dict[str, int], address: ShippingAddress) -> str:
    """What an Idempotency-Key replay must repeat: the items and where they ship."""
    what = repr((sorted(quantities.items()), address.SerializeToString(deterministic=True)))
    return hashlib.sha256(what.encode()).hexdigest()


def shipping_address(request: pb.CreateOrderRequest) -> ShippingAddress:
    if not request.HasField("shipping_address"):
        raise field_problem("shippingAddress", "is required: where should the order ship?")
    return checked_address(request.shipping_address)


def money(amount_minor: int, currency: str) -> Money:
    return Money(amount_minor=amount_minor, currency=currency)


def order_message(order: Order) -> pb.Order:
    return pb.Order(
        id=order.id,
        user_id=order.user_id,
        status=OrderStatus(order.status).to_proto(),
        items=[
            pb.OrderItem(
                product_id=line.product_id,
                product_name=line.product_name,
                quantity=line.quantity,
                unit_price=money(line.unit_price_minor, order.currency),
                line_total=money(line.line_total_minor, order.currency),
            )
            for line in order.lines
        ],
        total=money(order.total_minor, order.currency),
        created_at=timestamp(order.created_at),
        tracking_id=order.tracking_id or "",
        shipping_address=stored_address(order),
    )


def find_by_key(session: Session, user_id: str, key: str) -> Order | None:
    return session.exec(select(Order).where(Order.user_id == user_id, Order.idempotency_key == key)).first()


def replay(order: Order, digest: str) -> pb.CreateOrderResponse:
    """The answer to a retry with the same Idempotency-Key: the same order, if the same items."""
    if order.request_hash != digest:
        raise Problem(
            Code.FAILED_PRECONDITION, "this Idempotency-Key was used for a different order", status=422
        )  # other items, or another address
    return pb.CreateOrderResponse(order=order_message(order), created=False)


def priced_order(
    request: pb.CreateOrderRequest, quantities: dict[str, int], address: ShippingAddress
) -> Order:
    """The order with lines priced from the catalog (prices from clients are never used)."""
    products = catalog.products(list(quantities))
    unknown = [product_id for product_id in quantities if product_id not in products]
    if unknown:
        raise Problem(Code.NOT_FOUND, f"unknown product {', '.join(unknown)}", field="items")
    currencies = {products[product_id].price.currency for product_id in quantities}
    if len(currencies) != 1:
        raise invalid("all items of an order must be priced in one currency")
    lines = []
    for position, (product_id, quantity) in enumerate(quantities.items()):
        product = products[product_id]
        unit = product.price.amount_minor
        lines.append(
            OrderLine(
                position=position,
                product_id=product_id,
                product_name=product.name,
                quantity=quantity,
                unit_price_minor=unit,
                line_total_minor=unit * quantity,
            )
        )
    return Order(
        user_id=request.user_id,
        total_minor=sum(line.line_total_minor for line in lines),
        currency=currencies.pop(),
        lines=lines,
        **address_columns(address),
    )


INSERT_ORDER = Order.__table__.insert()  # type: ignore[attr-defined]
INSERT_LINES = OrderLine.__table__.insert()  # type: ignore[attr-defined]


def store_order(session: Session, order: Order) -> None:
    """INSERTs the order and its lines: two statements built once (kit.database.run), no ORM flush."""
    run(session, INSERT_ORDER, order.model_dump())
    run(session, INSERT_LINES, [{**line.model_dump(), "order_id": order.id} for line in order.lines])


def order_created(order: Order, email: str) -> events.OrderCreated:
    message = order_message(order)
    return events.OrderCreated(
        order_id=order.id,
        user_id=order.user_id,
        user_email=email,
        items=message.items,
        total=message.total,
        created_at=message.created_at,
        shipping_address=message.shipping_address,
    )


def create_order(request: pb.CreateOrderRequest) -> pb.CreateOrderResponse:
    check_uuid(request.user_id, "userId")
    quantities = merged_lines(request.items)
    address = shipping_address(request)
    key = request.idempotency_key.strip() or None
    if key and len(key) > 200:
        raise invalid("Idempotency-Key is longer than 200 characters")
    digest = request_hash(quantities, address)
    if key:
        with unit_of_work(SERVICE) as session:
            existing = find_by_key(session, request.user_id, key)
        if existing:
            return replay(existing, digest)
    order = priced_order(request, quantities, address)
    order.idempotency_key, order.request_hash = key, digest
    try:
        with unit_of_work(SERVICE) as session:
            store_order(session, order)  # the order and its lines first, then the event that reports them
            add_event(
                session,
                topic=TOPIC,
                key=order.id,
                subject=order.id,
                source=SOURCE,
                event=order_created(order, request.user_email),
            )
    except IntegrityError:
        if key:  # a concurrent request with the same key won the race
            with unit_of_work(SERVICE) as session:
                existing = find_by_key(session, request.user_id, key)
            if existing:
                return replay(existing, digest)
        raise
    return pb.CreateOrderResponse(order=order_message(order), created=True)


# A page's cursor: the last order's creation time (microseconds since 1970, UTC) and its id.
CURSOR = re.compile(r"^([0-9]{1,17})_([0-9a-f-]{36})$")  # the OpenAPI document's pattern of `cursor`
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def encode_cursor(order: Order) -> str:
    created_at = order.created_at
    if created_at.tzinfo is None:  # SQLite hands back naive UTC
        created_at = created_at.replace(tzinfo=UTC)
    return f"{(created_at - EPOCH) // timedelta(microseconds=1)}_{order.id}"


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """Any cursor of the documented shape is a position in the history; another shape is a 400."""
    found = CURSOR.search(cursor)  # as JSON Schema reads the pattern
    if not found:
        raise invalid("cursor is not one this API gave out")
    return EPOCH + timedelta(microseconds=int(found[1])), found[2]


def list_orders(request: pb.ListOrdersRequest) -> pb.ListOrdersResponse:
    check_uuid(request.user_id, "userId")
    limit = request.limit or DEFAULT_PAGE
    if not 1 <= limit <= MAX_PAGE:
        raise invalid(f"limit must be 1 to {MAX_PAGE}")
    query = select(Order).where(Order.user_id == request.user_id)
    if request.cursor:
        created_at, order_id = decode_cursor(request.cursor)
        # A row comparison, which the index (user_id, created_at, id) answers by seeking to the
        # cursor: an OR of the two conditions is a filter that reads every newer order first.
        query = query.where(tuple_(col(Order.created_at), col(Order.id)) < tuple_(created_at, order_id))
    query = query.order_by(col(Order.created_at).desc(), col(Order.id).desc()).limit(limit + 1)
    with unit_of_work(SERVICE) as session:
        orders = session.exec(query).all()
    page = orders[:limit]
    next_cursor = encode_cursor(page[-1]) if len(orders) > limit else ""
    return pb.ListOrdersResponse(orders=[order_message(o) for o in page], next_cursor=next_cursor)


def trace_id(traceparent: str | None) -> str:
    """The trace id of a W3C traceparent (version-traceid-spanid-flags); empty without one."""
    parts = (traceparent or "").split("-")
    return parts[1] if len(parts) == 4 and len(parts[1]) == 32 else ""


def journey(session: Session, order: Order) -> pb.OrderJourney:
    """How far the order's OrderCreated got, from its outbox row (by the indexed subject)."""
    message = pb.OrderJourney()
    if order.shipped_at:
        message.shipped_at.CopyFrom(timestamp(order.shipped_at))
    row = session.exec(
        select(OutboxEvent).where(
            OutboxEvent.subject == order.id, OutboxEvent.type == events.OrderCreated.DESCRIPTOR.full_name
        )
    ).first()
    if row is None:  # pruned after its retention
        return message
    message.order_created.CopyFrom(EventKey(source=row.source, id=row.id))
    if row.published_at:
        message.event_published_at.CopyFrom(timestamp(row.published_at))
    message.trace_id = trace_id(row.traceparent)
    return message


def get_order(request: pb.GetOrderRequest) -> pb.GetOrderResponse:
    with unit_of_work(SERVICE) as session:
        order = session.get(Order, request.order_id)
        if order is None or order.user_id != request.user_id:  # another user's order does not exist for you
            raise Problem(Code.NOT_FOUND, f"order {request.order_id} not found")
        reply = pb.GetOrderResponse(order=order_message(order))
        if request.with_journey:
            reply.journey.CopyFrom(journey(session, order))
    return reply


def mark_shipped(event: shipping_events.ShipmentCreated, session: Session) -> None:
    """ShipmentCreated → the order is SHIPPED, with its tracking id; OrderStatusChanged says so."""
    found = run(session, SHIPPING_STATE, {"id": event.order_id}).first()
    if found is None:  # 404 is retried: the order may not be visible yet
        raise Problem(Code.NOT_FOUND, f"order {event.order_id} not found")
    if found.status == OrderStatus.SHIPPED and found.tracking_id == event.tracking_id:
        return  # nothing changed, so nothing to tell
    shipped = {"status": OrderStatus.SHIPPED.value, "tracking_id": event.tracking_id}
    shipped_at = found.shipped_at or utcnow()
    run(session, MARK_SHIPPED, {"order_id": event.order_id, **shipped, "shipped_at": shipped_at})
    change = events.OrderStatusChanged(
        order_id=event.order_id,
        user_id=found.user_id,
        status=OrderStatus.SHIPPED.to_proto(),
        tracking_id=event.tracking_id,
        changed_at=timestamp(datetime.now(UTC)),
    )
    key = event.order_id
    add_event(session, topic=STATUS_TOPIC, key=key, subject=key, source=SOURCE, event=change)


ORDERS = Order.__table__  # type: ignore[attr-defined]
# mark_shipped's statements, built once (kit.database.run: no ORM on the event's hot path)
SHIPPING_STATE = select(ORDERS.c.status, ORDERS.c.tracking_id, ORDERS.c.user_id, ORDERS.c.shipped_at).where(
    ORDERS.c.id == bindparam("id")
)
MARK_SHIPPED = update(ORDERS).where(ORDERS.c.id == bindparam("order_id"))  # SET: the other params
