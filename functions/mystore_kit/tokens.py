"""Session tokens: JWTs signed with Ed25519 (EdDSA), `kid` in the header.

auth-login issues them with the private key; the BFF, auth-validate and grpc-api verify them
locally with the public key. Verification accepts only EdDSA and checks every claim.

    python -m mystore_kit.tokens --generate   writes a dev key pair under var/keys (never committed)
"""

import base64
import hashlib
import sys
import time
from dataclasses import dataclass
from functools import cache

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from mystore_kit.errors import Code, Problem
from mystore_kit.settings import get_settings

ALGORITHM = "EdDSA"
REQUIRED_CLAIMS = ["sub", "email", "iat", "exp", "iss", "aud"]


@dataclass(frozen=True)
class Claims:
    user_id: str
    email: str
    issued_at: int
    expires_at: int


def key_id(public_key: Ed25519PublicKey) -> str:
    """RFC 7638 thumbprint of the public key, so a new key gets a new `kid`."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    jwk = f'{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}'
    return base64.urlsafe_b64encode(hashlib.sha256(jwk.encode()).digest()).rstrip(b"=").decode()


def _key_dir():
    return get_settings().var_dir / "keys"


@cache
def private_key() -> Ed25519PrivateKey:
    pem = get_settings().jwt_private_key.get_secret_value()
    data = pem.encode() if pem else (_key_dir() / "jwt-private.pem").read_bytes()
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("MYSTORE_JWT_PRIVATE_KEY must be an Ed25519 key")
    return key


@cache
def public_key() -> Ed25519PublicKey:
    pem = get_settings().jwt_public_key
    data = pem.encode() if pem else (_key_dir() / "jwt-public.pem").read_bytes()
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("MYSTORE_JWT_PUBLIC_KEY must be an Ed25519 key")
    return key


def issue(*, user_id: str, email: str, now: int | None = None) -> tuple[str, int]:
    """A signed token for the user and its expiry (Unix seconds)."""
    settings = get_settings()
    issued_at = int(time.time()) if now is None else now
    expires_at = issued_at + settings.jwt_ttl_seconds
    claims = {
        "sub": user_id,
        "email": email,
        "iat": issued_at,
        "nbf": issued_at,
        "exp": expires_at,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }
    key = private_key()
    token = jwt.encode(claims, key, algorithm=ALGORITHM, headers={"kid": key_id(key.public_key())})
    return token, expires_at


def verify(token: str) -> Claims:
    """The claims of a valid token; UNAUTHENTICATED for anything else."""
    settings = get_settings()
    key = public_key()
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != ALGORITHM or header.get("kid") != key_id(key):
            raise jwt.InvalidTokenError("unknown key or algorithm")
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": REQUIRED_CLAIMS, "verify_iat": True},
        )
    except jwt.PyJWTError:
        raise Problem(Code.UNAUTHENTICATED, "invalid or expired session token") from None
    return Claims(
        user_id=str(claims["sub"]),
        email=str(claims["email"]),
        issued_at=int(claims["iat"]),
        expires_at=int(claims["exp"]),
    )


def generate_dev_keys(*, force: bool = False) -> bool:
    """Writes a new Ed25519 key pair under var/keys unless one is there. True when written."""
    directory = _key_dir()
    private_path, public_path = directory / "jwt-private.pem", directory / "jwt-public.pem"
    if private_path.exists() and public_path.exists() and not force:
        return False
    directory.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    private_path.touch(mode=0o600)
    private_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    public_path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    (directory / "README").write_text("Development keys, generated locally. Never commit them.\n")
    return True


if __name__ == "__main__":
    if sys.argv[1:] == ["--generate"]:
        written = generate_dev_keys()
        print(f"dev JWT keys {'generated' if written else 'present'} in {_key_dir()}", file=sys.stderr)
        sys.exit(0)
    print(__doc__, file=sys.stderr)
    sys.exit(2)
