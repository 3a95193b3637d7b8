"""The BFF's router: REST endpoints under /api, health probes, and the storefront's files."""

import json
import time
from functools import cache
from pathlib import Path

import flask
import yaml
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

from mystore_edges.bff import analytics, auth, catalog, journey, live_status, orders
from mystore_edges.bff.rest import json_response, problem_response
from mystore_kit import logs, metrics, tokens, tracing
from mystore_kit.errors import Code, Problem, problem_from
from mystore_kit.settings import get_settings

OPENAPI = Path(__file__).with_name("openapi.yaml")


def healthz(request: flask.Request) -> flask.Response:
    return json_response({"status": "ok"})


def readyz(request: flask.Request) -> flask.Response:
    try:
        tokens.public_key()
    except (OSError, ValueError):
        raise Problem(Code.UNAVAILABLE, "the JWT public key is not configured") from None
    return json_response({"status": "ready"})


@cache
def openapi_document() -> str:
    return json.dumps(yaml.safe_load(OPENAPI.read_text()))


def openapi(request: flask.Request) -> flask.Response:
    return flask.Response(openapi_document(), mimetype="application/json")


ROUTES = Map(
    [
        Rule("/healthz", methods=["GET"], endpoint=healthz),
        Rule("/readyz", methods=["GET"], endpoint=readyz),
        Rule("/api/openapi.json", methods=["GET"], endpoint=openapi),
        Rule("/api/auth/register", methods=["POST"], endpoint=auth.register),
        Rule("/api/auth/login", methods=["POST"], endpoint=auth.login),
        Rule("/api/auth/logout", methods=["POST"], endpoint=auth.logout),
        Rule("/api/me", methods=["GET"], endpoint=auth.me),
        Rule("/api/products", methods=["GET"], endpoint=catalog.list_products),
        Rule("/api/orders", methods=["POST"], endpoint=orders.create_order),
        Rule("/api/orders", methods=["GET"], endpoint=orders.list_orders),
        Rule("/api/orders/<order_id>", methods=["GET"], endpoint=orders.get_order),
        Rule("/api/orders/<order_id>/events", methods=["GET"], endpoint=live_status.order_events),
        Rule("/api/orders/<order_id>/journey", methods=["GET"], endpoint=journey.order_journey),
        Rule("/api/analytics/summary", methods=["GET"], endpoint=analytics.summary),
    ],
    strict_slashes=False,
)


def handle(request: flask.Request) -> flask.Response:
    """Routes one request, traced and counted (GET /metrics shows the counts)."""
    if metrics.is_scrape(request):
        return metrics.response()
    started = time.perf_counter()
    parent = None
    if tracing.enabled():
        parent = {
            "traceparent": request.headers.get("traceparent", ""),
            "tracestate": request.headers.get("tracestate", ""),
        }
    token = logs.bind_order(None)
    try:
        with tracing.span(request.method, kind="server", parent=parent):
            response = route(request)
            tracing.answered(response.status_code)
    finally:
        logs.unbind(token)
    metrics.observe("bff", response.status_code, started)
    return response


def route(request: flask.Request) -> flask.Response:
    """Routes one request; every failure becomes problem+json."""
    origin = request.headers.get("Origin")
    if request.method == "OPTIONS" and origin:
        return with_cors(flask.Response(status=204), origin, preflight=True)
    try:
        rule, arguments = ROUTES.bind_to_environ(request.environ).match(return_rule=True)
        endpoint = rule.endpoint
        tracing.rename(f"{request.method} {rule.rule}")
        if "order_id" in arguments:
            logs.bind_order(arguments["order_id"])
            tracing.annotate({"mystore.order_id": arguments["order_id"]})
        response = endpoint(request, **arguments)
    except NotFound:
        response = storefront(request)
    except MethodNotAllowed as error:
        response = problem_response(
            Problem(Code.INVALID_ARGUMENT, f"{request.method} is not allowed here", status=405)
        )
        response.headers["Allow"] = ", ".join(error.valid_methods or [])
    except Exception as error:  # noqa: BLE001 - every failure becomes a problem response
        response = problem_response(problem_from(error))
    return with_cors(response, origin) if origin else response


def with_cors(response: flask.Response, origin: str, *, preflight: bool = False) -> flask.Response:
    """CORS only for the Vite dev server's origins; production is one origin and needs none."""
    if origin not in get_settings().cors_origins:
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Allow-Credentials"] = "true"
    response.headers["Vary"] = "Origin"
    if preflight:
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Authorization, Idempotency-Key"
        response.headers["Access-Control-Max-Age"] = "600"
    return response


def storefront(request: flask.Request) -> flask.Response:
    """The built storefront; unknown paths outside /api get index.html (client-side routes)."""
    if request.path.startswith("/api/") or request.method not in ("GET", "HEAD"):
        return problem_response(Problem(Code.NOT_FOUND, f"no such endpoint: {request.method} {request.path}"))
    static_dir = get_settings().static_dir
    if not (static_dir / "index.html").is_file():
        return problem_response(
            Problem(Code.UNAVAILABLE, "the storefront is not built: run `npm run build` in frontend/")
        )
    relative = request.path.lstrip("/")
    if relative and (static_dir / relative).is_file():
        response = flask.send_from_directory(static_dir, relative)
        if relative.startswith("assets/"):  # Vite's content-hashed files
            response.cache_control.public = True
            response.cache_control.max_age = 31536000
            response.cache_control.immutable = True
        return response
    response = flask.send_from_directory(static_dir, "index.html")
    response.cache_control.no_cache = True
    return response
