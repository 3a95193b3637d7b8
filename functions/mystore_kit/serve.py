"""Runs one declared function: the cluster's entry point, and the composition root of a function.

    MYSTORE_FUNCTION=auth-login python -m mystore_kit.serve
    python -m mystore_kit.serve auth-login

It configures the process's JSON logs (kit.logs) and tracing (kit.tracing, off unless an endpoint
is set), installs the Kafka transport for the outbox (events.kafka) and serves the function: an HTTP
function with functions-framework's `create_app` under cheroot (one process with threads: no second
process to hold a second copy of the imports) behind kit.admission (at most Settings.threads
requests worked on at once, the excess answered 503 at once), a gRPC one by its entry module's
`main(address=...)`. SIGTERM (what Knative sends) lets running requests finish and their events
go out, then exits.
This is the container's command on Knative; the local runner runs the same with `--kafka`, and
`mystore_local.serve` (the direct channel) without a broker.
"""

import importlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from mystore_kit.events import publisher
from mystore_kit.events.transport import Transport
from mystore_kit.signals import stop_on_signals

if TYPE_CHECKING:
    from cheroot.wsgi import Server

    from mystore_kit.settings import Settings


def main(argv: list[str]) -> int:
    if argv:
        os.environ["MYSTORE_FUNCTION"] = argv[0]  # before Settings is first read
    from mystore_kit.events.kafka import KafkaTransport
    from mystore_kit.settings import get_settings

    return run(KafkaTransport(get_settings().kafka_bootstrap_servers))


def run(transport: Transport) -> int:
    """Serves the function named by Settings.function, publishing its events through `transport`."""
    from mystore_kit import logs, tracing
    from mystore_kit.declaration import load_declaration
    from mystore_kit.settings import get_settings

    settings = get_settings()
    if not settings.function:
        print("usage: python -m mystore_kit.serve FUNCTION (or set MYSTORE_FUNCTION)", file=sys.stderr)
        return 2
    logs.configure(settings.function)
    tracing.configure(settings.function)
    publisher.install(transport)
    function = load_declaration().function(settings.function)
    port = settings.port or function.port
    if function.trigger == "grpc":
        entry = importlib.import_module(function.source.removesuffix(".py").replace("/", "."))
        entry.main(address=f"{settings.host}:{port}")
        return 0

    import functions_framework

    app = functions_framework.create_app(target="main", source=str(function.path), signature_type="http")
    server = http_server(app, settings=settings, address=(settings.host, port), name=function.name)
    server.error_log = cheroot_log  # JSON lines too, not cheroot's own writes to stderr
    stopping = threading.Event()
    stop_on_signals(stopping)
    server.prepare()  # listening from here
    threading.Thread(target=server.serve, name="http", daemon=True).start()
    stopping.wait()
    server.stop()  # running requests finish first
    publisher.wait_for_fast_path()  # their events sent and marked published, not left to the relay
    return 0


SPARE_THREADS = 4  # threads beyond those that work, wait or stream: they answer the excess 503


def http_server(app: Callable, *, settings: "Settings", address: tuple[str, int], name: str) -> "Server":
    """cheroot serving `app` behind kit.admission: enough threads that every request past the
    admission limit reaches it and is answered 503 at once; cheroot's own queue of accepted
    connections is bounded too (full: cheroot's plain 503). Admission off: `threads` threads and
    cheroot's unbounded queue (how it was before issue 12)."""
    from cheroot.wsgi import Server

    from mystore_kit.admission import Admission

    if not settings.admission:
        return Server(address, app, numthreads=settings.threads, server_name=name)
    threads = settings.threads + settings.admission_queue + settings.max_streams + SPARE_THREADS
    return Server(
        address,
        Admission(app, function=name),
        numthreads=threads,
        server_name=name,
        accepted_queue_size=threads,
        accepted_queue_timeout=0,
    )


def cheroot_log(msg: str = "", level: int = logging.INFO, traceback: bool = False) -> None:
    """cheroot's error_log, through logging."""
    logging.getLogger("cheroot").log(level, msg, exc_info=traceback)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
