"""Request and response helpers of the REST API: JSON bodies, problems, the session user."""

import json
from dataclasses import dataclass
from typing import Any

import flask

from kit import tokens
from kit.errors import PROBLEM_JSON, Code, Problem, invalid
from kit.settings import get_settings


@dataclass(frozen=True)
class User:
    id: str
    email: str

    @property
    def is_admin(self) -> bool:
        return self.email in get_settings().admin_emails


def json_response(body: Any, status: int = 200) -> flask.Response:
    return flask.Response(json.dumps(body), status=status, mimetype="application/json")


def problem_response(problem: Problem) -> flask.Response:
    return flask.Response(problem.to_json(), status=problem.status, mimetype=PROBLEM_JSON)


def json_body(request: flask.Request, **fields: type) -> dict[str, Any]:
    """The request's JSON object, with each named field present and of its type (else 400)."""
    if request.mimetype != "application/json":
        raise invalid("send the body as application/json")
    try:
        body = json.loads(request.get_data() or b"")
    except ValueError as error:
        raise invalid(f"body is not valid JSON: {error}") from None
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
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.cookies.get(get_settings().session_cookie) or None


def current_user(request: flask.Request) -> User:
    """The signed-in user, verified locally with the public key (no call per request)."""
    token = session_token(request)
    if token is None:
        raise Problem(Code.UNAUTHENTICATED, "sign in first: no session cookie or Bearer token")
    claims = tokens.verify(token)
    return User(id=claims.user_id, email=claims.email)


def admin_user(request: flask.Request) -> User:
    user = current_user(request)
    if not user.is_admin:
        raise Problem(Code.PERMISSION_DENIED, "this needs an administrator")
    return user
