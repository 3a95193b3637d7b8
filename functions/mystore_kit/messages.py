"""Protobuf messages <-> their proto3 JSON mapping, strictly: an unknown field is an error."""

import json
from datetime import UTC, datetime
from typing import Any, TypeVar

from google.protobuf import json_format
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from mystore_kit.errors import invalid
from mystore_kit.inputs import parse_json

M = TypeVar("M", bound=Message)


def full_name(message_type: type[Message]) -> str:
    """The protobuf full name, which is also the CloudEvent `type` of the message."""
    return message_type.DESCRIPTOR.full_name


def decode(data: Any, message_type: type[M]) -> M:
    """Parses JSON text, bytes or an already-parsed JSON object into `message_type` (400 on error)."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
    if isinstance(data, (bytes, str)):
        data = parse_json(data, what="data") if data.strip() else {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise invalid(f"data must be a JSON object for {full_name(message_type)}")
    try:
        return json_format.ParseDict(data, message_type(), ignore_unknown_fields=False)
    except json_format.ParseError as error:
        raise invalid(f"data does not match {full_name(message_type)}: {error}") from None


def to_dict(message: Message) -> dict[str, Any]:
    """The proto3 JSON mapping of `message` (lowerCamelCase names, defaults included)."""
    return json_format.MessageToDict(message, always_print_fields_with_no_presence=True)


def encode(message: Message) -> bytes:
    return json.dumps(to_dict(message), separators=(",", ":")).encode()


def timestamp(moment: datetime | int) -> Timestamp:
    """A protobuf Timestamp of a datetime (naive ones are UTC, as SQLite returns them) or Unix seconds."""
    result = Timestamp()
    if isinstance(moment, int):
        result.FromSeconds(moment)
    else:
        result.FromDatetime(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return result
