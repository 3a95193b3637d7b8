"""Runs every declared function as its own process on its fixed port, like Knative would.

    python -m local.runner [--without-dispatcher]    (./scripts/dev calls it)

With a Kafka broker configured it also runs the KafkaSource dispatcher (local.dispatcher) as a
process of its own, and in every mode it plays the PingSource: a ping CloudEvent to each
ping-triggered function every MYSTORE_LOCAL_PING_SECONDS. Prints the function table, prefixes
each process's output with its name, and stops everything on Ctrl-C (or when a process dies).
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests

from kit.declaration import Function, load_declaration
from kit.settings import get_settings

FUNCTIONS_DIR = Path(__file__).resolve().parents[1]
START_TIMEOUT_SECONDS = 30


def start(name: str, module: str, *arguments: str) -> subprocess.Popen:
    env = {**os.environ, "MYSTORE_FUNCTION": name, "PYTHONUNBUFFERED": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(FUNCTIONS_DIR), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, "-m", module, *arguments],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # Ctrl-C reaches the runner only; it stops the children in order
    )
    threading.Thread(target=relay_output, args=(name, process), daemon=True).start()
    return process


def relay_output(name: str, process: subprocess.Popen) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        sys.stdout.write(f"{name:>28} | {line}")
        sys.stdout.flush()


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
        headers = {
            "ce-specversion": "1.0",
            "ce-id": str(uuid.uuid4()),
            "ce-type": "dev.knative.sources.ping",
            "ce-source": f"/apis/v1/namespaces/default/pingsources/{function.name}",
            "Content-Type": "application/json",
        }
        try:
            requests.post(f"http://127.0.0.1:{function.port}", data=b"{}", headers=headers, timeout=60)
        except requests.RequestException as error:
            print(f"runner: ping to {function.name} failed: {error}", file=sys.stderr)


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
    functions = load_declaration().functions
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
        for function in functions:
            processes[function.name] = start(function.name, "kit.serve", function.name)
        for function in functions:
            wait_until_listening(function, processes[function.name])
        if settings.kafka_bootstrap_servers and "--without-dispatcher" not in argv:
            processes["kafka-source"] = start("kafka-source", "local.dispatcher")
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
