"""Fixtures of the deploy tests: the chart rendered with each values file, and with a fuller declaration.

The real declaration grows as functions are written; FUTURE_DECLARATION has every kind of function
and subscription the design names (event sinks, a PingSource, gRPC, dead letters), so that the
templates for them are exercised today. It is rendered from a scratch copy of the chart.
"""

import os
import shutil
from pathlib import Path

import pytest
import yaml

from mystore_kit.declaration import load_declaration
from scripts.lib import deploy_checks as checks

DELIVERY = {
    "retry": 5,
    "backoffPolicy": "exponential",
    "backoffDelay": "PT0.2S",
    "deadLetterSink": "dead-letter",
}
FUTURE_DECLARATION = {
    "functions": [
        {
            "name": "bff",
            "source": "bff/main.py",
            "service": "bff",
            "trigger": "http",
            "port": 8080,
            "public": True,
        },
        {
            "name": "auth-login",
            "source": "auth/login.py",
            "service": "auth",
            "trigger": "rpc",
            "port": 8102,
            "request": "mystore.auth.v1.LoginRequest",
        },
        {
            "name": "catalog-list",
            "source": "catalog/list.py",
            "service": "catalog",
            "trigger": "rpc",
            "port": 8111,
            "request": "mystore.catalog.v1.ListProductsRequest",
        },
        {
            "name": "order-create",
            "source": "orders/create.py",
            "service": "orders",
            "trigger": "rpc",
            "port": 8121,
            "request": "mystore.order.v1.CreateOrderRequest",
        },
        {
            "name": "shipping-on-order-created",
            "source": "shipping/on_order_created.py",
            "service": "shipping",
            "trigger": "event",
            "port": 8141,
        },
        {
            "name": "notification-on-order-created",
            "source": "notification/on_order_created.py",
            "service": "notification",
            "trigger": "event",
            "port": 8142,
        },
        {
            "name": "analytics-on-order-created",
            "source": "analytics/on_order_created.py",
            "service": "analytics",
            "trigger": "event",
            "port": 8143,
        },
        {
            "name": "order-on-shipment-created",
            "source": "orders/on_shipment_created.py",
            "service": "orders",
            "trigger": "event",
            "port": 8144,
        },
        {
            "name": "outbox-relay",
            "source": "outbox/relay.py",
            "service": "outbox",
            "trigger": "ping",
            "port": 8151,
            "schedule": "*/2 * * * *",
        },
        {
            "name": "dead-letter",
            "source": "deadletter/main.py",
            "service": "deadletter",
            "trigger": "event",
            "port": 8161,
        },
        {"name": "grpc-api", "source": "grpc_api/main.py", "service": "bff", "trigger": "grpc", "port": 8170},
    ],
    "subscriptions": [
        {
            "name": "shipping-orders",
            "topic": "orders",
            "consumerGroup": "shipping-on-order-created",
            "sink": "shipping-on-order-created",
            "types": ["mystore.order.v1.OrderCreated"],
            "delivery": DELIVERY,
        },
        {
            "name": "notification-orders",
            "topic": "orders",
            "consumerGroup": "notification-on-order-created",
            "sink": "notification-on-order-created",
            "types": ["mystore.order.v1.OrderCreated"],
            "delivery": DELIVERY,
        },
        {
            "name": "analytics-orders",
            "topic": "orders",
            "consumerGroup": "analytics-on-order-created",
            "sink": "analytics-on-order-created",
            "types": ["mystore.order.v1.OrderCreated"],
            "delivery": DELIVERY,
        },
        {
            "name": "orders-shipments",
            "topic": "shipments",
            "consumerGroup": "order-on-shipment-created",
            "sink": "order-on-shipment-created",
            "types": ["mystore.shipping.v1.ShipmentCreated"],
            "delivery": {**DELIVERY, "backoffPolicy": "linear", "retry": 3},
        },
    ],
}


@pytest.fixture(scope="session")
def schemas() -> Path:
    path = checks.schemas_dir()
    if path is None:
        pytest.fail(f"no strict schemas at {os.environ.get('MYSTORE_SCHEMAS_DIR') or checks.SCHEMAS}")
    return path


@pytest.fixture(scope="session")
def helm() -> str:
    """The cached helm binary (scripts/check-deploy --install builds it when missing)."""
    return checks.tool("helm")


def scratch_chart(directory: Path, declaration: dict) -> Path:
    """A copy of the chart whose files/functions.yaml is `declaration`."""
    chart = directory / "my-store"
    shutil.copytree(checks.CHART, chart)
    (chart / "files" / "functions.yaml").write_text(yaml.safe_dump(declaration, sort_keys=False))
    return chart


@pytest.fixture(scope="session")
def future(tmp_path_factory, helm):
    """(declaration, rendered documents) for FUTURE_DECLARATION with the dev values."""
    directory = tmp_path_factory.mktemp("future")
    (directory / "functions.yaml").write_text(yaml.safe_dump(FUTURE_DECLARATION, sort_keys=False))
    declaration = load_declaration(directory / "functions.yaml")  # the runner's own checks pass on it
    chart = scratch_chart(directory, FUTURE_DECLARATION)
    return declaration, checks.helm_template("values-dev.yaml", chart=chart)


@pytest.fixture(scope="session")
def rendered(helm) -> dict[str, list[dict]]:
    """The real chart rendered with the default, dev and prod values."""
    return {
        "default": checks.helm_template(),
        "dev": checks.helm_template("values-dev.yaml"),
        "prod": checks.helm_template("values-prod.yaml"),
    }
