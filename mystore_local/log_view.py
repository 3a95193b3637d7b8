"""Shows the JSON log lines of the store's processes readably, all of them or one order's.

    python -m mystore_local.log_view [--order ID] [FILE...]      (./scripts/logs; default var/logs/*.log)

The runner (./scripts/dev) renders each process's lines as they come, `time level message`, after
the process's name, in colour when its output is a terminal; it also keeps them as they are in
var/logs/<process>.log. With an order id only that order's lines are shown: the lines tagged with
it, and every line of a trace one of those belongs to (the catalog call of the order, the Kafka
deliveries). Lines that are not JSON are shown as they are, except when filtering.
"""

import json
import sys
from pathlib import Path

from mystore_kit.settings import get_settings

COLOURS = {"DEBUG": "\033[2m", "INFO": "\033[32m", "WARNING": "\033[33m", "ERROR": "\033[31m"}
CRITICAL = "\033[1;31m"
DIM, RESET = "\033[2m", "\033[0m"


def parse(line: str) -> dict | None:
    """The JSON object of a log line, or None when it is not one."""
    if not line.startswith("{"):
        return None
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) and "message" in entry else None


class OrderFilter:
    """Keeps the lines of one order: tagged with it, or in a trace that a tagged line is in."""

    def __init__(self, order_id: str) -> None:
        self.order_id = order_id.strip().lower()
        self.traces: set[str] = set()

    def keeps(self, entry: dict) -> bool:
        trace = entry.get("trace_id")
        if str(entry.get("order_id", "")).lower().startswith(self.order_id) and self.order_id:
            if trace:
                self.traces.add(trace)
            return True
        return bool(trace) and trace in self.traces


def render(name: str, entry: dict | None, line: str, *, colour: bool, width: int = 28) -> str:
    """`name | time level message (order, trace)`; a line that is not JSON, as it is."""
    prefix = f"{name:>{width}} | "
    if entry is None:
        return prefix + line.rstrip("\n")
    time = str(entry.get("time", ""))[11:23]  # HH:MM:SS.mmm of the ISO time
    level = str(entry.get("level", ""))
    tags = []
    if entry.get("order_id"):
        tags.append(f"order={str(entry['order_id'])[:8]}")
    if entry.get("trace_id"):
        tags.append(f"trace={str(entry['trace_id'])[:16]}")
    suffix = f"  ({' '.join(tags)})" if tags else ""
    text = f"{entry.get('message', '')}"
    if entry.get("exception"):
        text += "\n" + "\n".join(" " * (width + 3) + row for row in str(entry["exception"]).splitlines())
    if colour:
        paint = COLOURS.get(level, CRITICAL)
        return f"{DIM}{prefix}{time}{RESET} {paint}{level:<7}{RESET} {text}{DIM}{suffix}{RESET}"
    return f"{prefix}{time} {level:<7} {text}{suffix}"


def main(argv: list[str]) -> int:
    order = None
    if argv[:1] == ["--order"]:
        if len(argv) < 2:
            print("usage: python -m mystore_local.log_view [--order ID] [FILE...]", file=sys.stderr)
            return 2
        order, argv = OrderFilter(argv[1]), argv[2:]
    files = [Path(name) for name in argv] or sorted((get_settings().var_dir / "logs").glob("*.log"))
    lines = []
    for path in files:
        last = ""
        for line in path.read_text(errors="replace").splitlines():
            entry = parse(line)
            last = str(entry.get("time", last)) if entry else last
            lines.append((last, path.stem, entry, line))
    # One story across processes, by time (a line that is not JSON stays after the one before it).
    lines.sort(key=lambda item: item[0])
    if order is not None:  # twice: a trace is known once any of its lines names the order
        for _, _, entry, _ in lines:
            if entry is not None:
                order.keeps(entry)
    colour = sys.stdout.isatty()
    for _, name, entry, line in lines:
        if order is not None and (entry is None or not order.keeps(entry)):
            continue
        print(render(name, entry, line, colour=colour))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
