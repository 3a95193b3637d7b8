"""With the fast-path publish turned off, the outbox relay alone delivers every order (Kafka, PostgreSQL)."""

import pytest

from tests.local.stack import Shopper, Stack, fresh_topics, wait_for


@pytest.fixture(scope="module")
def stack(tmp_path_factory, kafka_bootstrap, postgres_url):
    fresh_topics(kafka_bootstrap)
    running = Stack(
        tmp_path_factory.mktemp("relay"),
        postgres_url=postgres_url,
        kafka=kafka_bootstrap,
        MYSTORE_OUTBOX_FAST_PATH="false",
        MYSTORE_LOCAL_PING_SECONDS="1",
    ).start()
    yield running
    running.stop()
    assert not running.existing_databases()


def test_the_relay_alone_publishes_every_order_and_shipment(stack):
    shopper = Shopper("relay@example.com")
    product = shopper.products()[2]
    placed = [shopper.order([{"productId": product["id"], "quantity": 1}])["id"] for _ in range(20)]
    ids = "', '".join(placed)
    shipped = f"SELECT count(*) FROM orders WHERE id IN ('{ids}') AND status = 'SHIPPED'"
    wait_for(lambda: stack.query("orders", shipped)[0][0] == 20, seconds=90, message="20 shipped orders")
    assert stack.count("shipping", "shipments") == 20 and stack.count("notification", "notifications") == 20
    # SHIPPED wrote each order's OrderStatusChanged to the orders outbox: the relay publishes those too.
    unpublished = "SELECT count(*) FROM outbox WHERE published_at IS NULL"
    wait_for(lambda: stack.query("orders", unpublished)[0][0] == 0, seconds=90, message="orders outbox empty")
    changes = "SELECT count(*) FROM outbox WHERE type = 'mystore.order.v1.OrderStatusChanged'"
    assert stack.query("orders", changes)[0][0] == 20
    assert stack.query("shipping", "SELECT count(*) FROM outbox WHERE published_at IS NULL")[0][0] == 0
