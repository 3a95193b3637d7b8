"""/api/auth/* and /api/me.

Register and login hash or check a password (bcrypt, hundreds of milliseconds in auth) while a BFF
thread waits: at most Settings.bff_password_requests of them are in flight per BFF process, more
are answered 503 with Retry-After, so that a login storm cannot take every thread the rest of the
API (the order path) needs.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import flask
from google.protobuf.json_format import MessageToDict

from mystore.auth.v1 import auth_pb2 as pb
from mystore_edges.bff.rest import current_user, json_body, json_response
from mystore_kit.access import Caller
from mystore_kit.client import call
from mystore_kit.client_address import client_address
from mystore_kit.errors import Code, Problem
from mystore_kit.settings import get_settings

BUSY = "too many sign-ins at once: try again in a second"


@cache
def password_slots() -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(get_settings().bff_password_requests)


@contextmanager
def password_slot() -> Iterator[None]:
    """One of the BFF's password requests in flight, or 503 UNAVAILABLE when all are taken."""
    slots = password_slots()
    if not slots.acquire(blocking=False):
        raise Problem(Code.UNAVAILABLE, BUSY, status=503, headers={"Retry-After": "1"})
    try:
        yield
    finally:
        slots.release()


def user_json(user: pb.User) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "isAdmin": Caller(id=user.id, email=user.email).is_admin,
        "createdAt": MessageToDict(user)["createdAt"],
    }


def register(request: flask.Request) -> flask.Response:
    body = json_body(request, email=str, password=str)
    with password_slot():
        reply = call(
            "auth-register",
            pb.RegisterRequest(email=body["email"], password=body["password"]),
            pb.RegisterResponse,
        )
    return json_response(user_json(reply.user), status=201)


def login(request: flask.Request) -> flask.Response:
    """Signs in; auth-login throttles failures per account and per the client's address (429)."""
    body = json_body(request, email=str, password=str)
    address = client_address(
        peer=request.remote_addr, forwarded_for=", ".join(request.headers.getlist("X-Forwarded-For"))
    )
    with password_slot():
        reply = call(
            "auth-login",
            pb.LoginRequest(email=body["email"], password=body["password"], client_address=address),
            pb.LoginResponse,
        )
    expires_at = reply.expires_at.ToDatetime()
    response = json_response(
        {"token": reply.token, "expiresAt": MessageToDict(reply)["expiresAt"], "user": user_json(reply.user)}
    )
    settings = get_settings()
    response.set_cookie(
        settings.session_cookie,
        reply.token,
        max_age=settings.jwt_ttl_seconds,
        expires=expires_at,
        path="/",
        httponly=True,
        secure=settings.cookie_secure,
        samesite="Lax",
    )
    return response


def logout(request: flask.Request) -> flask.Response:
    current_user(request)
    response = flask.Response(status=204)
    settings = get_settings()
    response.delete_cookie(
        settings.session_cookie, path="/", httponly=True, secure=settings.cookie_secure, samesite="Lax"
    )
    return response


def me(request: flask.Request) -> flask.Response:
    user = current_user(request)
    return json_response({"id": user.id, "email": user.email, "isAdmin": user.is_admin})
