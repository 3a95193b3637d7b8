"""The CloudEvent envelope: context attributes plus data bytes, and its bindings.

One type for every place a CloudEvent crosses a wire: RPC requests and replies (kit.client,
kit.cloudevent), outbox rows on their way to Kafka (events.kafka), records a KafkaSource reads,
deliveries to a sink, and the PingSource's tick.

    HTTP binary mode   `ce-<name>` headers, `Content-Type` = datacontenttype, body = data
    Kafka binary mode  `ce_<name>` headers, `content-type` = datacontenttype, value = data
"""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SPECVERSION = "1.0"
JSON = "application/json"


@dataclass
class Envelope:
    """A CloudEvent: context attributes (extensions included) and data bytes."""

    attributes: dict[str, str]
    data: bytes = b""

    @classmethod
    def new(cls, *, type: str, source: str, data: bytes = b"", **attributes: str) -> "Envelope":
        """A fresh event with a random id (requests, replies, ticks)."""
        return cls(
            attributes={
                "specversion": SPECVERSION,
                "id": str(uuid.uuid4()),
                "source": source,
                "type": type,
                "datacontenttype": JSON,
                **attributes,
            },
            data=data,
        )

    @property
    def type(self) -> str:
        return self.attributes.get("type", "")

    @property
    def id(self) -> str:
        return self.attributes.get("id", "")

    def http_headers(self) -> dict[str, str]:
        """HTTP binary content mode."""
        headers = {
            f"ce-{name}": value for name, value in self.attributes.items() if name != "datacontenttype"
        }
        headers["Content-Type"] = self.attributes.get("datacontenttype", JSON)
        return headers

    def kafka_headers(self) -> list[tuple[str, bytes]]:
        """Kafka binary content mode, as a KafkaSource forwards it unchanged."""
        headers = [
            (f"ce_{name}", value.encode())
            for name, value in self.attributes.items()
            if name != "datacontenttype"
        ]
        headers.append(("content-type", self.attributes.get("datacontenttype", JSON).encode()))
        return headers

    @classmethod
    def from_kafka_headers(
        cls, headers: Iterable[tuple[str, bytes]], value: bytes | None
    ) -> "Envelope | None":
        """The event of a Kafka record in binary mode; None when the record has no `ce_specversion`."""
        decoded = {name.lower(): raw.decode("utf-8", errors="replace") for name, raw in headers}
        if "ce_specversion" not in decoded:
            return None
        attributes = {name[3:]: text for name, text in decoded.items() if name.startswith("ce_")}
        if "content-type" in decoded:
            attributes["datacontenttype"] = decoded["content-type"]
        return cls(attributes=attributes, data=value or b"")

    @classmethod
    def from_http_headers(cls, headers: Mapping[str, str], body: bytes) -> "Envelope":
        """The event of an HTTP binary-mode message (checked by kit.cloudevent before it gets here)."""
        attributes = {
            name[3:].lower(): value for name, value in headers.items() if name.lower().startswith("ce-")
        }
        content_type = headers.get("Content-Type") or headers.get("content-type")
        if content_type:
            attributes["datacontenttype"] = content_type
        return cls(attributes=attributes, data=body)
