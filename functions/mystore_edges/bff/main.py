"""bff: the storefront's REST API under /api (calls the RPC functions) and the storefront at /.

Consumes HTTP from browsers, and mystore.order.v1.OrderStatusChanged (KafkaSource bff-on-order-status
on topic order-status, POST /) for the live status streams; calls auth-*, catalog-list, order-*,
shipping-get, notification-get, analytics-summary, analytics-order-get; emits nothing.
"""

import flask
import functions_framework
from werkzeug.exceptions import HTTPException, NotFound

from mystore_edges.bff.app import handle
from mystore_edges.bff.rest import problem_response
from mystore_kit.errors import Code, Problem

main = handle


@functions_framework.errorhandler(HTTPException)
def framework_error(error: HTTPException) -> flask.Response:
    """What functions-framework's Flask answers before `main` runs (a path its routes do not match,
    such as one with a line break, or its own /robots.txt and /favicon.ico): the router's answer."""
    if isinstance(error, NotFound):
        return handle(flask.request)
    code = Code.INVALID_ARGUMENT if (error.code or 500) < 500 else Code.INTERNAL
    return problem_response(Problem(code, error.description or error.name, status=error.code))
