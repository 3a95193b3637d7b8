"""Runs every declared function as its own process on its fixed port, like Knative would.

    python -m local.runner    (./scripts/dev calls it after migrating and building)

Prints the function table, prefixes each process's output with its name, and stops everything on
Ctrl-C (or when one process dies).
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from kit.declaration import Function, load_declaration

FUNCTIONS_DIR = Path(__file__).resolve().parents[1]
START_TIMEOUT_SECONDS = 30


def start(function: Function) -> subprocess.Popen:
    env = {**os.environ, "MYSTORE_FUNCTION": function.name, "PYTHONUNBUFFERED": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(FUNCTIONS_DIR), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, "-m", "kit.serve", function.name],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # Ctrl-C reaches the runner only; it stops the children in order
    )
    threading.Thread(target=relay_output, args=(function.name, process), daemon=True).start()
    return process


def relay_output(name: str, process: subprocess.Popen) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        sys.stdout.write(f"{name:>28} | {line}")
        sys.stdout.flush()


def wait_until_listening(function: Function, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{function.name} exited with code {process.returncode} while starting")
        try:
            with socket.create_connection(("127.0.0.1", function.port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(
        f"{function.name} did not listen on port {function.port} within {START_TIMEOUT_SECONDS}s"
    )


def print_table(functions: tuple[Function, ...]) -> None:
    print(f"\n  {'function':<30} {'trigger':<8} local URL")
    for function in functions:
        print(f"  {function.name:<30} {function.trigger:<8} http://127.0.0.1:{function.port}")
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


def main() -> int:
    functions = load_declaration().functions
    processes: dict[str, subprocess.Popen] = {}
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    try:
        for function in functions:
            processes[function.name] = start(function)
        for function in functions:
            wait_until_listening(function, processes[function.name])
        print_table(functions)
        while not stopping.is_set():
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"runner: {name} exited with code {process.returncode}; stopping", file=sys.stderr)
                    return 1
            stopping.wait(0.5)
        print("runner: stopping every function", file=sys.stderr)
        return 0
    except RuntimeError as error:
        print(f"runner: {error}", file=sys.stderr)
        return 1
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())
