"""The storefront's hand-written API types (frontend/src/api/types.ts) match the OpenAPI document."""

import json
import re
from pathlib import Path

import pytest

from mystore_edges.bff.app import openapi_document

TYPES = Path(__file__).resolve().parents[3] / "frontend" / "src" / "api" / "types.ts"
INTERFACE = re.compile(r"export interface (\w+) \{(.*?)\n\}", re.S)
PROPERTY = re.compile(r"^\s+(\w+)(\?)?:", re.M)


def interfaces() -> dict[str, dict[str, bool]]:
    """Interface name -> {property: required}."""
    found = {}
    for name, body in INTERFACE.findall(TYPES.read_text()):
        found[name] = {prop: not optional for prop, optional in PROPERTY.findall(body)}
    return found


SCHEMAS = json.loads(openapi_document())["components"]["schemas"]
OBJECT_SCHEMAS = {name: schema for name, schema in SCHEMAS.items() if schema.get("type") == "object"}


@pytest.mark.parametrize("name", sorted(set(OBJECT_SCHEMAS) - {"Health"}))
def test_each_schema_has_an_interface_with_the_same_properties(name):
    schema = OBJECT_SCHEMAS[name]
    typed = interfaces().get(name)
    assert typed is not None, f"types.ts has no interface {name}"
    assert set(typed) == set(schema["properties"]), name
    required = set(schema.get("required", []))
    assert {prop for prop, needed in typed.items() if needed} == required, name
