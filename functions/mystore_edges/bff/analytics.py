"""/api/analytics/summary: the store's statistics, for administrators."""

import flask

from mystore.analytics.v1 import analytics_pb2 as analytics
from mystore_edges.bff.rest import admin_user, json_response, money_json
from mystore_kit.client import call


def summary(request: flask.Request) -> flask.Response:
    admin_user(request)
    summary = call("analytics-summary", analytics.GetSummaryRequest(), analytics.GetSummaryResponse)
    return json_response(
        {
            "orderCount": int(summary.order_count),
            "unitsSold": int(summary.units_sold),
            "revenue": money_json(summary.revenue),
            "topProducts": [
                {
                    "productId": p.product_id,
                    "productName": p.product_name,
                    "units": int(p.units),
                    "revenue": money_json(p.revenue),
                }
                for p in summary.top_products
            ],
            "ordersOverTime": [
                {
                    "minute": m.minute.ToDatetime().strftime("%Y-%m-%dT%H:%M:00Z"),
                    "orders": int(m.orders),
                    "revenue": money_json(m.revenue),
                }
                for m in summary.orders_over_time
            ],
        }
    )
