"""analytics-summary: store statistics for the dashboard.

Consumes mystore.analytics.v1.GetSummaryRequest, replies GetSummaryResponse.
"""

from analytics import handlers
from kit.cloudevent import rpc

main = rpc(handlers.get_summary)
