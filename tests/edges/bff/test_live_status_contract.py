"""The order's event stream (GET /api/orders/{id}/events) as the OpenAPI document describes it."""

import json

import jsonschema
import pytest

from mystore_edges.bff.app import openapi_document
from tests.edges.bff.test_order_api import ping, place, sign_in

DOCUMENT = json.loads(openapi_document())


@pytest.fixture
def shopper(bff, database_url):
    sign_in(bff, "stream@example.com")
    return bff


@pytest.fixture
def products(shopper):
    return shopper.get("/api/products").get_json()["products"]


def messages(response, *, until: int) -> list[dict]:
    """The first `until` messages with data, parsed as EventSource does (comments skipped)."""
    found, buffer = [], ""
    for chunk in response.response:
        buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
        while "\n\n" in buffer and len(found) < until:
            block, buffer = buffer.split("\n\n", 1)
            fields: dict = {}
            for line in block.split("\n"):
                if line.startswith(":"):
                    continue
                name, _, value = line.partition(":")
                value = value.removeprefix(" ")
                fields[name] = fields[name] + "\n" + value if name == "data" and name in fields else value
            if "retry" in fields:
                fields["retry"] = int(fields["retry"])
            if "data" in fields:
                found.append(fields)
        if len(found) >= until:
            break
    response.close()
    return found


def validator(schema: dict) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({**schema, "components": DOCUMENT["components"]})


def documented_message_schema() -> dict:
    responses = DOCUMENT["paths"]["/api/orders/{order_id}/events"]["get"]["responses"]
    return responses["200"]["content"]["text/event-stream"]["schema"]


def check(message: dict) -> dict:
    """`message` against the document's message schema, and its data against the data's contentSchema."""
    validator(documented_message_schema()).validate(message)
    data_schema = DOCUMENT["components"]["schemas"]["StatusEventMessage"]["properties"]["data"]
    assert data_schema["contentMediaType"] == "application/json"
    data = json.loads(message["data"])
    validator(data_schema["contentSchema"]).validate(data)
    return data


def test_a_pending_orders_stream_starts_with_its_documented_status(shopper, products):
    order = place(shopper, products)
    response = shopper.get(f"/api/orders/{order['id']}/events", buffered=False)
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    (first,) = messages(response, until=1)
    assert check(first) == {"status": "PENDING", "trackingId": None}
    assert first["event"] == "status"


def test_a_shipped_orders_stream_is_one_documented_status_and_ends(shopper, products):
    order = place(shopper, products)
    ping("order-outbox-relay")  # OrderCreated → shipping-on-order-created
    ping("shipping-outbox-relay")  # ShipmentCreated → the order is SHIPPED
    response = shopper.get(f"/api/orders/{order['id']}/events", buffered=False)
    received = messages(response, until=10)  # the stream ends after the first: the order is SHIPPED
    assert len(received) == 1
    data = check(received[0])
    assert data["status"] == "SHIPPED" and data["trackingId"]


def test_the_documented_schema_rejects_what_the_stream_never_sends():
    with pytest.raises(jsonschema.ValidationError):
        check({"event": "status", "data": json.dumps({"status": "LOST", "trackingId": None})})
    with pytest.raises(jsonschema.ValidationError):
        check({"event": "update", "data": json.dumps({"status": "PENDING", "trackingId": None})})
