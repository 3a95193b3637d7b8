import importlib

import pytest
from google.protobuf import symbol_database

from mystore_kit.declaration import load_declaration
from tests.support import function_app

DECLARATION = load_declaration()


@pytest.mark.parametrize("function", DECLARATION.functions, ids=lambda f: f.name)
def test_every_function_loads_through_functions_framework(function):
    assert function.path.is_file()
    assert function_app(function.name) is not None


@pytest.mark.parametrize(
    "function", [f for f in DECLARATION.functions if f.trigger == "rpc"], ids=lambda f: f.name
)
def test_rpc_functions_accept_the_declared_request_type(function):
    module = importlib.import_module(function.source.removesuffix(".py").replace("/", "."))
    assert module.main.request_type.DESCRIPTOR.full_name == function.request
    assert symbol_database.Default().pool.FindMessageTypeByName(function.request)


def test_only_the_bff_is_public():
    assert [f.name for f in DECLARATION.functions if f.public] == ["bff"]


def test_subscriptions_point_at_declared_functions():
    names = {f.name for f in DECLARATION.functions}
    for subscription in DECLARATION.subscriptions:
        assert subscription.sink in names and subscription.delivery.deadLetterSink in names
