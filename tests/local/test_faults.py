"""The fault suite: the store under load while its parts fail, checked from the databases.

Each scenario places orders through the BFF while a fault happens, then waits for the pipeline to
drain and asserts: every order answered 201 is stored, has exactly one shipment and one
notification, is counted once by analytics and reaches SHIPPED; no request got a 500 (503 is the
answer while a dependency is down); the fault really happened (redeliveries, or the relay picking
up what the fast path could not send); the backlog drains within 60 s after recovery.

The suite owns its PostgreSQL and Kafka (other ports and directories than the ones the other tests
use), since it kills them. Every delivery of the dispatcher goes through a proxy here that counts
them per event and can refuse the first attempts. The short form runs in ./scripts/test
(MYSTORE_FAULT_ORDERS orders per scenario, 150 by default); ./scripts/chaos runs the long form
(1,000 each) and prints the figures.
"""

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from mystore_kit.declaration import load_declaration
from tests.addresses import ADDRESS
from tests.local.stack import BFF, ROOT, Shopper, Stack, fresh_topics, wait_for

pytestmark = pytest.mark.faults
ORDERS = int(os.environ.get("MYSTORE_FAULT_ORDERS", "150"))
PG_ENV = {"MYSTORE_PG_PORT": "25532", "MYSTORE_PG_DIR": "/var/tmp/mystore-pg-faults"}
KAFKA_ENV = {
    "MYSTORE_KAFKA_PORT": "28392",
    "MYSTORE_KAFKA_CONTROLLER_PORT": "28393",
    "MYSTORE_KAFKA_DIR": "/var/tmp/mystore-kafka-faults",
}
RESULTS = ROOT / "var" / "faults" / "results.json"


def script(name: str, *arguments: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(ROOT / "scripts" / name), *arguments],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"scripts/{name} {' '.join(arguments)}: {done.stderr[-2000:]}"
    return done.stdout.strip()


class Proxy:
    """Stands between the dispatcher and the sinks: /<function> goes to that function's port.

    It counts deliveries per (sink, event id) and answers 503 to the first `refuse` attempts of
    each of the first `refuse_events` events of the sinks in `refusing` (each refused event waits
    out the retry backoff, one partition at a time, so they are few).
    """

    def __init__(self) -> None:
        self.deliveries: Counter[tuple[str, str]] = Counter()
        self.statuses: Counter[int] = Counter()
        self.refusing: set[str] = set()
        self.refuse = 0
        self.refuse_events = 0
        self.refused: set[tuple[str, str]] = set()
        self.lock = threading.Lock()
        ports = {f.name: f.port for f in load_declaration().functions}
        proxy = self
        session = requests.Session()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 - the http.server name
                name = urlsplit(self.path).path.strip("/")
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                key = (name, self.headers.get("ce-id", ""))
                with proxy.lock:
                    proxy.deliveries[key] += 1
                    attempt = proxy.deliveries[key]
                    if name in proxy.refusing and attempt == 1 and len(proxy.refused) < proxy.refuse_events:
                        proxy.refused.add(key)
                    refuse = key in proxy.refused and attempt <= proxy.refuse
                if refuse:
                    status, answer, kind = 503, b'{"code":"UNAVAILABLE"}', "application/problem+json"
                else:
                    headers = {
                        k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")
                    }
                    try:
                        reply = session.post(
                            f"http://127.0.0.1:{ports[name]}/", data=body, headers=headers, timeout=30
                        )
                        status, answer = reply.status_code, reply.content
                        kind = reply.headers.get("Content-Type", "application/json")
                    except requests.RequestException:
                        status, answer, kind = 502, b"", "text/plain"
                with proxy.lock:
                    proxy.statuses[status] += 1
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):  # noqa: ANN001
                pass  # a dispatcher killed mid-request: nothing to report

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def redeliveries(self) -> int:
        with self.lock:
            return sum(count - 1 for count in self.deliveries.values())

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def servers():
    """A PostgreSQL and a Kafka broker of this suite's own."""
    postgres = script("postgres", "start", env=PG_ENV)
    kafka = script("kafka", "start", env=KAFKA_ENV)
    yield postgres, kafka
    script("kafka", "stop", env=KAFKA_ENV)
    script("postgres", "stop", env=PG_ENV)


@pytest.fixture(scope="module")
def proxy():
    running = Proxy()
    yield running
    running.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory, servers, proxy):
    postgres, kafka = servers
    fresh_topics(kafka)
    running = Stack(tmp_path_factory.mktemp("faults"), postgres_url=postgres, kafka=kafka)
    running.start("--without-dispatcher")
    start_dispatcher(running, proxy)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def shopper(stack):
    return Shopper(f"faults-{uuid.uuid4().hex[:8]}@example.com")


