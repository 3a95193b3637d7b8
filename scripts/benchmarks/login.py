"""Login: what bcrypt alone allows against logins through the BFF, and the order path in a login storm.

    ./scripts/bench login [--seconds N] [--users N] [--clients N] [--rate N] [--start]

Against a running store (./scripts/dev --postgres --kafka), or with --start one it starts and stops
(run it under the stack lock: flock -o /tmp/mystore-stack.lock ./scripts/bench login --start):
1. bcrypt alone: bcrypt.checkpw at the store's cost factor (read from the stored hashes), in one
   thread and in one thread per core (before and after step 2: the better), in this process:
   checks/s. The second over the first says whether bcrypt releases the GIL (it does).
2. logins through the BFF at saturation: --clients closed-loop clients logging in --users distinct
   accounts in turn (successful logins only, each account from its own client address, so the
   throttle has nothing to count): logins/s, and their ratio to bcrypt alone on as many cores.
3. the order path: POST /api/orders at a steady --rate (vegeta, open loop), alone and during a
   login storm (the clients of step 2): p50/p99, and the ratio of the two p99s.
Measures and prints; asserts nothing.
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import bcrypt
import requests

sys.path.insert(0, str(Path(__file__).parent))
import suite  # noqa: E402 - the sibling script: the stack, a shopper, an order body

ROOT = Path(__file__).resolve().parents[2]
BASE = suite.BASE
PASSWORD = "correct horse battery"


def cores() -> int:
    return len(os.sched_getaffinity(0))


def store_cost() -> int:
    """The cost factor of the store's password hashes ($2b$12$...), as auth-register stored them."""
    (stored,) = suite.query("auth", "select password_hash from users order by created_at desc limit 1")[0]
    return int(stored.split("$")[2])


def bcrypt_alone(cost: int, threads: int, seconds: float) -> float:
    """checkpw calls per second, `threads` threads checking at once in this process."""
    digest = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(cost))
    done = [0] * threads
    deadline = time.monotonic() + seconds

    def check(slot: int) -> None:
        while time.monotonic() < deadline:
            bcrypt.checkpw(PASSWORD.encode(), digest)
            done[slot] += 1

    began = time.monotonic()
    workers = [threading.Thread(target=check, args=(slot,)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done) / (time.monotonic() - began)


def client_address(index: int) -> str:
    return f"10.77.{index // 250}.{index % 250 + 1}"  # trusted_proxies believe loopback's X-Forwarded-For


def register(count: int) -> list[dict]:
    """`count` new accounts (registered a few at a time: each is a bcrypt hash too)."""
    stamp = time.time_ns()
    accounts = [{"email": f"login-{stamp}-{i}@example.com", "password": PASSWORD} for i in range(count)]

    def one(index: int) -> None:
        headers = {"X-Forwarded-For": client_address(index)}
        reply = requests.post(f"{BASE}/api/auth/register", json=accounts[index], headers=headers, timeout=60)
        reply.raise_for_status()

    for start in range(0, count, 4):
        batch = [threading.Thread(target=one, args=(i,)) for i in range(start, min(count, start + 4))]
        for thread in batch:
            thread.start()
        for thread in batch:
            thread.join()
    return accounts


class Storm:
    """`clients` threads logging in the accounts in turn, until stopped; counts and times each login."""

    def __init__(self, accounts: list[dict], clients: int) -> None:
        self.accounts, self.clients = accounts, clients
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.turn = 0
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(clients)]

    def next_account(self) -> int:
        with self.lock:
            self.turn += 1
            return self.turn % len(self.accounts)

    def run(self) -> None:
        session = requests.Session()
        while not self.stop.is_set():
            index = self.next_account()
            began = time.monotonic()
            try:
                reply = session.post(
                    f"{BASE}/api/auth/login",
                    json=self.accounts[index],
                    headers={"X-Forwarded-For": client_address(index)},
                    timeout=60,
                )
                status, wait = reply.status_code, float(reply.headers.get("Retry-After", 0))
            except requests.RequestException:
                status, wait = 0, 1.0
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if status == 200:
                    self.latencies.append((time.monotonic() - began) * 1000)
            if status != 200:  # a browser's user tries again after a while (Retry-After on 503 and 429)
                self.stop.wait(wait or 1.0)

    def __enter__(self) -> "Storm":
        self.began = time.monotonic()
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)
        self.seconds = time.monotonic() - self.began

    def figures(self) -> dict:
        ok = sorted(self.latencies)
        return {
            "clients": self.clients,
            "logins_per_s": round(len(ok) / self.seconds, 2),
            "statuses": self.statuses,
            "p50_ms": round(statistics.median(ok), 1) if ok else None,
            "p99_ms": round(ok[min(len(ok) - 1, int(0.99 * len(ok)))], 1) if ok else None,
        }


