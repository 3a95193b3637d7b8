import pytest

from mystore.auth.v1.auth_pb2 import LoginResponse, RegisterRequest
from mystore_kit.errors import Problem
from mystore_kit.messages import decode, encode, full_name


def test_full_name_is_the_cloudevent_type():
    assert full_name(RegisterRequest) == "mystore.auth.v1.RegisterRequest"


@pytest.mark.parametrize(
    "data",
    [
        b'{"email": "a@b.c", "password": "p"}',
        '{"email": "a@b.c", "password": "p"}',
        {"email": "a@b.c", "password": "p"},
    ],
)
def test_decode_accepts_json_text_bytes_and_objects(data):
    assert decode(data, RegisterRequest) == RegisterRequest(email="a@b.c", password="p")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"email": "a", "nickname": "x"}', "no field named"),
        (b'{"email": 5}', "email"),
        (b'{"email": ', "not valid JSON"),
        (b"[1, 2]", "JSON object"),
    ],
)
def test_decode_is_strict(data, reason):
    with pytest.raises(Problem) as caught:
        decode(data, RegisterRequest)
    assert caught.value.status == 400
    assert reason in caught.value.detail


def test_encode_uses_the_proto3_json_names():
    assert encode(LoginResponse(token="t")) == b'{"token":"t"}'
