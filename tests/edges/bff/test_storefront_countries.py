"""The storefront's country list (frontend/src/address.ts) is the one order-create accepts."""

import re
from pathlib import Path

from mystore_kit.addresses import COUNTRIES, REGION_REQUIRED

ADDRESS_TS = (Path(__file__).resolve().parents[3] / "frontend" / "src" / "address.ts").read_text()


def test_the_storefront_offers_exactly_the_countries_the_server_accepts():
    (codes,) = re.findall(r"export const COUNTRY_CODES = `(.*?)`", ADDRESS_TS, re.S)
    assert codes.split() == sorted(COUNTRIES) and len(COUNTRIES) == 249


def test_the_storefront_asks_for_a_region_where_the_server_requires_one():
    (codes,) = re.findall(r"export const REGION_REQUIRED = \[(.*?)\]", ADDRESS_TS)
    assert set(re.findall(r"'([A-Z]{2})'", codes)) == REGION_REQUIRED
