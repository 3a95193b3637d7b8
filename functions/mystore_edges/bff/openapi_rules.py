"""The request rules of the OpenAPI document that mystore_kit.addresses owns, as JSON Schema.

The server trims every text before it checks it, so each pattern allows surrounding whitespace
(what Python's str.strip removes) and states the rule for what is left. app.openapi_document
puts these schemas into the document it serves.
"""

import re
import sys

from mystore_kit.addresses import COUNTRIES, MAX_LENGTHS, POSTAL_CODES, REGION_REQUIRED

WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


def _ranges(chars: str) -> str:
    """`chars` as the inside of a regex character class, with \\uXXXX escapes."""
    out, codes, i = [], sorted(map(ord, chars)), 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        first, last = (f"\\u{codes[k]:04x}" for k in (i, j))
        out.append(first if i == j else f"{first}-{last}")
        i = j + 1
    return "".join(out)


W = f"[{_ranges(WHITESPACE)}]"  # what trimming removes
EDGE = f"[^\\u0000-\\u001f\\u007f{_ranges(WHITESPACE)}]"  # first and last character once trimmed
INNER = "[^\\u0000-\\u001f\\u007f]"  # no control characters or line breaks


def trimmed(inner: str, *, optional: bool) -> str:
    """A pattern for a text that, trimmed, fully matches `inner` (or is empty, if optional)."""
    return f"^{W}*(?:{inner}){'?' if optional else ''}{W}*$"


def text(max_length: int, *, optional: bool) -> str:
    return trimmed(f"{EDGE}(?:{INNER}{{0,{max_length - 2}}}{EDGE})?", optional=optional)


def any_case(code: str) -> str:
    """A postal-code or country pattern matched after upper-casing: letters in either case."""
    return re.sub(r"\[A-Z\]|\[A-Z\\d\]|(?<![\\\[])([A-Z])", _either_case, code)


def _either_case(found: re.Match) -> str:
    if found[1]:
        return f"[{found[1]}{found[1].lower()}]"
    return found[0].replace("A-Z", "A-Za-z")


def field(max_length: int, *, required: bool) -> dict:
    pattern = {"type": "string", "pattern": text(max_length, optional=not required)}
    return pattern if required else {"type": ["string", "null"], "pattern": pattern["pattern"]}


def country_rule(code: str) -> dict:
    """The address rules that hold where `code` is the country."""
    postal, _ = POSTAL_CODES[code]
    rule = {
        "properties": {
            "country": {"pattern": trimmed(any_case(code), optional=False)},
            "postalCode": {"type": "string", "pattern": trimmed(any_case(postal), optional=False)},
        },
        "required": ["postalCode"],
    }
    if code in REGION_REQUIRED:
        rule["properties"]["region"] = field(MAX_LENGTHS["region"], required=True)
        rule["required"].append("region")
    return rule


def other_countries_rule() -> dict:
    others = "|".join(any_case(code) for code in sorted(COUNTRIES - set(POSTAL_CODES)))
    postal = "[A-Za-z0-9](?:[A-Za-z0-9 -]{0,10}[A-Za-z0-9-])?"  # 12 at most, as addresses.OTHER_POSTAL_CODE
    rule = {
        "properties": {
            "country": {"pattern": trimmed(others, optional=False)},
            "postalCode": {"type": ["string", "null"], "pattern": trimmed(postal, optional=True)},
        }
    }
    assert not REGION_REQUIRED - set(POSTAL_CODES), "a region-only country needs a rule of its own"
    return rule


def phone() -> dict:
    plus = "\\+(?:[0-9 ().-]{0,30}[0-9().-])"
    plain = "[0-9().-](?:[0-9 ().-]{0,30}[0-9().-])?"
    return {
        "anyOf": [
            {"type": "null"},
            {"type": "string", "pattern": f"^{W}*$"},
            {
                "type": "string",
                "allOf": [
                    {"pattern": trimmed(f"{plus}|{plain}", optional=False)},
                    {"pattern": "(?:[^0-9]*[0-9]){5}", "description": "at least 5 digits"},
                ],
            },
        ]
    }


def shipping_address_input(described: dict) -> dict:
    """The document's ShippingAddressInput (its descriptions kept) with every rule of addresses.py."""
    required = {"recipient_name", "line1", "city"}
    properties = {
        "recipientName": field(MAX_LENGTHS["recipient_name"], required=True),
        "line1": field(MAX_LENGTHS["line1"], required=True),
        "line2": field(MAX_LENGTHS["line2"], required=False),
        "city": field(MAX_LENGTHS["city"], required=True),
        "postalCode": {"type": ["string", "null"]},
        "region": field(MAX_LENGTHS["region"], required=False),
        "country": {"type": "string"},
        "phone": phone(),
    }
    for name, schema in properties.items():
        if "description" in described["properties"].get(name, {}):
            schema["description"] = described["properties"][name]["description"]
    assert required < set(MAX_LENGTHS)
    return {
        **described,
        "properties": properties,
        "anyOf": [country_rule(code) for code in sorted(POSTAL_CODES)] + [other_countries_rule()],
    }


def email() -> str:
    """Register's email rule (auth.passwords.check_email): once trimmed, no space, a non-empty local
    part before the first @, and a dot in the domain with something other than dots on each side."""
    text, non_dot = "[^ \\u0000]", "[^. \\u0000]"
    end = f"[^. \\u0000{_ranges(WHITESPACE)}]"
    local = f"[^@ \\u0000{_ranges(WHITESPACE)}][^@ \\u0000]*"
    after_dot = f"(?:{text}*{end}|{text}*{non_dot}{text}*\\.)"
    return trimmed(f"{local}@{text}*{non_dot}{text}*\\.{after_dot}", optional=False)
