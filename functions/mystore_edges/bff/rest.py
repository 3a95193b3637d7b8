"""Request and response helpers of the REST API: JSON bodies, problems, the session user."""

import json
from typing import Any

import flask

from mystore_kit.access import Caller, bearer_token, require_admin, signed_in
from mystore_kit.errors import PROBLEM_JSON, Problem, invalid
from mystore_kit.inputs import parse_json, read_body
from mystore_kit.settings import get_settings


def money_json(money) -> dict[str, Any]:  # noqa: ANN001 - mystore.common.v1.Money
    return {"amountMinor": int(money.amount_minor), "currency": money.currency}


def json_response(body: Any, status: int = 200) -> flask.Response:
    return flask.Response(json.dumps(body), status=status, mimetype="application/json")


def problem_response(problem: Problem) -> flask.Response:
    return flask.Response(
        problem.to_json(), status=problem.status, mimetype=PROBLEM_JSON, headers=problem.headers
    )


def json_body(request: flask.Request, **fields: type) -> dict[str, Any]:
    """The request's JSON object, with each named field present and of its type (else 400)."""
    if request.mimetype != "application/json":
        raise invalid("send the body as application/json")
    body = parse_json(read_body(request), what="body")
    if not isinstance(body, dict):
        raise invalid("body must be a JSON object")
    for name, kind in fields.items():
        if name not in body:
            raise invalid(f"field {name!r} is required")
        if not isinstance(body[name], kind) or isinstance(body[name], bool) and kind is not bool:
            raise invalid(f"field {name!r} must be a {_KIND_NAMES.get(kind, kind.__name__)}")
    return body


_KIND_NAMES = {str: "string", int: "integer", list: "list", dict: "object", bool: "boolean"}


def session_token(request: flask.Request) -> str | None:
    """The token from `Authorization: Bearer ...`, else from the session cookie."""
    token = bearer_token(request.headers.get("Authorization"))
    return token or request.cookies.get(get_settings().session_cookie) or None


def current_user(request: flask.Request) -> Caller:
    """The signed-in user, verified locally with the public key (no call per request)."""
    return signed_in(session_token(request), how="no session cookie or Bearer token")


def admin_user(request: flask.Request) -> Caller:
    return require_admin(current_user(request))
