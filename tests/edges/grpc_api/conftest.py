"""grpc-api served in this process on a free port, every service's database migrated (SQLite and
PostgreSQL), function-to-function calls (order-create -> catalog-list) to the functions in-process."""

from types import SimpleNamespace

import grpc
import pytest

from mystore.analytics.v1 import analytics_pb2_grpc
from mystore.auth.v1 import auth_pb2_grpc
from mystore.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from mystore.notification.v1 import notification_pb2_grpc
from mystore.order.v1 import order_pb2_grpc
from mystore.shipping.v1 import shipping_pb2_grpc
from mystore_edges.grpc_api.server import start
from tests.conftest import ADMIN_EMAIL
from tests.edges.grpc_api.calls import sign_up


@pytest.fixture
def server(database_url, functions_in_process):
    running = start(address="127.0.0.1:0", threads=4)
    yield running
    running.stop(grace=None)


@pytest.fixture
def channel(server):
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        yield channel


@pytest.fixture
def api(channel):
    """A stub per service."""
    return SimpleNamespace(
        auth=auth_pb2_grpc.AuthServiceStub(channel),
        catalog=catalog_pb2_grpc.CatalogServiceStub(channel),
        orders=order_pb2_grpc.OrderServiceStub(channel),
        shipping=shipping_pb2_grpc.ShippingServiceStub(channel),
        notification=notification_pb2_grpc.NotificationServiceStub(channel),
        analytics=analytics_pb2_grpc.AnalyticsServiceStub(channel),
    )


@pytest.fixture
def user(api):
    return sign_up(api)


@pytest.fixture
def admin(api):
    return sign_up(api, ADMIN_EMAIL)


@pytest.fixture
def products(api):
    return list(api.catalog.ListProducts(catalog_pb2.ListProductsRequest()).products)
