"""The grpcio server of grpc-api: the store's services, server reflection and the health service."""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from mystore_edges.grpc_api import servicers
from mystore_kit import metrics
from mystore_kit.settings import get_settings
from mystore_kit.signals import stop_on_signals

GRACE_SECONDS = 5.0  # in-flight calls may finish after SIGTERM (Knative waits longer than this)
_log = logging.getLogger("mystore.grpc_api")


@dataclass(frozen=True)
class Running:
    server: grpc.Server
    health: health.HealthServicer
    port: int

    def stop(self, *, grace: float | None = GRACE_SECONDS) -> None:
        """Reports NOT_SERVING, refuses new calls and lets running ones finish within `grace`."""
        self.health.enter_graceful_shutdown()
        self.server.stop(grace).wait()


def start(*, address: str, threads: int) -> Running:
    """Serves on `address` (host:port; port 0 picks a free one) over h2c, i.e. without TLS."""
    # No SO_REUSEPORT (grpcio's default on Linux): a port in use must fail, not be shared.
    # Past `threads` calls at once, `admission_queue` more wait; grpcio answers any other call
    # RESOURCE_EXHAUSTED at once (kit.admission's rule, in gRPC's terms).
    settings = get_settings()
    server = grpc.server(
        ThreadPoolExecutor(max_workers=threads, thread_name_prefix="grpc-api"),
        options=[("grpc.so_reuseport", 0)],
        maximum_concurrent_rpcs=threads + settings.admission_queue if settings.admission else None,
    )
    server.add_generic_rpc_handlers(servicers.handlers())
    checker = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(checker, server)
    names = servicers.service_names()
    reflection.enable_server_reflection([*names, health.SERVICE_NAME, reflection.SERVICE_NAME], server)
    port = server.add_insecure_port(address)
    server.start()
    for name in ("", *names):  # "" is the server as a whole
        checker.set(name, health_pb2.HealthCheckResponse.SERVING)
    return Running(server=server, health=checker, port=port)


def serve(*, address: str) -> None:
    """Serves until SIGTERM or SIGINT, then shuts down gracefully (mystore_kit.serve calls it)."""
    running = start(address=address, threads=get_settings().threads)
    _log.info("serving %s over gRPC (h2c) on %s", ", ".join(servicers.service_names()), address)
    metrics_port = metrics.serve_metrics(int(address.rsplit(":", 1)[1]) + 1)  # gRPC has no GET /metrics
    if metrics_port:
        _log.info("metrics at http://%s:%d/metrics", get_settings().host, metrics_port)
    stopping = threading.Event()
    stop_on_signals(stopping)
    stopping.wait()
    _log.info("stopping: in-flight calls get %.0f s", GRACE_SECONDS)
    running.stop()
