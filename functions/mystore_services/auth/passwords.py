"""Password rules and bcrypt hashing."""

import bcrypt

from mystore_kit.errors import invalid
from mystore_kit.settings import get_settings

MIN_CHARACTERS = 8
MAX_BYTES = 72  # bcrypt ignores everything past 72 bytes: refuse rather than truncate silently


def normalise_email(email: str) -> str:
    """The one spelling an address is stored and looked up by."""
    return email.strip().casefold()


def check_email(email: str) -> str:
    email = normalise_email(email)
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain.strip(".")) or len(email) > 320 or " " in email:
        raise invalid("email must be an address like name@example.com")
    return email


def check_password(password: str) -> None:
    if len(password) < MIN_CHARACTERS:
        raise invalid(f"password must have at least {MIN_CHARACTERS} characters")
    if len(password.encode("utf-8")) > MAX_BYTES:
        raise invalid(f"password must be at most {MAX_BYTES} bytes in UTF-8 (bcrypt's limit)")


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(get_settings().bcrypt_cost)).decode()


def verify_password(password: str, password_hash: str) -> bool:
    data = password.encode("utf-8")
    if len(data) > MAX_BYTES:
        return False
    return bcrypt.checkpw(data, password_hash.encode())


def dummy_hash() -> str:
    """A well-formed hash at the configured cost that no password matches.

    Checked against when the email is unknown, so that answer takes as long as a wrong password.
    Checking costs the same whatever the stored digest is, so none has to be computed.
    """
    return f"$2b${get_settings().bcrypt_cost:02d}${'.' * 53}"
