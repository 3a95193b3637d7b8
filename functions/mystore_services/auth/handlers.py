"""Register, log in, validate: plain functions over the auth database."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from mystore.auth.v1 import auth_pb2 as pb
from mystore_kit import tokens
from mystore_kit.database import unit_of_work
from mystore_kit.errors import Code, Problem
from mystore_kit.messages import timestamp
from mystore_services.auth import SERVICE, throttle
from mystore_services.auth.models import User
from mystore_services.auth.passwords import (
    check_email,
    check_password,
    dummy_hash,
    hash_password,
    normalise_email,
    verify_password,
)

BAD_CREDENTIALS = "email or password is wrong"


def user_message(user: User) -> pb.User:
    return pb.User(id=user.id, email=user.email, created_at=timestamp(user.created_at))


def register(request: pb.RegisterRequest) -> pb.RegisterResponse:
    email = check_email(request.email)
    check_password(request.password)
    user = User(email=email, password_hash=hash_password(request.password))  # slow: outside the transaction
    try:
        with unit_of_work(SERVICE) as session:
            session.add(user)
    except IntegrityError:
        raise Problem(Code.ALREADY_EXISTS, "an account with this email already exists") from None
    return pb.RegisterResponse(user=user_message(user))


def login(request: pb.LoginRequest) -> pb.LoginResponse:
    """Checks the password, throttled per account and per client address (auth.throttle)."""
    email, address, moment = normalise_email(request.email), request.client_address, throttle.now()
    with unit_of_work(SERVICE) as session:
        throttle.reserve(session, email=email, address=address, moment=moment)  # 429 when it must wait
        user = session.exec(select(User).where(User.email == email)).first()
    with unit_of_work(SERVICE) as session:
        throttle.prune(session, moment=moment)
    if user is None:
        verify_password(request.password, dummy_hash())  # the same work as for a wrong password
        raise Problem(Code.UNAUTHENTICATED, BAD_CREDENTIALS)
    if not verify_password(request.password, user.password_hash):
        raise Problem(Code.UNAUTHENTICATED, BAD_CREDENTIALS)
    with unit_of_work(SERVICE) as session:
        throttle.succeeded(session, email=email, address=address)
    token, expires_at = tokens.issue(user_id=user.id, email=user.email)
    return pb.LoginResponse(token=token, expires_at=timestamp(expires_at), user=user_message(user))


def validate(request: pb.ValidateRequest) -> pb.ValidateResponse:
    claims = tokens.verify(request.token)
    with unit_of_work(SERVICE) as session:
        user = session.get(User, claims.user_id)
    if user is None:
        raise Problem(Code.UNAUTHENTICATED, "the account of this token no longer exists")
    return pb.ValidateResponse(user=user_message(user), expires_at=timestamp(claims.expires_at))
