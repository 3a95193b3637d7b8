"""Shipping addresses for tests: one that passes every rule, as JSON and as a message."""

from google.protobuf import json_format

from mystore.common.v1.address_pb2 import ShippingAddress

STREET = "Unter den Linden 77"  # a line no log may contain
ADDRESS = {
    "recipientName": "Ada Lovelace",
    "line1": STREET,
    "line2": "Hinterhaus, 3. OG",
    "city": "Berlin",
    "postalCode": "10117",
    "region": "",
    "country": "DE",
    "phone": "+49 30 1234567",
}


def address(**changes: str) -> dict:
    """ADDRESS as JSON, with some fields changed."""
    return {**ADDRESS, **changes}


def address_message(**changes: str) -> ShippingAddress:
    return json_format.ParseDict(address(**changes), ShippingAddress())
