"""Live order status under load: many browsers watching pending orders on one BFF process.

    (a step of ./scripts/bench, scripts/benchmarks/suite.py; measures, asserts nothing)

With the dispatcher paused (SIGSTOP: the orders stay PENDING), it places the orders, opens one
Server-Sent Events stream per order (GET /api/orders/{id}/events, asyncio sockets, reconnecting
like a browser's EventSource), and while they are all open measures GET /api/products latency, the
BFF's RSS, threads and CPU, and how often order-get is called. Then it resumes the dispatcher, the
orders ship, and it measures each status change from the moment order-on-shipment-created applied
it (its inbox row) to the moment the stream delivered it.
"""

import asyncio
import json
import os
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import cpu
import requests

HOST, PORT = "127.0.0.1", 8080
ORDER_GET_METRICS = "http://127.0.0.1:8123/metrics"


class Viewer:
    """One browser tab watching one order: every status event it received, with its arrival time."""

    def __init__(self, order_id: str) -> None:
        self.order_id = order_id
        self.events: list[tuple[float, dict, bool]] = []  # (time.time(), data, first of a connection)
        self.connections = 0
        self.errors: list[str] = []

    @property
    def shipped_at(self) -> float | None:
        return next((at for at, data, _ in self.events if data.get("status") == "SHIPPED"), None)

    @property
    def pushed(self) -> bool:
        """SHIPPED arrived as a change on an open stream, not as the first state of a reconnect."""
        return any(data.get("status") == "SHIPPED" and not first for _, data, first in self.events)


async def read_body(reader: asyncio.StreamReader, chunked: bool):  # noqa: ANN201 - async iterator of bytes
    while True:
        if not chunked:
            data = await reader.read(65536)
            if not data:
                return
            yield data
            continue
        size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
        if size == 0:
            return
        yield await reader.readexactly(size)
        await reader.readexactly(2)


async def watch_once(viewer: Viewer, token: str) -> None:
    """One connection: until the stream ends or SHIPPED arrived."""
    reader, writer = await asyncio.open_connection(HOST, PORT)
    try:
        writer.write(
            f"GET /api/orders/{viewer.order_id}/events HTTP/1.1\r\nHost: {HOST}:{PORT}\r\n"
            f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        status = (await reader.readline()).decode()
        headers = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        if " 200 " not in status:
            viewer.errors.append(status.strip())
            return
        viewer.connections += 1
        first, buffer = True, ""
        async for data in read_body(reader, headers.get("transfer-encoding") == "chunked"):
            buffer += data.decode()
            while "\n\n" in buffer:
                block, buffer = buffer.split("\n\n", 1)
                fields = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line)
                if fields.get("event") == "status":
                    viewer.events.append((time.time(), json.loads(fields["data"]), first))
                    first = False
                    if viewer.shipped_at:
                        return
    finally:
        writer.close()


async def watch(viewer: Viewer, token: str, stopping: asyncio.Event, delay: float) -> None:
    """Like EventSource: reconnects a second after a stream ends, until SHIPPED or told to stop."""
    await asyncio.sleep(delay)
    while not stopping.is_set() and viewer.shipped_at is None:
        try:
            await watch_once(viewer, token)
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            viewer.errors.append(repr(error))
        if viewer.shipped_at is None:
            await asyncio.sleep(1.0)


def run_viewers(viewers: list[Viewer], token: str, per_second: float) -> Callable[[], None]:
    """Starts the viewers, `per_second` of them a second, on an event loop of its own thread;
    returns what stops them."""
    loop = asyncio.new_event_loop()
    stopping = asyncio.Event()

    async def all_of_them() -> None:
        await asyncio.gather(
            *(watch(viewer, token, stopping, index / per_second) for index, viewer in enumerate(viewers))
        )

    thread = threading.Thread(target=loop.run_until_complete, args=(all_of_them(),), daemon=True)
    thread.start()

    def stop() -> None:
        loop.call_soon_threadsafe(stopping.set)
        thread.join(30)

    return stop


def process_of(group: str) -> int:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = [p.decode() for p in (entry / "cmdline").read_bytes().split(b"\0") if p]
                if cpu.group_of(cmdline, (entry / "environ").read_bytes()) == group:
                    return int(entry.name)
            except OSError:
                continue
    raise RuntimeError(f"no {group} process of this checkout is running")


def process_figures(pid: int) -> dict:
    status = Path(f"/proc/{pid}/status").read_text()
    return {
        "rss_mb": round(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024, 1),
        "threads": int(re.search(r"Threads:\s+(\d+)", status).group(1)),
        "cpu_s": cpu.cpu_seconds(pid),
    }


