"""GET /api/orders/{id}/events: the current state first, then changes pushed by OrderStatusChanged."""

import json
import threading
from collections import Counter
from urllib.parse import urlsplit

import pytest

from mystore_edges.bff import live_status
from mystore_edges.bff.watchers import watchers
from mystore_kit import client
from tests.edges.bff.test_order_api import ping, place, sign_in
from tests.support import in_process_post, post_event

WAIT = 60  # seconds a stream may take (a bound that keeps a broken push from hanging the run)


@pytest.fixture
def calls(functions_in_process, monkeypatch):
    """Calls to each function from this process (the in-process transport, counting)."""
    counted = Counter()

    def counting(url, **kwargs):
        counted[urlsplit(url).hostname.removesuffix(".functions.test")] += 1
        return in_process_post(url, **kwargs)

    monkeypatch.setattr(client, "http_post", counting)
    return counted


@pytest.fixture
def shopper(bff, database_url):
    sign_in(bff, "viewer@example.com")
    return bff


@pytest.fixture
def products(shopper):
    return shopper.get("/api/products").get_json()["products"]


class Stream:
    """An open event stream, read by a thread of its own as a browser would."""

    def __init__(self, client, order_id: str) -> None:
        self.response = client.get(f"/api/orders/{order_id}/events", buffered=False)
        self.events: list[dict] = []
        self.arrived = threading.Condition()
        self.ended = threading.Event()
        threading.Thread(target=self.read, daemon=True).start()

    def read(self) -> None:
        buffer = ""
        try:
            for chunk in self.response.response:
                buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
                while "\n\n" in buffer:
                    block, buffer = buffer.split("\n\n", 1)
                    fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
                    if fields.get("event") == "status":
                        with self.arrived:
                            self.events.append(json.loads(fields["data"]))
                            self.arrived.notify_all()
        finally:
            self.response.close()
            self.ended.set()

    def wait_for(self, count: int) -> list[dict]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.events) >= count, timeout=WAIT)
        return list(self.events)


def ship_everything() -> None:
    """OrderCreated -> shipment -> ShipmentCreated -> SHIPPED -> OrderStatusChanged -> the BFF."""
    ping("order-outbox-relay")
    ping("shipping-outbox-relay")
    ping("order-outbox-relay")


def test_the_stream_starts_with_the_state_and_the_change_is_pushed_without_polling(shopper, products, calls):
    order = place(shopper, products)
    stream = Stream(shopper, order["id"])
    assert stream.response.status_code == 200
    assert stream.response.mimetype == "text/event-stream"
    assert stream.wait_for(1) == [{"status": "PENDING", "trackingId": None}]
    reads_at_connect = calls["order-get"]
    assert reads_at_connect == 1

    ship_everything()

    assert stream.ended.wait(WAIT)  # SHIPPED is final: the stream ends
    (pending, shipped) = stream.events
    assert shipped["status"] == "SHIPPED" and shipped["trackingId"].startswith("MS-")
    assert shipped["trackingId"] == shopper.get(f"/api/orders/{order['id']}").get_json()["trackingId"]
    # the stream read the order once more, when the event rang; and the GET just above
    assert calls["order-get"] == reads_at_connect + 2
    assert calls["bff"] == 1  # the one OrderStatusChanged delivered to the BFF's sink
    assert watchers.count() == 0


def test_a_shipped_order_streams_its_state_and_ends(shopper, products):
    order = place(shopper, products)
    ship_everything()
    stream = Stream(shopper, order["id"])
    assert stream.ended.wait(WAIT)
    assert [event["status"] for event in stream.events] == ["SHIPPED"]


def test_a_change_between_subscribing_and_the_first_read_is_not_lost(shopper, products, monkeypatch):
    order = place(shopper, products)
    read = live_status.status_of

    def read_while_it_ships(user_id, order_id):
        state = read(user_id, order_id)  # PENDING, read before the order ships
        monkeypatch.setattr(live_status, "status_of", read)
        ship_everything()  # its OrderStatusChanged rings before the stream waits
        return state

    monkeypatch.setattr(live_status, "status_of", read_while_it_ships)
    stream = Stream(shopper, order["id"])
    assert stream.ended.wait(WAIT)
    assert [event["status"] for event in stream.events] == ["PENDING", "SHIPPED"]


def test_another_users_order_is_404_and_watched_by_nobody(bff, shopper, products):
    order = place(shopper, products)
    sign_in(bff, "someone-else@example.com")  # the client's session cookie is now theirs
    response = bff.get(f"/api/orders/{order['id']}/events")
    assert response.status_code == 404
    assert response.get_json()["code"] == "NOT_FOUND"
    assert watchers.count() == 0


def test_a_forged_event_shows_nobody_a_status_the_order_does_not_have(shopper, products, calls):
    order = place(shopper, products)
    stream = Stream(shopper, order["id"])
    stream.wait_for(1)
    user = shopper.get("/api/me").get_json()["id"]
    forged = {"orderId": order["id"], "userId": user, "status": "ORDER_STATUS_SHIPPED"}
    reads = calls["order-get"]
    response = post_event("bff", type="mystore.order.v1.OrderStatusChanged", data=forged)
    assert response.status_code == 200 and response.get_json()["streams"] == 1  # it rang
    for _ in range(WAIT * 20):  # the stream asks the orders service what is true
        if calls["order-get"] > reads:
            break
        stream.ended.wait(0.05)
    assert calls["order-get"] == reads + 1
    assert not stream.ended.is_set() and stream.events == [{"status": "PENDING", "trackingId": None}]
    ship_everything()
    assert stream.ended.wait(WAIT)
    assert [event["status"] for event in stream.events] == ["PENDING", "SHIPPED"]


def test_many_streams_in_one_process_all_hear_their_change(shopper, products, calls):
    orders = [place(shopper, products) for _ in range(8)]
    streams = [Stream(shopper, order["id"]) for order in orders for _ in range(3)]  # 3 tabs each
    for stream in streams:
        assert stream.wait_for(1)[0]["status"] == "PENDING"
    assert watchers.count() == len(streams)

    ship_everything()

    for stream in streams:
        assert stream.ended.wait(WAIT)
        assert [event["status"] for event in stream.events] == ["PENDING", "SHIPPED"]
    assert calls["order-get"] == 2 * len(streams)  # per stream: one read at its start, one per change
    assert watchers.count() == 0


CHANGE = {
    "ce-specversion": "1.0",
    "ce-id": "1",
    "ce-source": "/x",
    "ce-type": "mystore.order.v1.OrderStatusChanged",
}
ORDER, USER = "7d0e6d3a-61b8-4d43-9d0c-5a0f0c1b2a39", "0c4b8bd1-8e8b-4f3c-9f43-1a0b1c2d3e4f"


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"Content-Type": "application/json"}, "{}"),  # not a CloudEvent
        (CHANGE, json.dumps({"orderId": ORDER, "userId": USER, "status": 99})),  # no such status
        (CHANGE, json.dumps({"orderId": ORDER, "userId": USER})),  # no status at all
        (CHANGE, json.dumps({"orderId": ORDER, "userId": USER, "status": "ORDER_STATUS_SHIPPED", "x": 1})),
        ({**CHANGE, "ce-type": "mystore.order.v1.OrderCreated"}, "{}"),  # not what it takes
        (CHANGE, "{}"),  # no order, user or status
    ],
)
def test_the_sink_answers_anything_else_with_a_400(bff, headers, body):
    response = bff.post("/", data=body, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["code"] == "INVALID_ARGUMENT"


def test_get_slash_is_still_the_storefront(bff):
    assert bff.get("/").status_code != 405
