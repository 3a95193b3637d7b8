"""Counting orders (once per event) and summarising them for the dashboard."""

from datetime import UTC
from typing import Any

from sqlmodel import Session, col, select

from mystore.analytics.v1 import analytics_pb2 as pb
from mystore.common.v1.money_pb2 import Money
from mystore.order.v1 import events_pb2 as events
from mystore_kit.database import prebuilt, run, unit_of_work
from mystore_kit.errors import Code, Problem, invalid
from mystore_kit.events import inbox
from mystore_kit.messages import timestamp
from mystore_services.analytics import SERVICE
from mystore_services.analytics.models import TOTALS_ID, MinuteStats, ProductStats, StoreTotals

TOP_PRODUCTS = 10
MINUTES_SHOWN = 120


def add_to(session: Session, model: type, key: dict, values: dict, increments: dict) -> None:
    """INSERT the row, or add `increments` to the one there (one statement, safe under concurrency)."""
    table = model.__table__  # type: ignore[attr-defined]

    def build(dialect: Any) -> Any:
        statement = dialect.insert(table)
        return statement.on_conflict_do_update(
            index_elements=list(key),
            set_={name: table.c[name] + statement.excluded[name] for name in increments},
        )

    statement = prebuilt(session, f"add_to {table.name} {sorted(key)} {sorted(increments)}", build)
    run(session, statement, {**key, **values, **increments})


def count_order(event: events.OrderCreated, session: Session) -> None:
    """OrderCreated → one more order in its minute, and its units and revenue per product.

    The event's shipping address is personal data analytics has no use for: it reads no field of
    it, and stores and logs nothing of it.
    """
    currency = event.total.currency
    minute = event.created_at.ToDatetime(tzinfo=UTC).replace(second=0, microsecond=0)
    add_to(  # first: every transaction takes this one row, so the product rows never deadlock
        session,
        StoreTotals,
        {"id": TOTALS_ID},
        {"currency": currency},
        {
            "orders": 1,
            "units": sum(item.quantity for item in event.items),
            "revenue_minor": event.total.amount_minor,
        },
    )
    add_to(
        session,
        MinuteStats,
        {"minute": minute},
        {"currency": currency},
        {"orders": 1, "revenue_minor": event.total.amount_minor},
    )
    for item in event.items:
        add_to(
            session,
            ProductStats,
            {"product_id": item.product_id},
            {"product_name": item.product_name, "currency": currency},
            {"units": item.quantity, "revenue_minor": item.line_total.amount_minor},
        )


def get_summary(request: pb.GetSummaryRequest) -> pb.GetSummaryResponse:
    """The totals (one row), the top products and the last MINUTES_SHOWN minutes: what it reads does
    not grow with the number of orders or minutes stored."""
    with unit_of_work(SERVICE) as session:
        totals = session.get(StoreTotals, TOTALS_ID) or StoreTotals(
            id=TOTALS_ID, orders=0, units=0, revenue_minor=0, currency="EUR"
        )
        top = session.exec(
            select(ProductStats)
            .order_by(col(ProductStats.units).desc(), col(ProductStats.product_id))
            .limit(TOP_PRODUCTS)
        ).all()
        minutes = session.exec(
            select(MinuteStats).order_by(col(MinuteStats.minute).desc()).limit(MINUTES_SHOWN)
        ).all()
    return pb.GetSummaryResponse(
        order_count=totals.orders,
        units_sold=totals.units,
        revenue=Money(amount_minor=totals.revenue_minor, currency=totals.currency),
        top_products=[
            pb.ProductStats(
                product_id=p.product_id,
                product_name=p.product_name,
                units=p.units,
                revenue=Money(amount_minor=p.revenue_minor, currency=p.currency),
            )
            for p in top
        ],
        orders_over_time=[
            pb.MinuteStats(
                minute=timestamp(m.minute),
                orders=m.orders,
                revenue=Money(amount_minor=m.revenue_minor, currency=m.currency),
            )
            for m in reversed(minutes)
        ],
    )


def get_order_counted(request: pb.GetOrderCountedRequest) -> pb.GetOrderCountedResponse:
    """When analytics counted the order's OrderCreated event, from its inbox (NOT_FOUND until then)."""
    key = request.order_created
    if not (key.source and key.id):
        raise invalid("orderCreated needs the event's source and id")
    with unit_of_work(SERVICE) as session:
        counted = session.get(inbox.ProcessedEvent, (key.source, key.id))
    if counted is None:
        raise Problem(Code.NOT_FOUND, f"event {key.id!r} from {key.source!r} not counted")
    return pb.GetOrderCountedResponse(counted_at=timestamp(counted.processed_at))
