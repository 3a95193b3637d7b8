"""Runs one declared function: with functions-framework (gunicorn, threads), or for trigger grpc
its entry module's `main(address=...)` (a grpcio server over h2c).

    MYSTORE_FUNCTION=auth-login python -m kit.serve
    python -m kit.serve auth-login

This is the container's command on Knative and the local runner's, so both run the same thing.
"""

import importlib
import logging
import os
import sys

from kit.declaration import load_declaration


def main(argv: list[str]) -> int:
    if argv:
        os.environ["MYSTORE_FUNCTION"] = argv[0]  # before Settings is first read
    from kit.settings import get_settings

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    if not settings.function:
        print("usage: python -m kit.serve FUNCTION (or set MYSTORE_FUNCTION)", file=sys.stderr)
        return 2
    function = load_declaration().function(settings.function)
    port = settings.port or function.port
    if function.trigger == "grpc":
        entry = importlib.import_module(function.source.removesuffix(".py").replace("/", "."))
        entry.main(address=f"{settings.host}:{port}")
        return 0

    import functions_framework
    from functions_framework._http import create_server

    app = functions_framework.create_app(target="main", source=str(function.path), signature_type="http")
    # No gunicorn control socket: every function would share one path under $HOME.
    server = create_server(
        app, False, workers=settings.workers, threads=settings.threads, control_socket_disable=True
    )
    server.run(settings.host, port)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
