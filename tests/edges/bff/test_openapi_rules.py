"""The served document's address rules (bff.openapi_rules) accept exactly what order-create does."""

import json

import jsonschema
import pytest
from google.protobuf import json_format

from mystore.common.v1.address_pb2 import ShippingAddress
from mystore_edges.bff.app import openapi_document
from mystore_kit.addresses import checked_address
from mystore_kit.errors import Problem
from tests.addresses import address

COMPONENTS = json.loads(openapi_document())["components"]
VALIDATOR = jsonschema.Draft202012Validator(
    {"$ref": "#/components/schemas/ShippingAddressInput", "components": COMPONENTS}
)


def server_accepts(value: dict) -> bool:
    message = json_format.ParseDict(value, ShippingAddress())
    try:
        checked_address(message)
    except Problem:
        return False
    return True


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"country": " de ", "postalCode": "10117\t"},
        {"country": "DE", "postalCode": "1011"},
        {"country": "US", "postalCode": "94105", "region": ""},
        {"country": "us", "postalCode": "94105-1234", "region": " CA "},
        {"country": "GB", "postalCode": "sw1a 1aa"},
        {"country": "AD", "postalCode": ""},
        {"country": "AD", "postalCode": "ad-500"},
        {"country": "AD", "postalCode": "-AD"},
        {"country": "XX"},
        {"recipientName": "   "},
        {"recipientName": "a" * 100 + "   "},
        {"recipientName": "a" * 101},
        {"line2": "flat\n3"},
        {"phone": "+49 30 1234"},
        {"phone": "1234"},
        {"phone": "(030) 12-34.5"},
        {"phone": "+ 12345"},
        {"phone": "12345x"},
        {"phone": ""},
    ],
)
def test_the_document_and_the_server_agree_on_an_address(changes):
    value = address(**changes)
    assert VALIDATOR.is_valid(value) == server_accepts(value), value
