"""Runs every declared function as its own process on its fixed port, like Knative would.

    python -m mystore_local.runner [--without-dispatcher] [--order ID]    (./scripts/dev calls it)

With a Kafka broker configured it also runs the KafkaSource dispatcher (mystore_local.dispatcher) as a
process of its own, and in every mode it plays the PingSource: a ping CloudEvent to each
ping-triggered function every MYSTORE_LOCAL_PING_SECONDS. Prints the function table, shows each
process's JSON log lines readably after its name (mystore_local.log_view; with --order ID, only
that order's), and keeps them as they came in var/logs/<process>.log. A function or the
dispatcher that exits is restarted, as the kubelet restarts a container: after 1 s, then 2, 4,
... up to 30 s while it keeps exiting (the kubelet: 10 s doubling to 5 min), the delay starting
over once it ran for 60 s. Only Ctrl-C (or SIGTERM) stops everything.
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
from mystore_kit.signals import stop_on_signals
from mystore_local.log_view import OrderFilter, parse, render

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS_DIR = ROOT / "functions"
START_TIMEOUT_SECONDS = 30


RESTART_DELAY_SECONDS = 1.0  # the first restart's delay; it doubles for each further one in a row
MAX_RESTART_DELAY_SECONDS = 30.0
RAN_FINE_SECONDS = 60.0  # a process that ran this long starts over at the first delay


class Output:
    """Where the processes' lines go: var/logs/<name>.log as they are, and rendered to stdout."""

    def __init__(self, log_dir: Path, order: OrderFilter | None = None, *, width: int = 28) -> None:
        self.log_dir = log_dir
        self.order = order
        self.width = width  # of the name column
        self.colour = sys.stdout.isatty()
        self.lock = threading.Lock()
        log_dir.mkdir(parents=True, exist_ok=True)
        for old in log_dir.glob("*.log"):  # this run's lines only (a restarted process appends)
            old.unlink()

    def relay(self, name: str, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        with open(self.log_dir / f"{name}.log", "a") as kept:
            for line in process.stdout:
                kept.write(line)
                kept.flush()
                entry = parse(line)
                if self.order is not None and (entry is None or not self.order.keeps(entry)):
                    continue
                with self.lock:
                    sys.stdout.write(render(name, entry, line, colour=self.colour, width=self.width) + "\n")
                    sys.stdout.flush()


_output: Output | None = None  # set by main(); None: the lines go to stdout as they are


def start(name: str, module: str, *arguments: str) -> subprocess.Popen:
    env = {**os.environ, "MYSTORE_FUNCTION": name, "PYTHONUNBUFFERED": "1"}
    threads, streams = declared_capacity(name)
    if threads:  # what the chart sets too; an explicit MYSTORE_THREADS wins
        env.setdefault("MYSTORE_THREADS", str(threads))
    if streams:
        env.setdefault("MYSTORE_MAX_STREAMS", str(streams))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(FUNCTIONS_DIR), str(ROOT), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, "-m", module, *arguments],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # Ctrl-C reaches the runner only; it stops the children in order
    )
    relay = _output.relay if _output is not None else relay_output
    threading.Thread(target=relay, args=(name, process), daemon=True).start()
    return process


def declared_capacity(name: str) -> tuple[int, int]:
    """The function's `threads` and `streams` in the declaration (0 when it has none, or is no
    function)."""
    try:
        function = load_declaration().function(name)
    except KeyError:
        return 0, 0
    return function.threads, function.streams


def relay_output(name: str, process: subprocess.Popen) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        sys.stdout.write(f"{name:>28} | {line}")
        sys.stdout.flush()


def restart_delay(restarts_in_a_row: int) -> float:
    """Seconds before restart number `restarts_in_a_row` + 1 of a process that keeps exiting."""
    return min(RESTART_DELAY_SECONDS * 2**restarts_in_a_row, MAX_RESTART_DELAY_SECONDS)


def exit_reason(returncode: int) -> str:
    if returncode < 0:
        return f"was killed by {signal.Signals(-returncode).name}"
    return f"exited with code {returncode}"


