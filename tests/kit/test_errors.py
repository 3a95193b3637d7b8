import json

import pytest
from sqlalchemy.exc import OperationalError

from mystore_kit.errors import Code, Problem, problem_from


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (Code.INVALID_ARGUMENT, 400),
        (Code.FAILED_PRECONDITION, 400),
        (Code.UNAUTHENTICATED, 401),
        (Code.PERMISSION_DENIED, 403),
        (Code.NOT_FOUND, 404),
        (Code.ALREADY_EXISTS, 409),
        (Code.RESOURCE_EXHAUSTED, 429),
        (Code.INTERNAL, 500),
        (Code.UNAVAILABLE, 503),
    ],
)
def test_each_code_has_the_http_status_of_grpc_mapping(code, status):
    assert Problem(code, "x").status == status


def test_codes_sharing_a_status_stay_distinct():
    assert Code.INVALID_ARGUMENT is not Code.FAILED_PRECONDITION
    assert Code["FAILED_PRECONDITION"].name == "FAILED_PRECONDITION"


def test_problem_body_is_rfc9457_with_the_code():
    body = json.loads(Problem(Code.NOT_FOUND, "order not found").to_json())
    assert body == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "order not found",
        "code": "NOT_FOUND",
    }


def test_a_problem_round_trips_through_its_json():
    problem = Problem.from_dict(Problem(Code.ALREADY_EXISTS, "taken").to_dict(), status=409)
    assert (problem.code, problem.detail) == (Code.ALREADY_EXISTS, "taken")


def test_extension_members_such_as_the_field_survive_the_round_trip():
    field = "shippingAddress.city"
    answered = Problem(Code.INVALID_ARGUMENT, f"{field} is required", field=field)
    problem = Problem.from_dict(answered.to_dict(), status=400)
    assert problem.to_dict()["field"] == "shippingAddress.city"
    assert set(problem.to_dict()) == {"type", "title", "status", "detail", "code", "field"}


def test_unknown_codes_from_elsewhere_say_whose_fault_by_status():
    assert Problem.from_dict({"code": "WHATEVER"}, status=502).code is Code.UNAVAILABLE
    assert Problem.from_dict({}, status=418).code is Code.UNKNOWN


def test_unexpected_exceptions_are_500_without_their_text():
    problem = problem_from(RuntimeError("secret internals at /srv/app.py line 3"))
    assert problem.status == 500
    assert "secret" not in problem.to_json()


def test_a_database_that_is_down_is_retryable():
    problem = problem_from(OperationalError("SELECT 1", {}, Exception("connection refused")))
    assert (problem.code, problem.status) == (Code.UNAVAILABLE, 503)
