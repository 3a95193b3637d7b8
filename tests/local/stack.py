"""The whole store as ./scripts/dev runs it, for end-to-end tests: every function its own process."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError
from sqlalchemy import create_engine, text

from mystore_kit.declaration import load_declaration
from mystore_kit.migrate import migrate, services_with_migrations
from tests.addresses import ADDRESS

ROOT = Path(__file__).resolve().parents[2]
BFF = "http://127.0.0.1:8080"


class Stack:
    """Functions (and the dispatcher) as processes, on SQLite or on fresh PostgreSQL databases."""

    def __init__(self, var_dir: Path, *, postgres_url: str = "", kafka: str = "", **settings: str) -> None:
        self.var_dir = var_dir
        self.env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT / "functions"), str(ROOT)]),
            "MYSTORE_VAR_DIR": str(var_dir),
            "MYSTORE_BCRYPT_COST": "4",
            "MYSTORE_ADMIN_EMAILS": "admin@example.com",
            "MYSTORE_FUNCTION_URL_TEMPLATE": "http://127.0.0.1:{port}",
            "MYSTORE_KAFKA_BOOTSTRAP_SERVERS": kafka,
            **settings,
        }
        self.postgres_url = postgres_url
        self.databases: list[str] = []  # on PostgreSQL: created here, dropped by stop()
        if postgres_url:
            prefix = f"stack_{uuid.uuid4().hex[:8]}_"
            self.databases = [prefix + service for service in services_with_migrations()]
            self.on_postgres(*(f'CREATE DATABASE "{name}"' for name in self.databases))
            self.env["MYSTORE_DATABASE_URL"] = postgres_url + prefix + "{service}"
        else:
            self.env["MYSTORE_DATABASE_URL"] = f"sqlite:///{var_dir}/db/{{service}}.sqlite"
        self.processes: dict[str, subprocess.Popen] = {}

    def on_postgres(self, *statements: str) -> list:
        """Runs statements on the server's `postgres` database; the last one's rows."""
        if not statements:
            return []
        admin = create_engine(self.postgres_url + "postgres", isolation_level="AUTOCOMMIT")
        rows: list = []
        try:
            with admin.connect() as connection:
                for statement in statements:
                    result = connection.execute(text(statement))
                    rows = result.all() if result.returns_rows else []
        finally:
            admin.dispose()
        return rows

    def existing_databases(self) -> list[str]:
        """Those of this stack's databases that the server still has."""
        if not self.databases:
            return []
        names = ", ".join(f"'{name}'" for name in self.databases)
        return [
            row[0] for row in self.on_postgres(f"SELECT datname FROM pg_database WHERE datname IN ({names})")
        ]

    def url(self, service: str) -> str:
        return self.env["MYSTORE_DATABASE_URL"].format(service=service)

    def start(self, *runner_arguments: str) -> "Stack":
        """Migrates the databases and starts the runner; on any failure stops and drops everything
        (the fixture that called it never gets to)."""
        try:
            subprocess.run(
                [sys.executable, "-m", "mystore_kit.tokens", "--generate"], env=self.env, check=True, cwd=ROOT
            )
            for service in services_with_migrations():
                migrate(service=service, url=self.url(service))
            runner = self.spawn("runner", "mystore_local.runner", *runner_arguments)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and runner.poll() is None:
                if "Ctrl-C stops everything" in self.log("runner"):
                    return self
                time.sleep(0.2)
            raise RuntimeError("runner did not start:\n" + self.log("runner")[-5000:])
        except BaseException:
            self.stop()
            raise

    def spawn(self, name: str, module: str, *arguments: str) -> subprocess.Popen:
        """A process whose output goes to a file (a pipe that nobody reads would stall it)."""
        with open(self.var_dir / f"{name}.log", "a") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", module, *arguments], env=self.env, cwd=ROOT, stdout=log, stderr=log
            )
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.var_dir / f"{name}.log").read_text()

    def runner_children(self) -> dict[str, int]:
        """The processes the runner started, by the name they run (the last word of their command)."""
        runner = self.processes["runner"].pid
        children = {}
        for entry in Path("/proc").iterdir():
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except (OSError, ValueError):
                continue  # not a process, or one that just ended
            parent = int(stat.rpartition(")")[2].split()[1])
            if parent == runner and len(command) > 1:
                children[command[-2].decode()] = int(entry.name)
        return children

    def stop(self) -> None:
        """Stops the processes (Ctrl-C), then drops the stack's PostgreSQL databases."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        # FORCE: a process that was killed may not have closed its connections yet.
        self.on_postgres(*(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in self.databases))

    def query(self, service: str, sql: str) -> list:
        engine = create_engine(self.url(service))
        with engine.connect() as connection:
            rows = connection.execute(text(sql)).all()
        engine.dispose()
        return rows

    def count(self, service: str, table: str) -> int:
        return self.query(service, f"SELECT count(*) FROM {table}")[0][0]


class Shopper:
    """A signed-in user of the REST API."""

    def __init__(self, email: str) -> None:
        self.session = requests.Session()
        self.session.post(f"{BFF}/api/auth/register", json={"email": email, "password": "correct horse"})
        login = self.session.post(f"{BFF}/api/auth/login", json={"email": email, "password": "correct horse"})
        assert login.status_code == 200, login.text

    def products(self) -> list[dict]:
        return self.session.get(f"{BFF}/api/products").json()["products"]

    def order(self, items: list[dict], address: dict = ADDRESS) -> dict:
        response = self.session.post(f"{BFF}/api/orders", json={"items": items, "shippingAddress": address})
        assert response.status_code == 201, response.text
        return response.json()

    def statuses(self, order_id: str, *, seconds: float = 20) -> list[dict]:
        """The order's status events, read from its Server-Sent Events stream until it ends."""
        seen = []
        with self.session.get(f"{BFF}/api/orders/{order_id}/events", stream=True, timeout=seconds) as stream:
            assert stream.headers["Content-Type"].startswith("text/event-stream")
            for line in stream.iter_lines(decode_unicode=True):
                if line.startswith("data: "):
                    seen.append(json.loads(line[len("data: ") :]))
        return seen

    def summary(self) -> dict:
        return self.session.get(f"{BFF}/api/analytics/summary").json()


def wait_for(condition, *, seconds: float = 30, every: float = 0.2, message: str = "condition"):  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {seconds}s waiting for {message}")


def fresh_topics(bootstrap: str) -> None:
    """Empty the declared topics (orders, shipments, order-status) and forget their consumer groups."""
    declaration = load_declaration()
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        groups = [s.consumerGroup for s in declaration.subscriptions]
        try:
            admin.delete_groups(groups)
        except KafkaError:
            pass  # none of them existed yet
        topics = sorted({s.topic for s in declaration.subscriptions})

        def gone() -> bool:
            """Deletes what is still listed: a topic the broker was still creating may have been
            missing from the first listing (the fault suite's setup once timed out on one)."""
            left = sorted(set(topics) & set(admin.list_topics()))
            if left:
                try:
                    admin.delete_topics(left)
                except KafkaError:
                    pass  # its deletion is under way
            return not left

        wait_for(gone, every=0.5, message="the topics to go")
        for _ in range(50):  # deletion finishes in the background
            try:
                admin.create_topics([NewTopic(t, num_partitions=3, replication_factor=1) for t in topics])
                return
            except TopicAlreadyExistsError:
                time.sleep(0.2)
    finally:
        admin.close()


def function_port(name: str) -> int:
    return load_declaration().function(name).port