def start_dispatcher(stack: Stack, proxy: Proxy) -> subprocess.Popen:
    """The KafkaSource stand-in, its deliveries through the proxy."""
    with open(stack.var_dir / "dispatcher.log", "a") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "mystore_local.dispatcher"],
            env={**stack.env, "MYSTORE_FUNCTION_URL_TEMPLATE": f"http://127.0.0.1:{proxy.port}/{{name}}"},
            cwd=ROOT,
            stdout=log,
            stderr=log,
        )
    stack.processes["dispatcher"] = process
    return process


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(10)


class Load:
    """Places orders one after another until `ORDERS` were accepted (201), calling `at(n)` before
    attempt n; keeps every answer. While orders are refused it slows down, as a client would."""

    def __init__(self, shopper: Shopper) -> None:
        self.shopper = shopper
        # The first call after an outage may meet a stale connection (503): ask again.
        products = wait_for(lambda: shopper.session.get(f"{BFF}/api/products").json().get("products"))
        self.product = products[0]["id"]
        self.statuses: Counter[int] = Counter()
        self.placed: list[str] = []

    def run(self, at=lambda n: None) -> None:  # noqa: ANN001
        body = {"items": [{"productId": self.product, "quantity": 1}], "shippingAddress": ADDRESS}
        for n in range(5 * ORDERS):
            if len(self.placed) == ORDERS:
                return
            at(n)
            try:
                response = self.shopper.session.post(f"{BFF}/api/orders", json=body, timeout=30)
            except requests.RequestException:
                self.statuses[0] += 1
                continue
            self.statuses[response.status_code] += 1
            if response.status_code == 201:
                self.placed.append(response.json()["id"])
            else:
                time.sleep(0.1)


def totals(stack: Stack) -> dict[str, int]:
    return {
        "orders": stack.count("orders", "orders"),
        "shipments": stack.count("shipping", "shipments"),
        "notifications": stack.count("notification", "notifications"),
        "counted": int(stack.query("analytics", "SELECT coalesce(sum(orders), 0) FROM minute_stats")[0][0]),
    }


def settled(stack: Stack, before: dict[str, int], load: Load, recovered_at: float) -> dict:
    """Waits for the backlog to drain, then checks every promise; returns the figures."""
    ids = "', '".join(load.placed)

    def drained():
        now = totals(stack)
        created = now["orders"] - before["orders"]
        pending = stack.query("orders", "SELECT count(*) FROM orders WHERE status <> 'SHIPPED'")[0][0]
        return pending == 0 and all(
            now[k] - before[k] == created for k in ("shipments", "notifications", "counted")
        )

    wait_for(drained, seconds=90, every=0.5, message="the backlog to drain")
    drain_seconds = time.monotonic() - recovered_at
    now = totals(stack)
    created = now["orders"] - before["orders"]
    stored = stack.query("orders", f"SELECT count(*) FROM orders WHERE id IN ('{ids}')")[0][0]
    shipped = stack.query(
        "orders", f"SELECT count(*) FROM orders WHERE id IN ('{ids}') AND status = 'SHIPPED'"
    )[0][0]
    per_order = stack.query(
        "shipping", f"SELECT count(*), count(DISTINCT order_id) FROM shipments WHERE order_id IN ('{ids}')"
    )[0]
    notified = stack.query(
        "notification",
        f"SELECT count(*), count(DISTINCT order_id) FROM notifications WHERE order_id IN ('{ids}')",
    )[0]
    return {
        "orders": ORDERS,
        "answered": dict(load.statuses),
        "accepted": len(load.placed),
        "stored": stored,
        "created": created,
        "shipped": shipped,
        "shipments": per_order[0],
        "notifications": notified[0],
        "counted": now["counted"] - before["counted"],
        "duplicates": (per_order[0] - per_order[1]) + (notified[0] - notified[1]),
        "drain_seconds": round(drain_seconds, 1),
    }


def check(figures: dict, *, fault_seen: bool) -> None:
    accepted = figures["accepted"]
    assert figures["stored"] == accepted and figures["shipped"] == accepted, figures
    assert figures["shipments"] == accepted and figures["notifications"] == accepted, figures
    assert figures["duplicates"] == 0, figures
    # Orders whose 201 was lost in a fault may exist too: each is still shipped and counted once.
    assert figures["counted"] == figures["created"] >= accepted, figures
    assert set(figures["answered"]) <= {201, 503}, f"only 201 and 503 may be answered: {figures}"
    assert fault_seen, f"the fault left no trace: {figures}"
    assert figures["drain_seconds"] <= 60, figures


def record(name: str, figures: dict) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    known = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    known[name] = figures
    RESULTS.write_text(json.dumps(known, indent=2))
    print(f"\n{name}: {json.dumps(figures)}")


