"""OrderCreated through a real Kafka broker, on PostgreSQL, as ./scripts/dev --kafka --postgres runs it."""

import json
import signal
import subprocess
import sys
import uuid

import pytest
import requests
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from mystore_kit.addresses import JSON_NAMES
from tests.addresses import address
from tests.events import order_created
from tests.local.stack import BFF, Shopper, Stack, fresh_topics, function_port, wait_for


@pytest.fixture(scope="module")
def stack(tmp_path_factory, kafka_bootstrap, postgres_url):
    fresh_topics(kafka_bootstrap)
    running = Stack(tmp_path_factory.mktemp("kafka"), postgres_url=postgres_url, kafka=kafka_bootstrap)
    running.start("--without-dispatcher")  # the tests run the dispatcher, to kill it
    running.spawn("dispatcher", "mystore_local.dispatcher")
    yield running
    running.stop()
    assert not running.existing_databases()


@pytest.fixture(scope="module")
def shopper(stack):
    return Shopper("kafka-shopper@example.com")


@pytest.fixture(scope="module")
def admin(stack):
    return Shopper("admin@example.com")


def counts(stack):
    return {
        "shipments": stack.count("shipping", "shipments"),
        "notifications": stack.count("notification", "notifications"),
        "counted": stack.query("analytics", "SELECT coalesce(sum(orders), 0) FROM minute_stats")[0][0],
    }


def test_an_order_is_shipped_notified_and_counted_once(stack, shopper, admin):
    before = counts(stack)
    first, second = shopper.products()[:2]
    order = shopper.order(
        [{"productId": first["id"], "quantity": 2}, {"productId": second["id"], "quantity": 1}]
    )
    statuses = shopper.statuses(order["id"], seconds=20)
    assert statuses[-1]["status"] == "SHIPPED" and statuses[-1]["trackingId"].startswith("MS-")
    expected = {key: value + 1 for key, value in before.items()}
    wait_for(lambda: counts(stack) == expected, message=f"{expected}, have {counts(stack)}")
    summary = admin.summary()
    assert summary["orderCount"] == expected["counted"]
    assert (
        stack.query("shipping", f"SELECT count(*) FROM shipments WHERE order_id = '{order['id']}'")[0][0] == 1
    )


