"""analytics-summary: store statistics for the dashboard.

Consumes mystore.analytics.v1.GetSummaryRequest, replies GetSummaryResponse.
"""

from mystore_kit.cloudevent import rpc
from mystore_services.analytics import handlers

main = rpc(handlers.get_summary)