def order_path(token: str, product: str, rate: int, seconds: int, work: Path) -> dict:
    """POST /api/orders at a constant `rate` for `seconds` (vegeta): latency percentiles."""
    vegeta = subprocess.run(
        [str(ROOT / "scripts" / "install-vegeta")], capture_output=True, text=True, check=True
    ).stdout.strip()
    (work / "body.json").write_text(suite.order_body(product))
    (work / "targets").write_text(
        f"POST {BASE}/api/orders\nContent-Type: application/json\n"
        f"Authorization: Bearer {token}\n@{work / 'body.json'}\n"
    )
    attack = subprocess.run(
        [
            vegeta,
            "attack",
            f"-rate={rate}/s",
            f"-duration={seconds}s",
            f"-targets={work / 'targets'}",
            "-timeout=10s",
        ],
        capture_output=True,
        check=True,
    ).stdout
    report = json.loads(
        subprocess.run([vegeta, "report", "-type=json"], input=attack, capture_output=True, check=True).stdout
    )
    return {
        "rate": rate,
        "requests": report["requests"],
        "status_codes": report["status_codes"],
        "p50_ms": round(report["latencies"]["50th"] / 1e6, 1),
        "p99_ms": round(report["latencies"]["99th"] / 1e6, 1),
    }


def settle(since: datetime, limit: float = 60) -> None:
    """Waits until the orders placed since `since` are SHIPPED (not older ones another run left)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        waiting = suite.query(
            "orders", "select count(*) from orders where status <> 'SHIPPED' and created_at >= %s", since
        )[0][0]
        if not waiting:
            return
        time.sleep(0.5)


def run(*, seconds: int = 15, users: int = 40, clients: int = 8, rate: int = 20, work: Path) -> dict:
    """The login benchmark against the running store; returns its figures (suite.py calls this)."""
    result: dict = {"cores": cores(), "load_average_before": os.getloadavg()}
    print("login: registering accounts...", file=sys.stderr, flush=True)
    accounts = register(users)
    cost = store_cost()
    token, product = suite.shopper()
    print(f"login: bcrypt alone at cost {cost}...", file=sys.stderr, flush=True)
    single = bcrypt_alone(cost, 1, seconds / 3)
    parallel = bcrypt_alone(cost, cores(), seconds / 3)
    result["bcrypt"] = {
        "cost": cost,
        "checks_per_s_1_thread": round(single, 2),
        "checks_per_s_a_thread_per_core": round(parallel, 2),
        "parallel_speedup": round(parallel / single, 2),  # ~cores: checkpw releases the GIL
    }
    print(f"login: {clients} clients logging in for {seconds} s...", file=sys.stderr, flush=True)
    with Storm(accounts, clients) as storm:
        time.sleep(seconds)
    result["logins"] = storm.figures()
    again = bcrypt_alone(cost, cores(), seconds / 3)  # the machine's other load varies: the better of two
    parallel = max(parallel, again)
    result["bcrypt"]["checks_per_s_a_thread_per_core"] = round(parallel, 2)
    result["bcrypt"]["parallel_speedup"] = round(parallel / single, 2)
    result["logins_over_bcrypt_alone"] = round(result["logins"]["logins_per_s"] / parallel, 2)
    time.sleep(2)
    print(f"login: the order path at {rate}/s, alone and in a login storm...", file=sys.stderr, flush=True)
    since = datetime.now(UTC)
    result["orders_alone"] = order_path(token, product, rate, seconds, work)
    settle(since)
    with Storm(accounts, clients) as storm:
        time.sleep(1)  # the storm is on before the first order
        result["orders_in_storm"] = order_path(token, product, rate, seconds, work)
    result["storm_during_orders"] = storm.figures()
    settle(since)
    result["order_p99_storm_over_alone"] = round(
        result["orders_in_storm"]["p99_ms"] / result["orders_alone"]["p99_ms"], 2
    )
    result["load_average_after"] = os.getloadavg()
    return result


def report(result: dict) -> None:
    b, logins = result["bcrypt"], result["logins"]
    print(f"\nlogin ({result['cores']} cores, load average before {result['load_average_before'][0]:.2f})")
    print(
        f"  bcrypt alone, cost {b['cost']}: {b['checks_per_s_1_thread']}/s in 1 thread, "
        f"{b['checks_per_s_a_thread_per_core']}/s in {result['cores']} (speedup {b['parallel_speedup']})"
    )
    print(
        f"  logins through the BFF, {logins['clients']} clients: {logins['logins_per_s']}/s "
        f"(= {result['logins_over_bcrypt_alone']} x bcrypt alone), p50 {logins['p50_ms']} ms, "
        f"p99 {logins['p99_ms']} ms, statuses {logins['statuses']}"
    )
    alone, storm = result["orders_alone"], result["orders_in_storm"]
    print(
        f"  orders at {alone['rate']}/s: p50 {alone['p50_ms']} ms, p99 {alone['p99_ms']} ms alone; "
        f"p50 {storm['p50_ms']} ms, p99 {storm['p99_ms']} ms in a login storm "
        f"(p99 x{result['order_p99_storm_over_alone']}); "
        f"codes {alone['status_codes']} / {storm['status_codes']}"
    )


def main(argv: list[str]) -> int:
    def option(name: str, default: int) -> int:
        return int(argv[argv.index(name) + 1]) if name in argv else default

    started = time.strftime("%Y%m%dT%H%M%S")
    work = ROOT / "var" / "bench" / f"login-{started}"
    work.mkdir(parents=True, exist_ok=True)
    stack = suite.start_stack(work / "dev.log") if "--start" in argv else None
    try:
        result = run(
            seconds=option("--seconds", 15),
            users=option("--users", 40),
            clients=option("--clients", 8),
            rate=option("--rate", 20),
            work=work,
        )
    finally:
        if stack is not None:
            suite.stop_stack(stack)
    report(result)
    (work / "results.json").write_text(json.dumps(result, indent=2))
    print(f"results: {work / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
