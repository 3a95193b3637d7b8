import logging
import threading
import uuid

import pytest
from sqlalchemy import inspect, text

from mystore.analytics.v1 import analytics_pb2 as pb
from mystore_kit.database import engine_for
from mystore_services.analytics.handlers import get_summary
from tests.addresses import ADDRESS
from tests.events import order_created
from tests.support import MODES, post_event


def deliver(data, event_id=None):
    return post_event(
        "analytics-on-order-created",
        type="mystore.order.v1.OrderCreated",
        data=data,
        **({"id": event_id} if event_id else {}),
    )


def test_each_event_is_counted_once(database_url):
    first, second = order_created(quantity=2), order_created(quantity=3)
    first_id = str(uuid.uuid4())
    deliver(first, first_id)
    deliver(first, first_id)
    deliver(second)
    summary = get_summary(pb.GetSummaryRequest())
    assert summary.order_count == 2 and summary.units_sold == 5
    assert summary.revenue.amount_minor == 5 * 2490
    (product,) = summary.top_products
    assert (product.units, product.revenue.amount_minor) == (5, 5 * 2490)
    assert sum(m.orders for m in summary.orders_over_time) == 2


def test_analytics_keeps_and_logs_nothing_of_the_shipping_address(database_url, caplog):
    """OrderCreated carries the address for shipping; analytics ignores that field."""
    caplog.set_level(logging.DEBUG)
    assert deliver(order_created()).status_code == 200
    engine = engine_for("analytics")
    with engine.connect() as connection:
        rows = [
            row
            for table in inspect(connection).get_table_names()
            for row in connection.execute(text(f'SELECT * FROM "{table}"')).all()
        ]
    assert rows, "the order was counted"
    kept = repr(rows) + "\n".join(r.getMessage() for r in caplog.records)
    for field in ("recipientName", "line1", "line2", "city", "postalCode", "phone"):
        assert ADDRESS[field] not in kept, field


def test_concurrent_deliveries_of_distinct_events_all_count(database_url, functions_in_process):
    events = [order_created(quantity=1) for _ in range(12)]
    threads = [threading.Thread(target=deliver, args=(event,)) for event in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    summary = get_summary(pb.GetSummaryRequest())
    assert summary.order_count == 12 and summary.units_sold == 12


@pytest.mark.parametrize("mode", MODES)
def test_the_summary_function_answers_a_cloudevent(database_url, mode):
    deliver(order_created())
    response = post_event(
        "analytics-summary", type="mystore.analytics.v1.GetSummaryRequest", data={}, mode=mode
    )
    assert response.status_code == 200
    assert response.get_json()["orderCount"] == "1"  # int64 is a string in proto3 JSON
