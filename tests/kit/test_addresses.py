"""mystore_kit.addresses and .address_columns: the rules' limits are the columns' lengths."""

import subprocess
import sys

from mystore_kit.address_columns import ShippingAddressColumns, address_columns, stored_address
from mystore_kit.addresses import MAX_LENGTHS, checked_address
from mystore_services.orders.models import Order
from mystore_services.shipping.models import Shipment
from tests.addresses import address_message
from tests.support import FUNCTIONS_DIR


def test_each_column_is_as_long_as_its_field_may_be():
    expected = {f"ship_{name}": longest for name, longest in MAX_LENGTHS.items()}
    for model in (Order, Shipment):
        columns = model.__table__.columns  # type: ignore[attr-defined]
        assert {name: columns[name].type.length for name in expected} == expected, model
        assert all(columns[name].nullable for name in expected)  # orders and shipments from before


def test_an_address_round_trips_through_its_columns_and_none_is_all_null():
    address = checked_address(address_message(line2="", phone=""))
    columns = address_columns(address)
    assert columns["ship_line2"] is None and columns["ship_city"] == "Berlin"
    assert stored_address(ShippingAddressColumns(**columns)) == address
    assert set(address_columns(None).values()) == {None}
    assert stored_address(ShippingAddressColumns(**address_columns(None))) is None


def test_checking_an_address_needs_no_database_library():
    """The BFF imports the rules; SQLModel would cost it start-up time and memory."""
    code = "import sys, mystore_kit.addresses; print('sqlalchemy' in sys.modules)"
    environment = {"PYTHONPATH": str(FUNCTIONS_DIR)}
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True)
    assert result.stdout.decode().strip() == "False", result.stderr.decode()
