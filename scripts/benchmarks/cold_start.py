"""Cold start and idle memory of each function process (DESIGN.md budgets: first answer within
300 ms of the start, idle under 60 MB RSS). Measures, asserts nothing.

    ./scripts/bench cold-start [FUNCTION...]

Each function is started the way Knative and ./scripts/dev start it (python -m mystore_kit.serve), on a
free port, with a throwaway SQLite var dir; the time runs from the spawn to the first HTTP answer
(any status: a GET is not a valid CloudEvent, which is fine, the process answered). RSS is summed
over the process tree (one process since kit.serve runs cheroot) after the answer, idle.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from mystore_kit.declaration import load_declaration

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def memory_mb(pid: int) -> tuple[float, float]:
    """RSS and PSS summed over the process and its children (PSS counts shared pages once: it is
    what the container's memory is made of)."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    totals = {"Rss:": 0, "Pss:": 0}
    for process in [str(pid), *children]:
        try:
            rollup = Path(f"/proc/{process}/smaps_rollup").read_text()
        except FileNotFoundError:
            continue
        for line in rollup.splitlines():
            field, value, *_ = line.split()
            if field in totals:
                totals[field] += int(value)
    return totals["Rss:"] / 1024, totals["Pss:"] / 1024


def measure(name: str, var_dir: str) -> tuple[float, float, float]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "functions"), "PORT": str(port), "MYSTORE_VAR_DIR": var_dir}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mystore_kit.serve", name],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                requests.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except requests.ConnectionError:
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}") from None
                time.sleep(0.005)
        first_answer = (time.perf_counter() - started) * 1000
        time.sleep(1.0)
        return (first_answer, *memory_mb(process.pid))
    finally:
        process.terminate()
        process.wait(10)


def run(names: list[str] | None = None) -> dict[str, dict]:
    """First answer and idle memory of each declared HTTP function (every one, or `names`), one
    after another, each printed as it is measured."""
    declared = load_declaration().functions
    functions = [f for f in declared if f.trigger != "grpc" and (not names or f.name in names)]
    results = {}
    with tempfile.TemporaryDirectory() as var_dir:
        subprocess.run(
            [sys.executable, "-m", "mystore_kit.tokens", "--generate"],
            check=True,
            env={**os.environ, "MYSTORE_VAR_DIR": var_dir},
            stdout=subprocess.DEVNULL,
        )
        print(f"{'function':<32}{'first answer ms':>16}{'idle RSS MB':>13}{'idle PSS MB':>13}")
        for function in functions:
            millis, rss, pss = measure(function.name, var_dir)
            print(f"{function.name:<32}{millis:>16.0f}{rss:>13.1f}{pss:>13.1f}", flush=True)
            results[function.name] = {
                "first_answer_ms": round(millis),
                "rss_mb": round(rss, 1),
                "pss_mb": round(pss, 1),
            }
    return results


def main(names: list[str]) -> int:
    run(names)
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
