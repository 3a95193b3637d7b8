"""The floor under the budgets: what the libraries the design prescribes cost on this machine before
any of my-store's code runs. Measures, asserts nothing.

    ./scripts/bench floor

1. imports: a bare interpreter; one that imports what a function imports before it answers at all,
   and the same with the database driver (LIBRARIES below; none of my-store's code): time, RSS.
2. one HTTP leg: the server's CPU per CloudEvent POST (binary mode, keep-alive) to a function that
   does nothing, served the way kit.serve serves (functions-framework's create_app under cheroot),
   and as functions-framework's ASGI app under uvicorn; the client's CPU per POST with urllib3
   (kit.client and the local dispatcher post with it).
3. one transaction: an inbox row and one effect row committed on PostgreSQL (synchronous commit
   on), SQLAlchemy Core over psycopg, as the event consumers do: the client's CPU and the server
   backend's.
4. per order: these times the design's counts (HTTP_LEGS, PYTHON_CLIENTS, TRANSACTIONS below),
   against the budget of 10 ms. What it leaves out (my-store's code, the broker, the dispatcher's
   Kafka reads and offset commits) only adds to it.
Writes var/bench/<time>-floor/results.json.
"""

import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from cold_start import free_port
from cpu import cpu_seconds
from growth import SERVER  # scripts/postgres

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "mystore_bench_floor"
# What a function imports before it answers at all (kit.serve, before it listens): functions-
# framework (Flask, the CloudEvents SDK), the server (cheroot), SQLModel (SQLAlchemy, pydantic),
# protobuf, pydantic-settings (the one Settings class); then the database driver (psycopg), which
# the first request that reads or writes imports. None of my-store's code.
TO_ANSWER = "functions_framework, cheroot.wsgi, sqlmodel, google.protobuf.json_format, pydantic_settings"
LIBRARIES = {"to answer": TO_ANSWER, "with the database driver": f"{TO_ANSWER}, psycopg"}
# An order's work, counted from functions/functions.yaml: HTTP requests a Python function serves
# (storefront -> bff, bff -> order-create, OrderCreated -> shipping, notification and analytics,
# ShipmentCreated -> order-on-shipment-created, OrderStatusChanged -> bff), those of them a Python
# client sends (all but the storefront's), and transactions committed (order-create, the four
# event consumers; the fast path's marks add about half of one more, not counted).
HTTP_LEGS = 7
PYTHON_CLIENTS = 6
TRANSACTIONS = 5
REQUESTS = 3000
CLOUDEVENT = {
    "ce-specversion": "1.0",
    "ce-source": "/orders",
    "ce-type": "mystore.order.v1.OrderCreated",
    "content-type": "application/json",
}
BODY = json.dumps(
    {
        "orderId": str(uuid.uuid4()),
        "userId": str(uuid.uuid4()),
        "lines": [{"productId": str(uuid.uuid4()), "quantity": 2, "unitPriceCents": 1234}] * 3,
    }
).encode()


PRINT_RSS = "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmRSS:')))"  # kB


def imports() -> dict:
    """Median wall time and RSS of 5 interpreters importing nothing, and each set of `LIBRARIES`."""
    figures = {}
    sets = {"interpreter": "pass", **{label: f"import {names}" for label, names in LIBRARIES.items()}}
    for label, code in sets.items():
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", f"{code}\n{PRINT_RSS}"],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(((time.perf_counter() - started) * 1000, int(done.stdout) / 1024))
        figures[label] = {
            "ms": round(statistics.median(r[0] for r in runs)),
            "rss_mb": round(statistics.median(r[1] for r in runs), 1),
        }
    return figures


# Each way of serving one HTTP leg: the function it loads (it does nothing), and the server's code.
LEGS = {
    "functions-framework (Flask) under cheroot, as kit.serve": (
        "import functions_framework\n@functions_framework.cloud_event\ndef main(event):\n    return None\n",
        """
        import functions_framework
        from cheroot.wsgi import Server
        app = functions_framework.create_app(target="main", source=SOURCE, signature_type="cloudevent")
        Server(("127.0.0.1", PORT), app, numthreads=8).safe_start()
        """,
    ),
    "functions-framework's ASGI app under uvicorn": (
        "import functions_framework.aio\n@functions_framework.aio.cloud_event\nasync def main(event):\n"
        "    return None\n",
        """
        import functions_framework.aio, uvicorn
        app = functions_framework.aio.create_asgi_app(
            target="main", source=SOURCE, signature_type="cloudevent"
        )
        uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="warning", access_log=False)
        """,
    ),
}


