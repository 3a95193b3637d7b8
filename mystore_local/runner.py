"""Runs every declared function as its own process on its fixed port, like Knative would.

    python -m mystore_local.runner [--without-dispatcher] [--order ID]    (./scripts/dev calls it)

With a Kafka broker configured it also runs the KafkaSource dispatcher (mystore_local.dispatcher) as a
process of its own, and in every mode it plays the PingSource: a ping CloudEvent to each
ping-triggered function every MYSTORE_LOCAL_PING_SECONDS. Prints the function table, shows each
process's JSON log lines readably after its name (mystore_local.log_view; with --order, only that
order's), keeps them as they came in var/logs/<process>.log, and stops everything on Ctrl-C (or
when a process dies).
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from mystore_kit import client
from mystore_kit.declaration import Function, load_declaration
from mystore_kit.events.envelope import Envelope
from mystore_kit.settings import get_settings
from mystore_local.log_view import OrderFilter, parse, render

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS_DIR = ROOT / "functions"
START_TIMEOUT_SECONDS = 30


class Output:
    """Where the processes' lines go: var/logs/<name>.log as they are, and rendered to stdout."""

    def __init__(self, log_dir: Path, order: OrderFilter | None = None, *, width: int = 28) -> None:
        self.log_dir = log_dir
        self.order = order
        self.width = width  # of the name column
        self.colour = sys.stdout.isatty()
        self.lock = threading.Lock()
        log_dir.mkdir(parents=True, exist_ok=True)

    def relay(self, name: str, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        with open(self.log_dir / f"{name}.log", "w") as kept:
            for line in process.stdout:
                kept.write(line)
                kept.flush()
                entry = parse(line)
                if self.order is not None and (entry is None or not self.order.keeps(entry)):
                    continue
                with self.lock:
                    sys.stdout.write(render(name, entry, line, colour=self.colour, width=self.width) + "\n")
                    sys.stdout.flush()


def start(name: str, module: str, *arguments: str, output: Output) -> subprocess.Popen:
    env = {**os.environ, "MYSTORE_FUNCTION": name, "PYTHONUNBUFFERED": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(FUNCTIONS_DIR), str(ROOT), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, "-m", module, *arguments],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # Ctrl-C reaches the runner only; it stops the children in order
    )
    threading.Thread(target=output.relay, args=(name, process), daemon=True).start()
    return process


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_until_listening(function: Function, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{function.name} exited with code {process.returncode} while starting")
        if listening(function.port):
            return
        time.sleep(0.05)
    raise RuntimeError(
        f"{function.name} did not listen on port {function.port} within {START_TIMEOUT_SECONDS}s"
    )


def ping(functions: list[Function]) -> None:
    """What a PingSource sends on its schedule."""
    for function in functions:
        tick = Envelope.new(
            type="dev.knative.sources.ping",
            source=f"/apis/v1/namespaces/default/pingsources/{function.name}",
            data=b"{}",
        )
        status, answer = client.send(f"http://127.0.0.1:{function.port}", tick, timeout=60)
        if status is None:
            print(f"runner: ping to {function.name} failed: {answer.decode()}", file=sys.stderr)


def print_table(functions: tuple[Function, ...]) -> None:
    print(f"\n  {'function':<30} {'trigger':<8} local URL")
    for function in functions:
        scheme = "grpc" if function.trigger == "grpc" else "http"
        print(f"  {function.name:<30} {function.trigger:<8} {scheme}://127.0.0.1:{function.port}")
    print("\n  storefront and API: http://127.0.0.1:8080   (Ctrl-C stops everything)\n", flush=True)


def stop(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 10
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


def main(argv: list[str]) -> int:
    settings = get_settings()
    order = None
    if "--order" in argv:
        at = argv.index("--order")
        if at + 1 >= len(argv):
            print("runner: --order needs an order id", file=sys.stderr)
            return 2
        order = OrderFilter(argv[at + 1])
    functions = load_declaration().functions
    output = Output(settings.var_dir / "logs", order, width=max(len(f.name) for f in functions))
    pinged = [f for f in functions if f.trigger == "ping"]
    processes: dict[str, subprocess.Popen] = {}
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    busy = [f"{f.name} ({f.port})" for f in functions if listening(f.port)]
    if busy:
        print(
            f"runner: ports already in use, is another ./scripts/dev running? {', '.join(busy)}",
            file=sys.stderr,
        )
        return 1
    try:
        # The composition root: with a broker, the cluster's entry point (Kafka); without, the
        # direct channel that plays Knative's in-memory channel.
        serve = "mystore_kit.serve" if settings.kafka_bootstrap_servers else "mystore_local.serve"
        for function in functions:
            processes[function.name] = start(function.name, serve, function.name, output=output)
        for function in functions:
            wait_until_listening(function, processes[function.name])
        if settings.kafka_bootstrap_servers and "--without-dispatcher" not in argv:
            processes["kafka-source"] = start("kafka-source", "mystore_local.dispatcher", output=output)
        print_table(functions)
        next_ping = time.monotonic() + settings.local_ping_seconds
        while not stopping.is_set():
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"runner: {name} exited with code {process.returncode}; stopping", file=sys.stderr)
                    return 1
            if time.monotonic() >= next_ping:
                threading.Thread(target=ping, args=(pinged,), daemon=True).start()
                next_ping = time.monotonic() + settings.local_ping_seconds
            stopping.wait(0.2)
        print("runner: stopping every function", file=sys.stderr)
        return 0
    except RuntimeError as error:
        print(f"runner: {error}", file=sys.stderr)
        return 1
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