def test_the_broker_killed_mid_load_and_restarted(stack, shopper, proxy):
    before, redelivered = totals(stack), proxy.redeliveries()
    load = Load(shopper)
    down_seconds = 35 if ORDERS >= 1000 else 5
    broker = int(script("kafka", "pid", env=KAFKA_ENV))

    def fault(n):
        if n == ORDERS // 3:
            os.kill(broker, signal.SIGKILL)
        if n == ORDERS // 3 + 1:
            time.sleep(down_seconds)  # the store keeps taking orders meanwhile: see the loop
            script("kafka", "start", env=KAFKA_ENV)

    load.run(fault)
    figures = settled(stack, before, load, time.monotonic())
    log = stack.log("runner")
    figures["redeliveries"] = proxy.redeliveries() - redelivered
    figures["fast_path_failures"] = log.count("the relay will retry")
    record("broker killed", figures)
    check(figures, fault_seen=figures["redeliveries"] > 0 or figures["fast_path_failures"] > 0)


def test_the_dispatcher_killed_three_times(stack, shopper, proxy):
    before, redelivered = totals(stack), proxy.redeliveries()
    load = Load(shopper)

    def fault(n):
        if n in (ORDERS // 5, ORDERS // 2, ORDERS * 4 // 5):
            kill(stack.processes["dispatcher"])
            time.sleep(1)
            start_dispatcher(stack, proxy)

    load.run(fault)
    figures = settled(stack, before, load, time.monotonic())
    figures["redeliveries"] = proxy.redeliveries() - redelivered
    record("dispatcher killed 3 times", figures)
    check(figures, fault_seen=True)  # three kills, each checked by the process's exit


def function_pid(stack: Stack, name: str) -> int:
    """The process of function `name` in this stack (the runner started it; it may have restarted it)."""
    for entry in Path("/proc").iterdir():
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if (
            f"MYSTORE_FUNCTION={name}".encode() in environ
            and f"MYSTORE_VAR_DIR={stack.var_dir}".encode() in environ
        ):
            return int(entry.name)
    raise AssertionError(f"{name} is not running")


def test_a_consumer_killed_mid_stream_is_restarted(stack, shopper, proxy):
    before, redelivered = totals(stack), proxy.redeliveries()
    errors_before = proxy.statuses.copy()
    load = Load(shopper)
    killed = {}

    def fault(n):
        if n == ORDERS // 2:
            killed["pid"] = function_pid(stack, "shipping-on-order-created")
            os.kill(killed["pid"], signal.SIGKILL)

    load.run(fault)
    figures = settled(stack, before, load, time.monotonic())
    restarted = function_pid(stack, "shipping-on-order-created")
    refused = sum(count for status, count in (proxy.statuses - errors_before).items() if status >= 500)
    figures["redeliveries"] = proxy.redeliveries() - redelivered
    figures["sink_5xx"] = refused
    record("a consumer killed", figures)
    assert restarted != killed["pid"], "the runner restarted it, as the kubelet would"
    check(figures, fault_seen=refused > 0 or figures["redeliveries"] > 0)


def test_postgresql_crashed_mid_load_and_restarted(stack, shopper, proxy):
    before, redelivered = totals(stack), proxy.redeliveries()
    errors_before = proxy.statuses.copy()
    load = Load(shopper)
    down_seconds = 11 if ORDERS >= 1000 else 4
    outage = {}

    def fault(n):
        if n == ORDERS // 3:
            script("postgres", "crash", env=PG_ENV)
            outage["started"] = time.monotonic()
        if (
            "started" in outage
            and "ended" not in outage
            and time.monotonic() - outage["started"] > down_seconds
        ):
            script("postgres", "start", env=PG_ENV)
            outage["ended"] = time.monotonic()

    load.run(fault)
    if "ended" not in outage:
        script("postgres", "start", env=PG_ENV)
        outage["ended"] = time.monotonic()
    figures = settled(stack, before, load, outage["ended"])
    refused = sum(count for status, count in (proxy.statuses - errors_before).items() if status >= 500)
    figures["redeliveries"] = proxy.redeliveries() - redelivered
    figures["sink_5xx"] = refused
    record("postgresql crashed", figures)
    check(figures, fault_seen=figures["answered"].get(503, 0) > 0 or refused > 0)


def test_a_sink_refusing_its_first_three_attempts(stack, shopper, proxy):
    before, redelivered = totals(stack), proxy.redeliveries()
    refused_events = 20
    proxy.refusing, proxy.refuse, proxy.refuse_events = {"notification-on-order-created"}, 3, refused_events
    try:
        load = Load(shopper)
        load.run()
        figures = settled(stack, before, load, time.monotonic())
    finally:
        proxy.refusing, proxy.refuse, proxy.refuse_events = set(), 0, 0
    figures["redeliveries"] = proxy.redeliveries() - redelivered
    figures["refused_events"] = len(proxy.refused)
    record("a sink answering 503 three times", figures)
    check(figures, fault_seen=figures["redeliveries"] >= 3 * refused_events == 3 * figures["refused_events"])
    assert not stack.count("deadletter", "dead_letters"), "3 refusals are within 5 retries"
