"""Who is calling, and may they: the access rules both edges (the BFF and grpc-api) apply.

    caller = signed_in(token)        # UNAUTHENTICATED without a valid token
    require_admin(caller)            # PERMISSION_DENIED unless an administrator

A caller is whoever the session token (an EdDSA JWT, kit.tokens) says; administrators are the
emails in Settings.admin_emails.
"""

from dataclasses import dataclass

from mystore_kit import tokens
from mystore_kit.errors import Code, Problem
from mystore_kit.settings import get_settings


@dataclass(frozen=True)
class Caller:
    id: str
    email: str

    @property
    def is_admin(self) -> bool:
        return self.email.casefold() in get_settings().admin_emails


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` value, or None."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def signed_in(token: str | None, *, how: str = "send `Authorization: Bearer <token>`") -> Caller:
    """The caller the token names, verified locally with the public key."""
    if token is None:
        raise Problem(Code.UNAUTHENTICATED, f"sign in first: {how}")
    claims = tokens.verify(token)
    return Caller(id=claims.user_id, email=claims.email)


def require_admin(caller: Caller) -> Caller:
    if not caller.is_admin:
        raise Problem(Code.PERMISSION_DENIED, "this needs an administrator")
    return caller
