"""The storefront's country list (frontend/src/address.ts) is the one order-create accepts."""

import re
from pathlib import Path

from mystore_kit.addresses import COUNTRIES, POSTAL_CODES, REGION_REQUIRED

ADDRESS_TS = (Path(__file__).resolve().parents[3] / "frontend" / "src" / "address.ts").read_text()


def test_the_storefront_offers_exactly_the_countries_the_server_accepts():
    (codes,) = re.findall(r"export const COUNTRY_CODES = `(.*?)`", ADDRESS_TS, re.S)
    assert codes.split() == sorted(COUNTRIES) and len(COUNTRIES) == 249


def listed(name: str) -> set[str]:
    (codes,) = re.findall(rf"export const {name} = \[(.*?)\]", ADDRESS_TS, re.S)
    return set(re.findall(r"'([A-Z]{2})'", codes))


def test_the_storefront_asks_for_a_region_and_postal_code_where_the_server_requires_them():
    assert listed("REGION_REQUIRED") == REGION_REQUIRED
    assert listed("POSTAL_CODE_REQUIRED") == set(POSTAL_CODES)