def order_get_calls() -> int:
    text = requests.get(ORDER_GET_METRICS, timeout=10).text
    counts = re.findall(r'^mystore_requests_total\{function="order-get"[^}]*\} (\S+)', text, re.M)
    return int(sum(float(count) for count in counts))


def products_latency(seconds: float) -> dict:
    """GET /api/products, one request after another for `seconds`: p50/p99 and failures."""
    latencies, failures = [], 0
    session = requests.Session()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            session.get(f"http://{HOST}:{PORT}/api/products", timeout=5).raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
        except requests.RequestException:
            failures += 1
        time.sleep(0.02)
    return {**percentiles(latencies), "failures": failures}


def place_orders(count: int, token: str, body: str, shed: Counter) -> list[str]:
    """`count` orders, 16 at a time; an order answered 503 (shed unworked, kit.admission) is placed
    again after its Retry-After, as the storefront's user would, and counted in `shed`."""
    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def place(_: int) -> str:
        for _attempt in range(10):
            response = session.post(
                f"http://{HOST}:{PORT}/api/orders", data=body, headers=headers, timeout=30
            )
            if response.status_code != 503:
                break
            shed["503"] += 1
            time.sleep(float(response.headers.get("Retry-After", "1")))
        response.raise_for_status()
        return response.json()["id"]

    with ThreadPoolExecutor(16) as pool:
        return list(pool.map(place, range(count)))


def percentiles(values: list[float]) -> dict:
    values = sorted(values)
    if not values:
        return {"count": 0}
    pick = lambda q: round(values[min(len(values) - 1, int(q * len(values)))], 1)  # noqa: E731
    return {"count": len(values), "p50_ms": pick(0.5), "p99_ms": pick(0.99), "max_ms": round(values[-1], 1)}


def live_status(
    token: str,
    body: str,
    query: Callable[..., list[tuple]],
    *,
    viewers: int = 500,
    seconds: float = 10,
    connects_per_second: float = 100,
) -> dict:
    """The whole step: `viewers` streams of pending orders (browsers arriving at
    `connects_per_second`), then the orders ship."""
    dispatcher = process_of("dispatcher")
    bff = process_of("bff")
    idle = products_latency(3)
    os.kill(dispatcher, signal.SIGSTOP)  # nothing ships until it resumes
    try:
        shed = Counter()
        order_ids = place_orders(viewers, token, body, shed)
        watching = [Viewer(order_id) for order_id in order_ids]
        calls_before = order_get_calls()
        connect_started = time.time()
        stop = run_viewers(watching, token, connects_per_second)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sum(bool(v.events) for v in watching) < viewers:
            time.sleep(0.2)
        connected = sum(bool(v.events) for v in watching)
        all_open_s = round(time.time() - connect_started, 1)
        calls_open, before = order_get_calls(), process_figures(bff)
        loaded = products_latency(seconds)
        after = process_figures(bff)
        calls_after = order_get_calls()
    finally:
        os.kill(dispatcher, signal.SIGCONT)
    resumed = datetime.now(UTC)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and sum(v.shipped_at is not None for v in watching) < viewers:
        time.sleep(0.5)
    stop()
    applied = dict(
        query("orders", "select id, processed_at from processed_events where processed_at >= %s", resumed)
    )
    shipment_of = dict(query("shipping", "select key, id from outbox where key = any(%s)", order_ids))
    pushed, reconnected = [], []
    for viewer in watching:
        at = applied.get(shipment_of.get(viewer.order_id))
        if viewer.shipped_at is not None and at is not None:
            (pushed if viewer.pushed else reconnected).append((viewer.shipped_at - at.timestamp()) * 1000)
    errors = Counter(error[:60] for viewer in watching for error in viewer.errors)
    return {
        "viewers": viewers,
        "orders_shed_and_placed_again": shed["503"],
        "streams_open": connected,
        "all_open_after_s": all_open_s,
        "products_idle": idle,
        "products_with_viewers": loaded,
        "bff_with_viewers": {
            "rss_mb": after["rss_mb"],
            "threads": after["threads"],
            "cpu_percent": round(100 * (after["cpu_s"] - before["cpu_s"]) / seconds, 1),
        },
        "order_get_calls_to_open": calls_open - calls_before,
        "order_get_calls_per_s_while_open": round((calls_after - calls_open) / seconds, 1),
        "shipped_seen": sum(v.shipped_at is not None for v in watching),
        "connects_per_second": connects_per_second,
        "status_change_to_browser_pushed": percentiles(pushed),
        "status_change_to_browser_on_reconnect": percentiles(reconnected),
        "viewer_errors": dict(errors.most_common(5)),
        "load_average": os.getloadavg()[0],
    }