class Supervised:
    """One process of the store, restarted with back-off whenever it exits (a kubelet's
    restartPolicy: Always); `check` is called by the runner's loop."""

    def __init__(self, name: str, module: str, *arguments: str) -> None:
        self.name, self.command = name, (module, *arguments)
        self.restarts = 0  # in all
        self.in_a_row = 0  # restarts since it last ran fine
        self.restart_at: float | None = None
        self.process = start(name, *self.command)
        self.started = time.monotonic()

    def check(self, now: float) -> None:
        """Restarts the process when it is due, or schedules that when it has just exited."""
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restart_at = None
                self.restarts += 1
                self.process = start(self.name, *self.command)
                self.started = now
                log(f"restarted {self.name} (pid {self.process.pid}, restart {self.restarts})")
            return
        returncode = self.process.poll()
        if returncode is None:
            return
        end_group(self.process)
        ran = now - self.started
        if ran >= RAN_FINE_SECONDS:
            self.in_a_row = 0
        delay = restart_delay(self.in_a_row)
        self.in_a_row += 1
        self.restart_at = now + delay
        log(f"{self.name} {exit_reason(returncode)} after {ran:.1f} s; restarting it in {delay:.0f} s")


def end_group(process: subprocess.Popen) -> None:
    """Kills what is left of an exited process's group (its own session, see `start`): when a
    container's first process dies, nothing of it survives; here a child it started (a server's
    worker, a tool) would go on holding the port, and the restarted function could not take it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def log(message: str) -> None:
    print(f"runner: {message}", file=sys.stderr, flush=True)


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
            log(f"ping to {function.name} failed: {answer.decode()}")


def print_table(functions: tuple[Function, ...]) -> None:
    print(f"\n  {'function':<30} {'trigger':<8} local URL")
    for function in functions:
        scheme = "grpc" if function.trigger == "grpc" else "http"
        print(f"  {function.name:<30} {function.trigger:<8} {scheme}://127.0.0.1:{function.port}")
    print("\n  storefront and API: http://127.0.0.1:8080   (Ctrl-C stops everything)\n", flush=True)


def stop(children: dict[str, Supervised]) -> None:
    processes = [child.process for child in children.values()]
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


def main(argv: list[str]) -> int:
    global _output
    settings = get_settings()
    functions = load_declaration().functions
    order = None
    if "--order" in argv:
        at = argv.index("--order")
        if at + 1 >= len(argv):
            log("--order needs an order id")
            return 2
        order = OrderFilter(argv[at + 1])
    _output = Output(settings.var_dir / "logs", order, width=max(len(f.name) for f in functions))
    pinged = [f for f in functions if f.trigger == "ping"]
    children: dict[str, Supervised] = {}
    stopping = threading.Event()
    stop_on_signals(stopping)
    busy = [f"{f.name} ({f.port})" for f in functions if listening(f.port)]
    if busy:
        log(f"ports already in use, is another ./scripts/dev running? {', '.join(busy)}")
        return 1
    try:
        # The composition root: with a broker, the cluster's entry point (Kafka); without, the
        # direct channel that plays Knative's in-memory channel.
        serve = "mystore_kit.serve" if settings.kafka_bootstrap_servers else "mystore_local.serve"
        for function in functions:
            children[function.name] = Supervised(function.name, serve, function.name)
        for function in functions:  # a function that cannot even start is a mistake to show now
            wait_until_listening(function, children[function.name].process)
        if settings.kafka_bootstrap_servers and "--without-dispatcher" not in argv:
            children["kafka-source"] = Supervised("kafka-source", "mystore_local.dispatcher")
        print_table(functions)
        next_ping = time.monotonic() + settings.local_ping_seconds
        while not stopping.is_set():
            for child in children.values():
                child.check(time.monotonic())
            if time.monotonic() >= next_ping:
                threading.Thread(target=ping, args=(pinged,), daemon=True).start()
                next_ping = time.monotonic() + settings.local_ping_seconds
            stopping.wait(0.2)
        log("stopping every function")
        return 0
    except RuntimeError as error:
        log(str(error))
        return 1
    finally:
        stop(children)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
