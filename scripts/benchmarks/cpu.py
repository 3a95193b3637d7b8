"""CPU seconds per process group of a running store, read from /proc (utime + stime, children
that exited included). Measures, asserts nothing.

    python scripts/benchmarks/cpu.py snapshot > before.json
    python scripts/benchmarks/cpu.py diff before.json [ORDERS]   CPU-s (and CPU-ms per order) since
"""

import json
import os
import sys
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
ROOT = Path(__file__).resolve().parents[2]


def kafka_dir() -> str:
    """The broker of the store measured: ./scripts/dev's, or the one MYSTORE_KAFKA_DIR names."""
    return os.environ.get("MYSTORE_KAFKA_DIR", "/var/tmp/mystore-kafka")


def group_of(cmdline: list[str], environ: bytes) -> str | None:
    """Which part of this checkout's store a process is: its function, the dispatcher, Kafka (the
    store's broker, not the tests' one), PostgreSQL (shared: whatever else uses it counts)."""
    text = " ".join(cmdline)
    if "kafka.Kafka" in text:
        return "kafka broker" if f"{kafka_dir()}/server.properties" in text else None
    if cmdline and ("postgres" in cmdline[0] or text.startswith("postgres:")):
        return "postgresql"
    if "zipkin" in text:
        return "zipkin"
    if not cmdline or not cmdline[0].startswith(str(ROOT)):
        return None  # another checkout's processes
    for variable in environ.split(b"\0"):
        if variable.startswith(b"MYSTORE_FUNCTION="):
            name = variable.split(b"=", 1)[1].decode()
            if "mystore_local.dispatcher" in text:
                return "dispatcher"
            return name or None
    if "mystore_local.dispatcher" in text:
        return "dispatcher"
    if "mystore_local.runner" in text:
        return "runner"
    return None


def cpu_seconds(pid: int) -> float:
    """CPU seconds (utime + stime) one process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def snapshot() -> dict[str, float]:
    totals: dict[str, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        group = group_of([part.decode(errors="replace") for part in cmdline if part], environ)
        if group is None:
            continue
        # utime stime cutime cstime: fields 14-17 of stat, here 11-14 after the command name
        ticks = sum(int(value) for value in fields[11:15])
        totals[group] = totals.get(group, 0.0) + ticks / TICKS
    return totals


def main(argv: list[str]) -> int:
    if argv[:1] == ["snapshot"]:
        json.dump(snapshot(), sys.stdout)
        return 0
    if argv[:1] == ["diff"] and len(argv) >= 2:
        before = json.loads(Path(argv[1]).read_text())
        orders = int(argv[2]) if len(argv) > 2 else 0
        after = snapshot()
        used = {group: after.get(group, 0.0) - before.get(group, 0.0) for group in after}
        total = sum(used.values())
        print(json.dumps({"total_cpu_s": total, "orders": orders, "by_group": used}))
        for group, seconds in sorted(used.items(), key=lambda item: -item[1]):
            share = 100 * seconds / total if total else 0
            per_order = f"{1000 * seconds / orders:8.2f} ms/order" if orders else ""
            print(f"  {group:<32}{seconds:8.2f} s {share:5.1f}% {per_order}", file=sys.stderr)
        if orders:
            whole = f"{1000 * total / orders:8.2f} ms/order"
            print(f"  {'whole stack':<32}{total:8.2f} s        {whole}", file=sys.stderr)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
