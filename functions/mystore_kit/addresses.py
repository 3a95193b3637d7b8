"""Shipping addresses (mystore.common.v1.ShippingAddress): the rules (their columns: address_columns).

order-create and shipping-create check an address with `checked_address`; a broken rule is a 400
problem whose detail starts with the field's JSON path (e.g. `shippingAddress.postalCode`) and
whose `field` member is that path, so a form can show it next to the field.

Rules, after trimming every value: recipientName, line1 and city are required; country is an
ISO 3166-1 alpha-2 code (any case); region is required where the country uses one (US, CA, AU);
postalCode has its country's shape in POSTAL_CODES (required there) and is otherwise optional,
letters, digits, spaces and hyphens; phone is optional. No value may hold a control character.
An address is personal data: store it, never log it.
"""

import re

from mystore.common.v1.address_pb2 import ShippingAddress
from mystore_kit.errors import Code, Problem

# The longest value of each field, in characters (mystore_kit.address_columns has the same lengths).
MAX_LENGTHS = {
    "recipient_name": 100,
    "line1": 100,
    "line2": 100,
    "city": 80,
    "postal_code": 12,
    "region": 80,
    "country": 2,
    "phone": 32,
}
REQUIRED = ("recipient_name", "line1", "city", "country")
REGION_REQUIRED = frozenset({"US", "CA", "AU"})

# ISO 3166-1 alpha-2, all 249 officially assigned codes.
COUNTRIES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
    BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
    EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
    HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
    LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
    NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
    TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
    """.split()
)

# The countries whose postal codes are checked for shape: (pattern, an example for the message).
POSTAL_CODES = {
    "AT": (r"\d{4}", "1010"),
    "AU": (r"\d{4}", "2000"),
    "BE": (r"\d{4}", "1000"),
    "CA": (r"[A-Z]\d[A-Z] ?\d[A-Z]\d", "K1A 0B1"),
    "CH": (r"\d{4}", "8001"),
    "DE": (r"\d{5}", "10115"),
    "DK": (r"\d{4}", "1050"),
    "ES": (r"\d{5}", "28013"),
    "FI": (r"\d{5}", "00100"),
    "FR": (r"\d{5}", "75001"),
    "GB": (r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", "SW1A 1AA"),
    "IT": (r"\d{5}", "00184"),
    "JP": (r"\d{3}-?\d{4}", "100-0001"),
    "LU": (r"\d{4}", "1009"),
    "NL": (r"\d{4} ?[A-Z]{2}", "1012 AB"),
    "NO": (r"\d{4}", "0150"),
    "PL": (r"\d{2}-\d{3}", "00-950"),
    "PT": (r"\d{4}-\d{3}", "1100-148"),
    "SE": (r"\d{3} ?\d{2}", "111 52"),
    "US": (r"\d{5}(-\d{4})?", "94105"),
}
OTHER_POSTAL_CODE = re.compile(r"[A-Z0-9][A-Z0-9 -]*")
MIN_PHONE_DIGITS = 5
PHONE = re.compile(r"\+?[0-9 ().-]+")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")

JSON_NAMES = {name: ShippingAddress.DESCRIPTOR.fields_by_name[name].json_name for name in MAX_LENGTHS}


def field_problem(path: str, detail: str) -> Problem:
    return Problem(Code.INVALID_ARGUMENT, f"{path} {detail}", field=path)


def checked_address(address: ShippingAddress, *, path: str = "shippingAddress") -> ShippingAddress:
    """The address trimmed, country and postal code upper-cased; a 400 problem naming the field
    of the first broken rule."""
    values = {name: getattr(address, name).strip() for name in MAX_LENGTHS}
    values["country"] = values["country"].upper()
    values["postal_code"] = values["postal_code"].upper()
    for name, value in values.items():
        where = f"{path}.{JSON_NAMES[name]}"
        if CONTROL.search(value):
            raise field_problem(where, "must not contain control characters or line breaks")
        if name in REQUIRED and not value:
            raise field_problem(where, "is required")
        if len(value) > MAX_LENGTHS[name] and name != "country":
            raise field_problem(where, f"is longer than {MAX_LENGTHS[name]} characters")
    country = values["country"]
    if country not in COUNTRIES:
        given = address.country.strip()[:10]
        raise field_problem(f"{path}.country", f"{given!r} is not an ISO 3166-1 alpha-2 code (like DE)")
    if country in REGION_REQUIRED and not values["region"]:
        raise field_problem(f"{path}.region", f"is required for {country} (state, province or territory)")
    check_postal_code(values["postal_code"], country, f"{path}.postalCode")
    phone = values["phone"]
    if phone and (not PHONE.fullmatch(phone) or sum(c.isdigit() for c in phone) < MIN_PHONE_DIGITS):
        raise field_problem(f"{path}.phone", "needs at least 5 digits and only spaces, + ( ) - . besides")
    return ShippingAddress(**values)


def check_postal_code(code: str, country: str, where: str) -> None:
    if country in POSTAL_CODES:
        pattern, example = POSTAL_CODES[country]
        if not code:
            raise field_problem(where, f"is required for {country}")
        if not re.fullmatch(pattern, code):
            raise field_problem(where, f"{code!r} is not a postal code of {country} (like {example})")
    elif code and not OTHER_POSTAL_CODE.fullmatch(code):
        raise field_problem(where, "may hold only letters, digits, spaces and hyphens")
