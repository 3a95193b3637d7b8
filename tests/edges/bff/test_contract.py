"""The BFF against its OpenAPI document: Schemathesis, every default check, a signed-in user.

The BFF is served on loopback by cheroot (as kit.serve does) and calls the real functions
in-process, on SQLite; every phase runs (examples, coverage, fuzzing, stateful through the links).
"""

import threading
import time
import uuid
from collections import Counter

import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.engine import Status, from_schema
from schemathesis.engine.events import EngineFinished, FatalError, NonFatalError, ScenarioFinished

from tests.support import function_app

EXAMPLES = 100
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]  # positive_data_acceptance's default
PASSWORD = "correct horse battery"

# format: password (RegisterRequest): 8 characters to 72 bytes of UTF-8, as the document says.
schemathesis.openapi.format(
    "password",
    st.text(
        st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), min_size=8, max_size=72
    ).filter(lambda text: len(text.encode()) <= 72),
)


@pytest.fixture
def served_bff(functions_in_process, monkeypatch):
    """The bff function on an ephemeral loopback port, served as kit.serve serves it (admission)."""
    from mystore_edges.bff import live_status
    from mystore_kit.declaration import load_declaration
    from mystore_kit.serve import http_server
    from mystore_kit.settings import get_settings

    # Streams Schemathesis stopped reading end after a second, not 30 (each holds a thread).
    monkeypatch.setattr(live_status, "STREAM_SECONDS", 1, raising=False)
    bff = load_declaration().function("bff")  # its threads and streams, as the runner and chart give them
    monkeypatch.setenv("MYSTORE_THREADS", str(bff.threads))
    monkeypatch.setenv("MYSTORE_MAX_STREAMS", str(bff.streams))
    get_settings.cache_clear()
    server = http_server(function_app("bff"), settings=get_settings(), address=("127.0.0.1", 0), name="bff")
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.bind_addr[1]}"
    server.stop()


def config(base_url: str) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "base-url": base_url,
            "generation": {"max-examples": EXAMPLES},
            "max-stream-events": 1,  # the order's status now; the stream would go on for 30 s
            "request-timeout": 5,
            "operations": [
                {
                    # The internal event sink takes CloudEvents, not REST: its malformed input is
                    # tests/test_malformed_events.py's, its behaviour tests/edges/bff/test_live_status.py's.
                    "include-name": "POST /",
                    "enabled": False,
                },
                {
                    # A reused Idempotency-Key with another order is a 422 for valid data: like a
                    # 409, the answer depends on what was sent before.
                    "include-name": "POST /api/orders",
                    "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]}},
                },
            ],
        }
    )


def within_merged_limit(items):
    if not isinstance(items, list):
        return items
    totals, kept = Counter(), []
    for item in items:
        try:
            product, quantity = str(uuid.UUID(item["productId"])), item["quantity"]
        except (KeyError, TypeError, ValueError, AttributeError):
            kept.append(item)
            continue
        if totals[product] + quantity <= 100:
            totals[product] += quantity
            kept.append(item)
    return kept or items[:1]


@schemathesis.hook
def before_call(context, case, kwargs):
    """Valid orders keep one rule JSON Schema cannot state: lines of one product add up to 100 at
    most (the document says so in prose). Schemathesis' inferred links fill the same product
    into many lines, so a positive case drops the lines that would pass that sum."""
    if (case.method, case.operation.path) == ("POST", "/api/orders") and case.meta:
        if case.meta.generation.mode.is_positive and isinstance(case.body, dict):
            case.body["items"] = within_merged_limit(case.body.get("items"))


def signed_in_token(base_url: str) -> str:
    import requests

    credentials = {"email": "contract@example.com", "password": PASSWORD}
    assert requests.post(f"{base_url}/api/auth/register", json=credentials, timeout=10).status_code == 201
    return requests.post(f"{base_url}/api/auth/login", json=credentials, timeout=10).json()["token"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_bff_answers_as_its_openapi_document_says(database_url, served_bff, request):
    token = signed_in_token(served_bff)
    schema = schemathesis.openapi.from_url(f"{served_bff}/api/openapi.json", config=config(served_bff))

    @schema.auth()
    class SignedIn:
        def get(self, case, context):
            return token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    started = time.monotonic()
    failures, errors, calls, checks = {}, [], Counter(), set()
    for event in from_schema(schema).execute():
        if isinstance(event, ScenarioFinished):
            for case_id, nodes in event.recorder.checks.items():
                case = event.recorder.cases[case_id].value
                calls[f"{case.method} {case.operation.path}"] += 1
                for node in nodes:
                    checks.add(node.name)
                    if node.status == Status.FAILURE and node.failure_info:
                        failure = node.failure_info.failure
                        key = (case.method, case.operation.path, node.name, failure.title)
                        status = getattr(failure, "status_code", "")
                        failures.setdefault(
                            key, f"{status} {failure.message}\n{node.failure_info.code_sample}"
                        )
        elif isinstance(event, (NonFatalError, FatalError)):
            errors.append(str(getattr(event, "info", event)))
        elif isinstance(event, EngineFinished):
            break
    documented = {
        f"{method.upper()} {path}" for path, item in schema.raw_schema["paths"].items() for method in item
    }
    request.node.user_properties.append(
        (
            "figures",
            f"{len(documented)} operations, {sum(calls.values())} calls, {len(checks)} checks "
            f"({', '.join(sorted(checks))}), {len(failures)} failures, {time.monotonic() - started:.0f} s",
        )
    )
    assert not failures, "\n".join(f"{key}: {text}" for key, text in failures.items())
    assert not errors, "\n".join(errors)
    # Schemathesis leaves out the operation that serves the document it loaded; the sink is off.
    not_called = {"GET /api/openapi.json", "POST /"}
    assert documented - not_called <= set(calls), "every documented operation was called"
    assert len(checks) >= 10, sorted(checks)
