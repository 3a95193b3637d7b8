"""Runs one declared function: the cluster's entry point, and the composition root of a function.

    MYSTORE_FUNCTION=auth-login python -m mystore_kit.serve
    python -m mystore_kit.serve auth-login

It configures the process's JSON logs (kit.logs) and tracing (kit.tracing, off unless an endpoint
is set), installs the Kafka transport for the outbox (events.kafka) and serves the function: an HTTP
function with functions-framework's `create_app` under gunicorn (threads), a gRPC one by its entry
module's `main(address=...)`. This is the container's command on Knative; the local runner runs
the same with `--kafka`, and `mystore_local.serve` (the direct channel) without a broker.
"""

import importlib
import logging
import os
import sys

import gunicorn.app.base
import gunicorn.glogging

from mystore_kit.events import publisher
from mystore_kit.events.transport import Transport


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
    Gunicorn(app, bind=f"{settings.host}:{port}", workers=settings.workers, threads=settings.threads).run()
    return 0


class Gunicorn(gunicorn.app.base.BaseApplication):
    """gunicorn serving one WSGI app, configured in code (what functions-framework's CLI does)."""

    def __init__(self, app, **options: object) -> None:  # noqa: ANN001 - a WSGI app
        # No control socket: every function would share one path under $HOME.
        self.options = {
            "loglevel": "error",
            "logger_class": GunicornLogs,
            "limit_request_line": 0,
            "timeout": 0,
            "control_socket_disable": True,
        }
        self.options.update(options)
        self.app = app
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):  # noqa: ANN201
        return self.app


class GunicornLogs(gunicorn.glogging.Logger):
    """gunicorn's own messages go through the root logger: JSON lines like the rest (kit.logs)."""

    def setup(self, cfg) -> None:  # noqa: ANN001 - gunicorn's Config
        self.error_log.handlers.clear()
        self.error_log.propagate = True
        self.error_log.setLevel(self.LOG_LEVELS.get(cfg.loglevel.lower(), logging.ERROR))
        self.access_log.handlers.clear()
        self.access_log.propagate = False  # no access log (accesslog is not set)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