def http_leg(label: str, work: Path) -> dict:
    """Server CPU per POST (from /proc) and the urllib3 client's (its thread's CPU time)."""
    import urllib3

    function, server_code = LEGS[label]
    port = free_port()
    source = work / f"function_{list(LEGS).index(label)}.py"
    source.write_text(function)
    code = f"SOURCE = {str(source)!r}\nPORT = {port}\n" + textwrap.dedent(server_code)
    server = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.DEVNULL)
    try:
        pool = urllib3.HTTPConnectionPool("127.0.0.1", port, maxsize=1)
        for _ in range(200):
            try:
                pool.request("GET", "/", retries=False)
                break
            except urllib3.exceptions.HTTPError:
                time.sleep(0.05)

        def post(count: int) -> None:
            for number in range(count):
                answer = pool.request("POST", "/", body=BODY, headers={**CLOUDEVENT, "ce-id": str(number)})
                if answer.status >= 300:
                    raise RuntimeError(f"{label}: HTTP {answer.status}")

        post(300)  # warm
        server_before, client_before = cpu_seconds(server.pid), time.thread_time()
        post(REQUESTS)
        client_ms = (time.thread_time() - client_before) * 1000 / REQUESTS
        server_ms = (cpu_seconds(server.pid) - server_before) * 1000 / REQUESTS
        return {"server_ms": round(server_ms, 3), "client_ms": round(client_ms, 3)}
    finally:
        server.terminate()
        server.wait(10)


def transaction() -> dict:
    """Client CPU (this thread) and backend CPU (/proc of the server process) per transaction."""
    import psycopg
    import sqlalchemy as sa
    from sqlalchemy.dialects.postgresql import insert

    with psycopg.connect(SERVER + "postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    engine = sa.create_engine(
        SERVER.replace("postgresql://", "postgresql+psycopg://") + DATABASE, pool_size=1
    )
    try:
        tables = sa.MetaData()
        inbox = sa.Table(
            "inbox",
            tables,
            sa.Column("source", sa.Text, primary_key=True),
            sa.Column("id", sa.Text, primary_key=True),
        )
        effect = sa.Table(
            "effect", tables, sa.Column("id", sa.Text, primary_key=True), sa.Column("n", sa.Integer)
        )
        tables.create_all(engine)
        seen, apply = insert(inbox).on_conflict_do_nothing(), effect.insert()
        with engine.connect() as connection:
            backend = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()

        def commit(count: int) -> None:
            for _ in range(count):
                key = uuid.uuid4().hex
                with engine.begin() as connection:
                    connection.execute(seen, {"source": "/orders", "id": key})
                    connection.execute(apply, {"id": key, "n": 1})

        commit(300)  # warm (psycopg prepares statements after a few executions)
        backend_before, client_before = cpu_seconds(backend), time.thread_time()
        commit(REQUESTS)
        client_ms = (time.thread_time() - client_before) * 1000 / REQUESTS
        return {
            "client_ms": round(client_ms, 3),
            "postgresql_ms": round((cpu_seconds(backend) - backend_before) * 1000 / REQUESTS, 3),
        }
    finally:
        engine.dispose()
        with psycopg.connect(SERVER + "postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")


def run() -> dict:
    with tempfile.TemporaryDirectory() as work:
        legs = {label: http_leg(label, Path(work)) for label in LEGS}
    figures = {"imports": imports(), "http_leg": legs, "transaction": transaction()}
    served = legs["functions-framework (Flask) under cheroot, as kit.serve"]
    tx = figures["transaction"]
    figures["per_order_ms"] = round(
        HTTP_LEGS * served["server_ms"]
        + PYTHON_CLIENTS * served["client_ms"]
        + TRANSACTIONS * (tx["client_ms"] + tx["postgresql_ms"]),
        2,
    )
    figures["counts"] = {
        "http_legs": HTTP_LEGS,
        "python_clients": PYTHON_CLIENTS,
        "transactions": TRANSACTIONS,
    }
    return figures


def report(figures: dict) -> None:
    for label, cost in figures["imports"].items():
        print(f"imports, {label}: {cost['ms']} ms, {cost['rss_mb']} MB RSS")
    print("  (budget: a function answers within 300 ms of its start and idles under 60 MB)")
    for label, leg in figures["http_leg"].items():
        print(f"one HTTP leg, {label}: server {leg['server_ms']} ms, urllib3 client {leg['client_ms']} ms")
    tx = figures["transaction"]
    print(
        f"one transaction (inbox + effect row): client {tx['client_ms']} ms, "
        f"PostgreSQL {tx['postgresql_ms']} ms"
    )
    print(
        f"per order ({HTTP_LEGS} legs, {PYTHON_CLIENTS} Python clients, {TRANSACTIONS} transactions), "
        f"no code of my-store, no broker: {figures['per_order_ms']} ms of CPU (budget 10 ms)"
    )


def main(argv: list[str]) -> int:
    figures = run()
    report(figures)
    work = ROOT / "var" / "bench" / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-floor"
    work.mkdir(parents=True, exist_ok=True)
    (work / "results.json").write_text(json.dumps(figures, indent=2))
    print(f"results: {work / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
