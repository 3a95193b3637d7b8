"""What tracing costs a function: request latency and CPU with tracing off, then on. Measures,
asserts nothing.

    PYTHONPATH=functions:. .venv/bin/python scripts/benchmarks/tracing_cost.py [REQUESTS] [ROUNDS] [ZIPKIN]

catalog-list (one SELECT per request) is started as Knative starts it (python -m mystore_kit.serve)
on a free port with a throwaway SQLite var dir, once without and once with
MYSTORE_TRACING_ENDPOINT (a running Zipkin: scripts/zipkin start). Each run: 200 warm-up requests,
then REQUESTS (default 2000) one after another over one keep-alive connection; the CPU is the
function's process tree's (gunicorn's arbiter and worker) over the measured requests. ROUNDS
(default 3) alternate off and on, so that a busy machine weighs on both alike.
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from mystore.catalog.v1 import catalog_pb2
from mystore_kit.events.envelope import Envelope
from mystore_kit.messages import encode, full_name

ROOT = Path(os.environ.get("MYSTORE_BENCH_ROOT") or Path(__file__).resolve().parents[2])
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    total = 0
    for process in [str(pid), *children]:
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def run(requests_count: int, endpoint: str) -> dict[str, float]:
    var_dir = tempfile.mkdtemp(prefix="mystore-tracing-bench-")
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'functions'}:{ROOT}",
        "MYSTORE_VAR_DIR": var_dir,
        "MYSTORE_DATABASE_URL": f"sqlite:///{var_dir}/{{service}}.sqlite",
        "MYSTORE_TRACING_ENDPOINT": endpoint,
        "MYSTORE_LOG_LEVEL": "WARNING",
        "PORT": str(port),
    }
    subprocess.run([sys.executable, "-m", "mystore_kit.migrate"], env=env, check=True, capture_output=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "mystore_kit.serve", "catalog-list"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    session = requests.Session()
    request = catalog_pb2.ListProductsRequest()
    envelope = Envelope.new(type=full_name(request), source="/bench", data=encode(request))
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                session.post(url, data=envelope.data, headers=envelope.http_headers(), timeout=5)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        for _ in range(200):
            session.post(url, data=envelope.data, headers=envelope.http_headers(), timeout=5)
        latencies = []
        cpu_before = cpu_seconds(process.pid)
        for _ in range(requests_count):
            started = time.perf_counter()
            answer = session.post(url, data=envelope.data, headers=envelope.http_headers(), timeout=5)
            latencies.append(time.perf_counter() - started)
            assert answer.status_code == 200, answer.text
        cpu = cpu_seconds(process.pid) - cpu_before
    finally:
        process.terminate()
        process.wait(10)
    latencies.sort()
    return {
        "mean_ms": statistics.fmean(latencies) * 1000,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
        "cpu_ms_per_request": cpu / requests_count * 1000,
    }


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 2000
    rounds = int(argv[1]) if len(argv) > 1 else 3
    zipkin = argv[2] if len(argv) > 2 else "http://127.0.0.1:9411"
    print(f"catalog-list, {count} sequential requests per run, {rounds} rounds")
    for round_number in range(1, rounds + 1):
        for label, endpoint in (("tracing off", ""), ("tracing on ", f"{zipkin}/api/v2/spans")):
            result = run(count, endpoint)
            print(
                f"  round {round_number} {label}: mean {result['mean_ms']:.2f} ms"
                f"  p50 {result['p50_ms']:.2f} ms  p99 {result['p99_ms']:.2f} ms"
                f"  function CPU {result['cpu_ms_per_request']:.2f} ms/request",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
