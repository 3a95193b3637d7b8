"""Overload: three times what the store sustains, and how fast it is normal again (measures only).

    ./scripts/bench overload [--factor 3] [--seconds 30]     (starts ./scripts/dev --postgres --kafka)

1. sustainable rate: POST /api/orders through the BFF, closed loop (wrk, 16 connections, 10 s): 2xx/s.
2. a probe: orders at 5/s (vegeta) from 10 s before the overload until 30 s after it.
3. the overload: `factor` x the sustainable rate for `seconds`, open loop (vegeta, 10 s timeout).
Reports the overload's accepted (2xx) / shed (503) / other answers and errors (timeouts too), the
p50/p99 of the accepted, and the recovery: seconds from the overload's end until every probe order
from then on is answered 2xx within the normal latency (max(2 x the probe's p99 before, +100 ms)).
Writes var/bench/<time>/overload.json. MYSTORE_ADMISSION=false gives the behaviour without shedding.
"""

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from suite import BASE, ROOT, drain, order_body, query, saturation, shopper, start_stack, stop_stack  # noqa: E402

PROBE_RATE = 5
BEFORE_SECONDS, AFTER_SECONDS = 10, 30


def vegeta() -> str:
    return subprocess.run(
        [str(ROOT / "scripts" / "install-vegeta")], capture_output=True, text=True, check=True
    ).stdout.strip()


def attack(rate: int, seconds: int, work: Path, name: str) -> subprocess.Popen:
    """An open-loop vegeta attack in the background; its results go to work/<name>.bin."""
    return subprocess.Popen(
        [
            vegeta(),
            "attack",
            f"-rate={rate}/s",
            f"-duration={seconds}s",
            f"-targets={work / 'targets'}",
            "-timeout=10s",
            f"-output={work / name}.bin",
        ]
    )


def results(work: Path, name: str) -> list[tuple[float, int, float]]:
    """(sent at, Unix seconds; HTTP status, 0 for no answer; latency ms) per request."""
    text = subprocess.run(
        [vegeta(), "encode", "--to", "csv", str(work / f"{name}.bin")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sorted(
        (int(row[0]) / 1e9, int(row[1]), int(row[2]) / 1e6) for row in csv.reader(text.splitlines())
    )


def percentile(values: list[float], q: float) -> float | None:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 1) if values else None


def recovery(probe: list[tuple[float, int, float]], ended: float, normal_ms: float) -> float | None:
    """Seconds after `ended` from which every probe is 2xx within `normal_ms`; None if never."""
    after = [row for row in probe if row[0] >= ended]
    recovered_at = None
    for sent, status, latency in after:
        fine = 200 <= status < 300 and latency <= normal_ms
        if not fine:
            recovered_at = None
        elif recovered_at is None:
            recovered_at = sent
    return None if recovered_at is None else round(max(0.0, recovered_at - ended), 1)


def summary(rows: list[tuple[float, int, float]]) -> dict:
    accepted = [latency for _, status, latency in rows if 200 <= status < 300]
    codes: dict[str, int] = {}
    for _, status, _ in rows:
        codes[str(status)] = codes.get(str(status), 0) + 1
    return {
        "requests": len(rows),
        "accepted": len(accepted),
        "shed_503": codes.get("503", 0),
        "other": len(rows) - len(accepted) - codes.get("503", 0),
        "status_codes": codes,
        "accepted_p50_ms": percentile(accepted, 0.50),
        "accepted_p99_ms": percentile(accepted, 0.99),
        "accepted_max_ms": percentile(accepted, 1.0),
        "shed_p99_ms": percentile([lat for _, status, lat in rows if status == 503], 0.99),
    }


def overload(token: str, product: str, factor: float, seconds: int, work: Path) -> dict:
    print("sustainable rate (wrk, 16 connections, 10 s)...", file=sys.stderr, flush=True)
    sustained = saturation(token, product, 10, work)
    sustainable = sustained["requests"] - sustained["non_2xx"]
    sustainable_rate = sustainable / 10
    rate = max(1, round(factor * sustainable_rate))
    (work / "body.json").write_text(order_body(product))
    (work / "targets").write_text(
        f"POST {BASE}/api/orders\nContent-Type: application/json\n"
        f"Authorization: Bearer {token}\n@{work / 'body.json'}\n"
    )
    stored_before = query("orders", "select count(*) from orders")[0][0]
    print(f"overload: {rate}/s for {seconds} s, probe {PROBE_RATE}/s...", file=sys.stderr, flush=True)
    probe = attack(PROBE_RATE, BEFORE_SECONDS + seconds + AFTER_SECONDS, work, "probe")
    time.sleep(BEFORE_SECONDS)
    started = time.time()
    load = attack(rate, seconds, work, "overload")
    load.wait()
    probe.wait()
    load_average = os.getloadavg()
    drained = drain()
    ended = started + seconds
    probes = results(work, "probe")
    before = [lat for sent, status, lat in probes if sent < started and 200 <= status < 300]
    normal_ms = max(2 * (percentile(before, 0.99) or 0), (percentile(before, 0.99) or 0) + 100)
    load_rows = results(work, "overload")
    return {
        "sustainable": {
            "orders_per_s": round(sustainable_rate, 1),
            "p50_ms": sustained["p50_ms"],
            "p99_ms": sustained["p99_ms"],
            "non_2xx": sustained["non_2xx"],
        },
        "offered_per_s": rate,
        "seconds": seconds,
        "overload": summary(load_rows),
        "probe_before_p99_ms": percentile(before, 0.99),
        "normal_ms": round(normal_ms, 1),
        "probe_during": summary([row for row in probes if started <= row[0] < ended]),
        "probe_after": summary([row for row in probes if row[0] >= ended]),
        "recovery_s": recovery(probes, ended, normal_ms),
        "orders_stored": query("orders", "select count(*) from orders")[0][0] - stored_before,
        "drain_s": round(drained, 1),
        "load_average_1_5_15": [round(value, 1) for value in load_average],
    }


def main(argv: list[str]) -> int:
    factor = float(argv[argv.index("--factor") + 1]) if "--factor" in argv else 3.0
    seconds = int(argv[argv.index("--seconds") + 1]) if "--seconds" in argv else 30
    started = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    work = ROOT / "var" / "bench" / f"{started}-overload"
    work.mkdir(parents=True, exist_ok=True)
    stack = start_stack(work / "dev.log")
    try:
        token, product = shopper()
        time.sleep(3)
        result = {
            "started": started,
            "admission": os.environ.get("MYSTORE_ADMISSION", "true"),
            "load_average_at_start": round(os.getloadavg()[0], 1),
            **overload(token, product, factor, seconds, work),
        }
    finally:
        stop_stack(stack)
    (work / "overload.json").write_text(json.dumps(result, indent=2))
    s, o = result["sustainable"], result["overload"]
    print(f"\nsustainable: {s['orders_per_s']} orders/s (p99 {s['p99_ms']} ms)")
    print(
        f"overload {result['offered_per_s']}/s for {seconds} s: {o['requests']} requests, "
        f"{o['accepted']} accepted (p50 {o['accepted_p50_ms']} ms, p99 {o['accepted_p99_ms']} ms), "
        f"{o['shed_503']} shed 503 (p99 {o['shed_p99_ms']} ms), {o['other']} other {o['status_codes']}"
    )
    print(
        f"probe p99 before {result['probe_before_p99_ms']} ms; normal is <= {result['normal_ms']} ms; "
        f"recovered {result['recovery_s']} s after the overload; orders stored {result['orders_stored']}"
    )
    print(f"results: {work / 'overload.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