def records_on(bootstrap, topic, key):
    """The values of every record on `topic` with `key`, read from the broker."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, consumer_timeout_ms=2000)
    partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    found = [json.loads(record.value) for record in consumer if record.key == key.encode()]
    consumer.close()
    return found


def test_the_address_travels_from_the_bff_through_kafka_to_the_shipment_and_no_log(
    stack, shopper, kafka_bootstrap
):
    to = address(recipientName="Grete Kafka", line1="Kafkastraße 42b", line2="Seitenflügel", city="Prag")
    to |= {"country": "cz", "postalCode": "110 00", "phone": "+420 222 333 444"}
    order = shopper.order([{"productId": shopper.products()[0]["id"], "quantity": 1}], to)
    expected = {**to, "country": "CZ"}
    assert order["shippingAddress"] == expected
    (published,) = records_on(kafka_bootstrap, "orders", order["id"])  # the OrderCreated on the broker
    assert published["shippingAddress"] == expected
    columns = ", ".join(f"ship_{name}" for name in JSON_NAMES)
    row = f"SELECT {columns} FROM shipments WHERE order_id = '{order['id']}'"
    stored = wait_for(lambda: stack.query("shipping", row), message="the shipment")
    assert list(stored[0]) == [expected[json_name] or None for json_name in JSON_NAMES.values()]
    shipped = wait_for(
        lambda: (o := shopper.session.get(f"{BFF}/api/orders/{order['id']}").json())["shipment"] and o,
        message="SHIPPED",
    )
    assert shipped["shipment"]["shippingAddress"] == expected and shipped["shippingAddress"] == expected
    email = f'"orderId": "{order["id"]}"'
    wait_for(lambda: email in stack.log("runner"), message="the email line")
    (line,) = [line for line in stack.log("runner").splitlines() if email in line]
    assert '"shipsTo": {"city": "Prag", "country": "CZ"}' in line
    logs = stack.log("runner") + stack.log("dispatcher")
    for personal in ("Kafkastraße", "Grete Kafka", "Seitenflügel", "222 333 444"):
        assert personal not in logs, personal


def test_an_old_order_created_without_an_address_ships_marked_missing(stack, kafka_bootstrap):
    event, event_id = order_created(with_address=False), str(uuid.uuid4())
    publish_with_kcat(kafka_bootstrap, event, event_id=event_id)
    query = f"SELECT tracking_id, ship_country FROM shipments WHERE order_id = '{event['orderId']}'"
    ((tracking_id, country),) = wait_for(lambda: stack.query("shipping", query), message="the shipment")
    assert country is None
    reply = requests.post(
        f"http://127.0.0.1:{function_port('shipping-get')}",
        json={"trackingId": tracking_id},
        headers={"ce-specversion": "1.0", "ce-id": "1", "ce-source": "/tests", "ce-type": GET_SHIPMENT},
        timeout=10,
    )
    assert reply.status_code == 200 and reply.json()["shipment"]["addressMissing"] is True
    notified = f"SELECT count(*) FROM notifications WHERE order_id = '{event['orderId']}'"
    wait_for(lambda: stack.query("notification", notified)[0][0] == 1, message="the email")
    dead = f"SELECT count(*) FROM dead_letters WHERE event_id = '{event_id}'"
    assert stack.query("deadletter", dead)[0][0] == 0


GET_SHIPMENT = "mystore.shipping.v1.GetShipmentRequest"


def test_the_same_order_created_twice_changes_nothing_the_second_time(stack, shopper, kafka_bootstrap):
    product = shopper.products()[0]
    order = shopper.order([{"productId": product["id"], "quantity": 1}])
    wait_for(
        lambda: (
            shopper.session.get(f"http://127.0.0.1:8080/api/orders/{order['id']}").json()["status"]
            == "SHIPPED"
        ),
        message="shipped",
    )
    settled = wait_for(lambda: (c := counts(stack))["counted"] == c["shipments"] and c, message="settled")
    ((event_id, key, data),) = stack.query(
        "orders", f"SELECT id, key, data FROM outbox WHERE key = '{order['id']}' AND topic = 'orders'"
    )
    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    headers = [
        ("ce_specversion", b"1.0"),
        ("ce_id", event_id.encode()),
        ("ce_source", b"/mystore/order"),
        ("ce_type", b"mystore.order.v1.OrderCreated"),
        ("content-type", b"application/json"),
    ]
    producer.send("orders", key=key.encode(), value=bytes(data), headers=headers).get(10)
    producer.close()
    # A later event on the duplicate's partition (its key): each consumer group applies it after the
    # duplicate, so once all three counted the marker, a duplicate applied would show as one more.
    marker = order_created()
    publish_with_kcat(kafka_bootstrap, marker, event_id=str(uuid.uuid4()), key=key)
    expected = {name: value + 1 for name, value in settled.items()}
    wait_for(lambda: counts(stack) == expected, message="the marker, after the duplicate")


def publish_with_kcat(bootstrap, event, *, event_id, key=None):
    """`event` as a binary-mode record, keyed by its order (or `key`: another order's partition)."""
    subprocess.run(
        [
            "kcat",
            "-P",
            "-b",
            bootstrap,
            "-t",
            "orders",
            "-k",
            key or event["orderId"],
            "-H",
            "ce_specversion=1.0",
            "-H",
            f"ce_id={event_id}",
            "-H",
            "ce_source=/kcat",
            "-H",
            "ce_type=mystore.order.v1.OrderCreated",
            "-H",
            "content-type=application/json",
        ],
        input=json.dumps(event).encode(),
        check=True,
        timeout=30,
    )


def test_a_record_from_kcat_is_handled_once(stack, kafka_bootstrap):
    before = counts(stack)
    event, event_id = order_created(), str(uuid.uuid4())
    publish_with_kcat(kafka_bootstrap, event, event_id=event_id)
    wait_for(lambda: counts(stack) == {k: v + 1 for k, v in before.items()}, message="the kcat order")
    assert (
        stack.query("shipping", f"SELECT count(*) FROM shipments WHERE order_id = '{event['orderId']}'")[0][0]
        == 1
    )
    publish_with_kcat(kafka_bootstrap, event, event_id=event_id)  # the very same event again
    marker = order_created()  # after it on its partition: applied after the duplicate everywhere
    publish_with_kcat(kafka_bootstrap, marker, event_id=str(uuid.uuid4()), key=event["orderId"])
    expected = {k: v + 2 for k, v in before.items()}
    wait_for(lambda: counts(stack) == expected, message="the marker, after the duplicate")


def test_a_poison_event_is_dead_lettered_without_retries_and_listed(stack, kafka_bootstrap):
    publish_with_kcat(kafka_bootstrap, {"orderId": "not a uuid", "surprise": True}, event_id="poison-1")
    query = "SELECT sink, status, attempts FROM dead_letters WHERE event_id = 'poison-1'"
    # One per subscriber of `orders`.
    letters = wait_for(
        lambda: len(rows := stack.query("deadletter", query)) == 3 and rows, message="3 letters"
    )
    assert {(status, attempts) for _, status, attempts in letters} == {(400, 1)}
    listed = subprocess.run(
        [sys.executable, "-m", "mystore_services.deadletter.cli", "list"],
        env=stack.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert listed.count("id=poison-1") == 3


def test_killing_the_dispatcher_mid_stream_loses_and_duplicates_nothing(stack, shopper):
    before = counts(stack)
    product = shopper.products()[1]
    placed = []
    for n in range(200):
        placed.append(shopper.order([{"productId": product["id"], "quantity": 1}])["id"])
        if n == 60:
            wait_for(lambda: counts(stack)["shipments"] > before["shipments"], message="deliveries under way")
            stack.processes["dispatcher"].send_signal(signal.SIGKILL)
            stack.processes["dispatcher"].wait(10)
        if n == 120:
            stack.spawn("dispatcher", "mystore_local.dispatcher")
    expected = {key: value + 200 for key, value in before.items()}
    wait_for(lambda: counts(stack) == expected, seconds=240, every=1, message=f"{expected}")
    ids = "', '".join(placed)
    shipped = f"SELECT count(*) FROM orders WHERE id IN ('{ids}') AND status = 'SHIPPED'"
    wait_for(lambda: stack.query("orders", shipped)[0][0] == 200, seconds=60, message="200 shipped orders")
    assert stack.count("shipping", "shipments") == expected["shipments"]  # and not one more since
    distinct = f"SELECT count(DISTINCT order_id) FROM shipments WHERE order_id IN ('{ids}')"
    assert stack.query("shipping", distinct)[0][0] == 200
