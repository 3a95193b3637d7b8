"""AnalyticsService over gRPC: the dashboard's summary, for administrators (Settings.admin_emails)."""

import grpc

from mystore.analytics.v1 import analytics_pb2 as pb
from tests.edges.grpc_api.calls import failure
from tests.events import order_created
from tests.support import post_event


def test_an_administrator_gets_the_summary(api, admin):
    empty = api.analytics.GetSummary(pb.GetSummaryRequest(), metadata=admin.auth)
    assert (empty.order_count, empty.units_sold, empty.revenue.amount_minor) == (0, 0, 0)
    counted = post_event(
        "analytics-on-order-created",
        type="mystore.order.v1.OrderCreated",
        data=order_created(quantity=3, unit=1000),
    )
    assert counted.status_code < 300, counted.get_data()
    summary = api.analytics.GetSummary(pb.GetSummaryRequest(), metadata=admin.auth)
    assert (summary.order_count, summary.units_sold) == (1, 3)
    assert (summary.revenue.amount_minor, summary.revenue.currency) == (3000, "EUR")
    assert [p.units for p in summary.top_products] == [3] and len(summary.orders_over_time) == 1


def test_the_summary_is_for_administrators_only(api, user):
    error = failure(api.analytics.GetSummary, pb.GetSummaryRequest(), metadata=user.auth)
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    assert error.details() == "this needs an administrator"
    error = failure(api.analytics.GetSummary, pb.GetSummaryRequest())
    assert error.code() == grpc.StatusCode.UNAUTHENTICATED
