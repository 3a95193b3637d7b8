"""Password rules and bcrypt hashing.

bcrypt runs in a pool of its own threads: at most Settings.password_hash_threads hashes at once
(the cores given to auth: more would only queue inside the CPU), at a lower scheduling priority
(nice + NICE), so that the process's request threads (reading the user, signing the token) go
first. bcrypt releases the GIL, so the pool's threads hash in parallel. What keeps a login storm
off the order path is the BFF's cap on sign-ins in flight (mystore_edges.bff.auth).
"""

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TypeVar

import bcrypt

from mystore_kit.errors import invalid
from mystore_kit.settings import get_settings

MIN_CHARACTERS = 8
MAX_BYTES = 72  # bcrypt ignores everything past 72 bytes: refuse rather than truncate silently
NICE = 10  # added to the hashing threads' nice value (Linux: per thread)
T = TypeVar("T")


def lower_priority() -> None:
    """Makes the calling thread yield the CPU to the process's other threads and processes."""
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + NICE))
    except (AttributeError, OSError):  # not Linux, or not allowed: hash at the usual priority
        pass


@cache
def hashing_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(
        max_workers=get_settings().password_hash_threads,
        thread_name_prefix="bcrypt",
        initializer=lower_priority,
    )


def hashing(work: Callable[..., T], *args: object) -> T:
    """`work(*args)` in the hashing pool, waited for."""
    return hashing_pool().submit(work, *args).result()


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
    salt = bcrypt.gensalt(get_settings().bcrypt_cost)
    return hashing(bcrypt.hashpw, password.encode("utf-8"), salt).decode()


def verify_password(password: str, password_hash: str) -> bool:
    data = password.encode("utf-8")
    if len(data) > MAX_BYTES:
        return False
    return hashing(bcrypt.checkpw, data, password_hash.encode())


def dummy_hash() -> str:
    """A well-formed hash at the configured cost that no password matches.

    Checked against when the email is unknown, so that answer takes as long as a wrong password.
    Checking costs the same whatever the stored digest is, so none has to be computed.
    """
    return f"$2b${get_settings().bcrypt_cost:02d}${'.' * 53}"
