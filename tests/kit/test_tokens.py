import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mystore_kit import tokens
from mystore_kit.errors import Problem

USER = "7f1c9a52-1111-4222-8333-944455556666"


def claims(**changes):
    now = int(time.time())
    base = {
        "sub": USER,
        "email": "a@example.com",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "iss": "my-store",
        "aud": "my-store",
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


def signed(payload, *, key=None, headers=None):
    key = key or tokens.private_key()
    kid = tokens.key_id(key.public_key())
    return jwt.encode(payload, key, algorithm="EdDSA", headers={"kid": kid, **(headers or {})})


def assert_rejected(token):
    with pytest.raises(Problem) as caught:
        tokens.verify(token)
    assert caught.value.status == 401


def test_an_issued_token_verifies_with_its_claims():
    token, expires_at = tokens.issue(user_id=USER, email="a@example.com")
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["kid"] == tokens.key_id(tokens.public_key())
    verified = tokens.verify(token)
    assert (verified.user_id, verified.email, verified.expires_at) == (USER, "a@example.com", expires_at)


def test_expired():
    assert_rejected(
        signed(claims(iat=int(time.time()) - 7200, nbf=int(time.time()) - 7200, exp=int(time.time()) - 3600))
    )


def test_not_yet_valid():
    later = int(time.time()) + 3600
    assert_rejected(signed(claims(nbf=later, iat=later, exp=later + 600)))


def test_wrong_audience():
    assert_rejected(signed(claims(aud="someone-else")))


def test_wrong_issuer():
    assert_rejected(signed(claims(iss="evil")))


@pytest.mark.parametrize("missing", ["sub", "exp", "iat", "iss", "aud", "email"])
def test_missing_claim(missing):
    assert_rejected(signed(claims(**{missing: None})))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_alg_none():
    header = {"alg": "none", "typ": "JWT", "kid": tokens.key_id(tokens.public_key())}
    token = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims()).encode())}."
    assert_rejected(token)


def test_hs256_signed_with_the_public_key_as_secret():
    public_pem = tokens.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": tokens.key_id(tokens.public_key())}
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims()).encode())}"
    import hashlib
    import hmac

    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    assert_rejected(f"{signing_input}.{b64(signature)}")


def test_tampered_payload():
    token = signed(claims())
    header, _, signature = token.split(".")
    forged = b64(json.dumps(claims(sub="00000000-0000-4000-8000-000000000000")).encode())
    assert_rejected(f"{header}.{forged}.{signature}")


def test_unknown_kid():
    assert_rejected(signed(claims(), headers={"kid": "somebody-elses-key"}))


def test_signed_by_another_key_with_our_kid():
    other = Ed25519PrivateKey.generate()
    token = jwt.encode(
        claims(), other, algorithm="EdDSA", headers={"kid": tokens.key_id(tokens.public_key())}
    )
    assert_rejected(token)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "Bearer x"])
def test_garbage(garbage):
    assert_rejected(garbage)
