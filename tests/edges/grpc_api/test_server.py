"""The grpc-api server: every proto method served, reflection, health, errors, and mystore_kit.serve."""

import logging
import os
import signal
import socket
import subprocess
import sys
import time

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase
from sqlalchemy.exc import OperationalError

from mystore.catalog.v1 import catalog_pb2 as catalog
from mystore_edges.grpc_api import servicers
from mystore_kit.errors import Code
from tests.edges.grpc_api.calls import failure
from tests.support import FUNCTIONS_DIR

SERVICES = {
    "mystore.auth.v1.AuthService",
    "mystore.catalog.v1.CatalogService",
    "mystore.order.v1.OrderService",
    "mystore.shipping.v1.ShippingService",
    "mystore.notification.v1.NotificationService",
    "mystore.analytics.v1.AnalyticsService",
}


def test_every_method_in_proto_has_its_access_rule_and_a_declared_function():
    served = {m.full_name for s in servicers.SERVICES for m in s.methods}
    assert set(servicers.service_names()) == SERVICES
    assert served == set(servicers.ACCESS)
    assert len(servicers.handlers()) == len(SERVICES)
    create = servicers.method(servicers.SERVICES[2].methods_by_name["CreateOrder"])
    assert (create.function, create.access) == ("order-create", servicers.Access.USER)


@pytest.mark.parametrize("code", list(Code), ids=lambda c: c.name)
def test_every_error_code_is_the_grpc_status_of_its_name(code):
    assert servicers.status_code(code).name == code.name


def test_reflection_lists_the_services_and_describes_them(channel):
    database = ProtoReflectionDescriptorDatabase(channel)
    assert set(database.get_services()) == SERVICES | {
        "grpc.health.v1.Health",
        "grpc.reflection.v1alpha.ServerReflection",
    }
    pool_file = database.FindFileContainingSymbol("mystore.order.v1.OrderService")
    assert pool_file.name == "mystore/order/v1/order.proto"


def test_health_reports_the_server_and_each_service_serving(server, channel):
    health = health_pb2_grpc.HealthStub(channel)
    for name in ["", *SERVICES]:
        reply = health.Check(health_pb2.HealthCheckRequest(service=name))
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
    error = failure(health.Check, health_pb2.HealthCheckRequest(service="no.such.Service"))
    assert error.code() == grpc.StatusCode.NOT_FOUND


def test_a_stopping_server_reports_not_serving(server, channel):
    server.health.enter_graceful_shutdown()
    reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
    assert reply.status == health_pb2.HealthCheckResponse.NOT_SERVING


def test_an_unexpected_error_is_internal_without_its_details(api, monkeypatch, caplog):
    def crash(service):
        raise RuntimeError("secret: postgres://admin:hunter2@db")

    monkeypatch.setattr("mystore_services.catalog.handlers.unit_of_work", crash)
    with caplog.at_level(logging.ERROR):
        error = failure(api.catalog.ListProducts, catalog.ListProductsRequest())
    assert error.code() == grpc.StatusCode.INTERNAL
    assert error.details() == "internal error; it has been logged"
    assert "hunter2" in caplog.text  # logged for the operator, never sent to the client


def test_a_database_that_is_down_is_unavailable(api, monkeypatch):
    def down(service):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr("mystore_services.catalog.handlers.unit_of_work", down)
    error = failure(api.catalog.ListProducts, catalog.ListProductsRequest())
    assert error.code() == grpc.StatusCode.UNAVAILABLE
    assert error.details() == "database unavailable, try again"


def test_bytes_that_are_not_the_request_message_are_invalid_argument(channel):
    raw = channel.unary_unary("/mystore.catalog.v1.CatalogService/ListProducts")
    error = failure(raw, b"\xff\xff\xff")
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details() == "the request is not a valid mystore.catalog.v1.ListProductsRequest"


def test_an_unknown_method_is_unimplemented(channel):
    raw = channel.unary_unary("/mystore.catalog.v1.CatalogService/DeleteEverything")
    assert failure(raw, b"").code() == grpc.StatusCode.UNIMPLEMENTED


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"mystore_kit.serve did not listen on {port} (exit code {process.poll()})")


def test_kit_serve_runs_grpc_api_on_port_and_stops_on_sigterm(database_url, var_dir):
    """grpc-api, with no database of its own, calls catalog-list (each served as on Knative)."""
    port, catalog_port = free_port(), free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(FUNCTIONS_DIR),
        "MYSTORE_VAR_DIR": str(var_dir),
        "MYSTORE_FUNCTION_URL_TEMPLATE": f"http://127.0.0.1:{catalog_port}",  # the only one it calls here
    }
    catalog_list = subprocess.Popen(
        [sys.executable, "-m", "mystore_kit.serve", "catalog-list"],
        env={**env, "PORT": str(catalog_port), "MYSTORE_DATABASE_URL": database_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "mystore_kit.serve", "grpc-api"],
        env={**env, "PORT": str(port)},  # what Knative sets; the declared 8090 is for ./scripts/dev only
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_listening(catalog_port, catalog_list)
        wait_until_listening(port, process)  # as the runner does (a channel would back off instead)
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=10)
            assert reply.status == health_pb2.HealthCheckResponse.SERVING
            stub = channel.unary_unary(
                "/mystore.catalog.v1.CatalogService/ListProducts",
                request_serializer=catalog.ListProductsRequest.SerializeToString,
                response_deserializer=catalog.ListProductsResponse.FromString,
            )
            assert stub(catalog.ListProductsRequest(), timeout=10).products
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)  # graceful: it exits by itself
    finally:
        catalog_list.terminate()
        catalog_list.wait(timeout=30)
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output
    assert f"on 127.0.0.1:{port}" in output and "stopping" in output


def recorded_timeouts(monkeypatch) -> list[tuple[str | None, float]]:
    """What each call of grpc-api to a function carried: its Request-Timeout-Ms and its timeout."""
    from mystore_kit import client
    from tests.support import in_process_post

    seen: list[tuple[str | None, float]] = []

    def recording(url: str, *, body: bytes, headers, timeout: float):
        seen.append((headers.get("Request-Timeout-Ms"), timeout))
        return in_process_post(url, body=body, headers=headers, timeout=timeout)

    monkeypatch.setattr(client, "http_post", recording)
    return seen


def test_a_calls_grpc_deadline_is_passed_on_to_the_function(api, monkeypatch):
    seen = recorded_timeouts(monkeypatch)
    api.catalog.ListProducts(catalog.ListProductsRequest(), timeout=5)
    header, timeout = seen[0]
    assert 0 < int(header) < 6000  # under the call timeout (10 s); gRPC's wire timeout is rounded up
    assert 0 < timeout < 6


def test_without_a_grpc_deadline_the_function_gets_the_call_timeout(api, monkeypatch):
    seen = recorded_timeouts(monkeypatch)
    api.catalog.ListProducts(catalog.ListProductsRequest())
    assert seen[0] == ("10000", 10.0)
