"""The BFF against its OpenAPI document: Schemathesis, every default check, a signed-in user.

The BFF is served on loopback by cheroot (as kit.serve does) and calls the real functions
in-process, on SQLite; every phase runs (examples, coverage, fuzzing, stateful through the links).
"""

import threading
import time
from collections import Counter

import pytest
import schemathesis
from cheroot.wsgi import Server
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
    st.text(st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), min_size=8, max_size=72).filter(
        lambda text: len(text.encode()) <= 72
    ),
)


@pytest.fixture
def served_bff(functions_in_process):
    """The bff function on an ephemeral loopback port."""
    server = Server(("127.0.0.1", 0), function_app("bff"), numthreads=4)
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
                    # A reused Idempotency-Key with another order is a 422 for valid data: like a
                    # 409, the answer depends on what was sent before.
                    "include-name": "POST /api/orders",
                    "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]}},
                }
            ],
        }
    )


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
    failures, errors, calls = {}, [], Counter()
    checks = set()
    for event in from_schema(schema).execute():
        if isinstance(event, ScenarioFinished):
            for case_id, nodes in event.recorder.checks.items():
                case = event.recorder.cases[case_id].value
                calls[(event.phase.name, f"{case.method} {case.operation.path}")] += 1
                for node in nodes:
                    checks.add(node.name)
                    if node.status == Status.FAILURE and node.failure_info:
                        failure = node.failure_info.failure
                        failures.setdefault((case.method, case.operation.path, node.name, failure.title), (
                            f"{getattr(failure, 'status_code', '')} {failure.message}",
                            node.failure_info.code_sample,
                        ))
        elif isinstance(event, (NonFatalError, FatalError)):
            errors.append(f"{event.label if hasattr(event, 'label') else ''}: {event.info.format() if hasattr(event, 'info') else event}")
        elif isinstance(event, EngineFinished):
            break
    elapsed = time.monotonic() - started
    operations = {operation for _, operation in calls}
    per_operation = Counter()
    for (phase, operation), count in calls.items():
        per_operation[operation] += count
    request.node.user_properties.append(
        (
            "figures",
            f"{len(operations)} operations, {sum(calls.values())} calls "
            f"(fewest per operation: {min(per_operation.values())}), {len(checks)} checks, "
            f"{len(failures)} failures, {elapsed:.0f} s",
        )
    )
    report = "\n".join(f"{key}: {message}\n{sample}" for key, (message, sample) in failures.items())
    print(sorted(checks), dict(calls))
    assert not failures, report
    assert not errors, "\n".join(errors)
