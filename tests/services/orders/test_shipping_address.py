"""order-create's shipping address: stored with the order, carried in OrderCreated, and checked
field by field (each length at both edges) with 400 problems that name the field."""

import json

import pytest
from sqlmodel import select

from mystore_kit.addresses import POSTAL_CODES
from mystore_kit.database import unit_of_work
from mystore_kit.events.outbox import OutboxEvent
from tests.addresses import ADDRESS, address
from tests.services.orders.test_create import USER, create
from tests.support import post_event

ITEM = "424182c6-815e-596c-8ff1-8f84634d917b"  # a product of the seeded catalog
LONGEST = {"recipientName": 100, "line1": 100, "line2": 100, "city": 80, "region": 80}


def order(products, shipping_address):
    response = create([{"productId": next(iter(products)), "quantity": 1}], address=shipping_address)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["order"]


def rejected(shipping_address, field):
    """The 400 problem order-create answers (no database needed: it checks before it looks)."""
    response = create([{"productId": ITEM, "quantity": 1}], address=shipping_address)
    assert response.status_code == 400, response.get_data(as_text=True)
    problem = response.get_json()
    assert problem["code"] == "INVALID_ARGUMENT" and problem["field"] == field
    assert problem["detail"].startswith(field + " ")
    return problem["detail"]


def test_the_address_is_stored_returned_and_carried_in_order_created(products):
    placed = order(products, address(postalCode=" 10117 ", country="de", city="  Berlin"))
    expected = address(postalCode="10117", country="DE", city="Berlin")
    assert placed["shippingAddress"] == expected
    got = post_event(
        "order-get", type="mystore.order.v1.GetOrderRequest", data={"userId": USER, "orderId": placed["id"]}
    )
    assert got.get_json()["order"]["shippingAddress"] == expected
    listed = post_event("order-list", type="mystore.order.v1.ListOrdersRequest", data={"userId": USER})
    assert listed.get_json()["orders"][0]["shippingAddress"] == expected
    with unit_of_work("orders") as session:
        (event,) = session.exec(select(OutboxEvent)).all()
    assert json.loads(event.data)["shippingAddress"] == expected


def test_an_order_without_an_address_is_400():
    assert rejected(None, "shippingAddress") == "shippingAddress is required: where should the order ship?"


@pytest.mark.parametrize("field", ["recipientName", "line1", "city", "country"])
@pytest.mark.parametrize("value", ["", "   "])
def test_each_required_field_is_required(field, value):
    assert rejected(address(**{field: value}), f"shippingAddress.{field}").endswith("is required")


def test_the_shortest_address_is_taken(products):
    shortest = {"recipientName": "A", "line1": "1", "city": "X", "country": "HK"}  # HK has no postal codes
    assert order(products, shortest)["shippingAddress"] == {
        **{name: "" for name in ADDRESS},
        **shortest,
    }


@pytest.mark.parametrize(("field", "longest"), sorted(LONGEST.items()))
def test_each_field_takes_its_longest_value_and_not_one_more(products, field, longest):
    assert order(products, address(**{field: "ä" * longest}))["shippingAddress"][field] == "ä" * longest
    detail = rejected(address(**{field: "ä" * (longest + 1)}), f"shippingAddress.{field}")
    assert detail.endswith(f"is longer than {longest} characters")


def test_postal_codes_and_phones_take_their_longest_value_and_not_one_more(products):
    longest_code = address(country="BR", postalCode="ABCDEF-12345")  # BR: the permissive check
    assert order(products, longest_code)["shippingAddress"]["postalCode"] == "ABCDEF-12345"
    rejected(address(country="BR", postalCode="ABCDEF-123456"), "shippingAddress.postalCode")
    assert order(products, address(phone="+" + "1" * 31))["shippingAddress"]["phone"] == "+" + "1" * 31
    rejected(address(phone="+" + "1" * 32), "shippingAddress.phone")


@pytest.mark.parametrize("country", ["XX", "D", "DEU", "12", "E U"])
def test_the_country_is_an_iso_3166_alpha_2_code(country):
    assert "is not an ISO 3166-1 alpha-2 code" in rejected(
        address(country=country), "shippingAddress.country"
    )


@pytest.mark.parametrize("country", sorted(POSTAL_CODES))
def test_postal_codes_of_the_well_supported_countries_have_their_shape(country):
    _, example = POSTAL_CODES[country]
    region = {"region": "Somewhere"}
    detail = rejected(
        address(country=country, postalCode=example + "9", **region), "shippingAddress.postalCode"
    )
    assert f"is not a postal code of {country} (like {example})" in detail
    rejected(address(country=country, postalCode="", **region), "shippingAddress.postalCode")


def test_postal_codes_are_upper_cased_and_their_examples_pass(products):
    assert order(products, address(country="GB", postalCode="sw1a 1aa"))["shippingAddress"]["postalCode"] == (
        "SW1A 1AA"
    )
    for country, (_, example) in POSTAL_CODES.items():
        assert order(products, address(country=country, postalCode=example, region="R"))


def test_elsewhere_a_postal_code_is_optional_but_plain(products):
    assert order(products, address(country="IE", postalCode=""))["shippingAddress"]["postalCode"] == ""
    assert order(products, address(country="IE", postalCode="D02 X285"))
    rejected(address(country="IE", postalCode="D02#X285"), "shippingAddress.postalCode")


@pytest.mark.parametrize(("country", "postal_code"), [("US", "94105"), ("CA", "K1A 0B1"), ("AU", "2000")])
def test_the_region_is_required_where_the_country_has_them(products, country, postal_code):
    detail = rejected(address(country=country, postalCode=postal_code, region=""), "shippingAddress.region")
    assert detail == f"shippingAddress.region is required for {country} (state, province or territory)"
    assert order(products, address(country=country, postalCode=postal_code, region="CA"))


@pytest.mark.parametrize("phone", ["call me", "1234", "+49 30 12345x", "++"])
def test_a_phone_has_digits(phone):
    rejected(address(phone=phone), "shippingAddress.phone")


def test_phones_may_have_the_usual_punctuation_or_be_left_out(products):
    assert (
        order(products, address(phone="+49 (30) 123-45.67"))["shippingAddress"]["phone"]
        == "+49 (30) 123-45.67"
    )
    assert order(products, address(phone=""))["shippingAddress"]["phone"] == ""


@pytest.mark.parametrize("field", ["recipientName", "line1", "line2", "city", "region", "phone"])
def test_no_field_holds_a_line_break_or_control_character(field):
    detail = rejected(address(**{field: "Main Street\n1"}), f"shippingAddress.{field}")
    assert detail.endswith("must not contain control characters or line breaks")


def test_the_same_key_with_another_address_is_422(products):
    items = [{"productId": next(iter(products)), "quantity": 1}]
    assert create(items, key="a-1").status_code == 200
    assert create(items, key="a-1").get_json()["created"] is False
    assert create(items, key="a-1", address=address(line2="")).status_code == 422
