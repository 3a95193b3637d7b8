"""Errors as RFC 9457 problem details with a stable gRPC-style `code`.

A handler raises `Problem(Code.NOT_FOUND, "order not found")`; the adapters turn it into an
`application/problem+json` response with the matching HTTP status. 4xx means "do not retry",
5xx only faults a retry can cure.
"""

import json
import logging
from collections.abc import Mapping
from enum import Enum
from http import HTTPStatus
from typing import Any

PROBLEM_JSON = "application/problem+json"
PASSED_ON = ("Retry-After",)  # headers of a function's problem that its callers answer with too
_log = logging.getLogger("mystore.errors")
STANDARD_MEMBERS = frozenset({"type", "title", "status", "detail", "instance", "code"})


class Code(Enum):
    """gRPC status codes with the HTTP status each one maps to (google.rpc.Code's mapping)."""

    INVALID_ARGUMENT = 400
    FAILED_PRECONDITION = 400
    OUT_OF_RANGE = 400
    UNAUTHENTICATED = 401
    PERMISSION_DENIED = 403
    NOT_FOUND = 404
    ALREADY_EXISTS = 409
    ABORTED = 409
    RESOURCE_EXHAUSTED = 429
    CANCELLED = 499
    INTERNAL = 500
    UNKNOWN = 500
    DATA_LOSS = 500
    UNIMPLEMENTED = 501
    UNAVAILABLE = 503
    DEADLINE_EXCEEDED = 504

    def __new__(cls, status: int) -> "Code":
        member = object.__new__(cls)
        member._value_ = object()  # several codes share a status: keep members distinct
        member.status = status
        return member


class Problem(Exception):
    """A failure the caller should see, with the code that says whose fault it is."""

    def __init__(
        self,
        code: Code,
        detail: str,
        *,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.status = status or code.status  # an HTTP status more precise than the code's, e.g. 405
        self.headers = headers or {}  # HTTP headers of the answer, e.g. Retry-After (see PASSED_ON)
        self.extensions = extensions

    def to_dict(self) -> dict[str, Any]:
        try:
            title = HTTPStatus(self.status).phrase
        except ValueError:
            title = self.code.name.replace("_", " ").capitalize()
        return {
            "type": "about:blank",
            "title": title,
            "status": self.status,
            "detail": self.detail,
            "code": self.code.name,
            **self.extensions,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(
        cls, body: dict[str, Any], *, status: int, headers: Mapping[str, str] | None = None
    ) -> "Problem":
        """Rebuilds a problem another function answered with (unknown codes become UNKNOWN): its
        extension members, such as `field`, are kept, and so are the headers of its answer that a
        caller passes on (PASSED_ON)."""
        code = Code.__members__.get(str(body.get("code")), None)
        if code is None:
            code = Code.UNAVAILABLE if status >= 500 else Code.UNKNOWN
        extensions = {name: value for name, value in body.items() if name not in STANDARD_MEMBERS}
        passed_on = {name: headers[name] for name in PASSED_ON if headers and name in headers}
        detail = str(body.get("detail") or body.get("title") or "error")
        return cls(code, detail, status=status, headers=passed_on, **extensions)


def invalid(detail: str) -> Problem:
    return Problem(Code.INVALID_ARGUMENT, detail)


def internal_error() -> Problem:
    """What a caller sees of an unexpected exception: nothing of its internals."""
    return Problem(Code.INTERNAL, "internal error; it has been logged")


def problem_from(error: BaseException) -> Problem:
    """The problem to answer for any exception; unexpected ones are logged, never shown."""
    if isinstance(error, Problem):
        return error
    from sqlalchemy.exc import DataError, OperationalError

    if isinstance(error, OperationalError):  # a database that is down or busy: a retry may cure it
        _log.warning("database unavailable: %s", error.orig)
        return Problem(Code.UNAVAILABLE, "database unavailable, try again")
    if isinstance(error, DataError):  # a value the database cannot store: no retry cures it
        _log.warning("value refused by the database: %s", error.orig)
        return invalid("a value is too long or of the wrong form to be stored")
    _log.exception("unexpected error", exc_info=error)
    return internal_error()
