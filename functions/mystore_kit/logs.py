"""Structured logs: one JSON object per line, configured here for every process.

    {"time": "2026-12-01T09:21:59.352Z", "level": "INFO", "function": "shipping-on-order-created",
     "logger": "mystore.consumer", "message": "applied mystore.order.v1.OrderCreated 4f0e…",
     "trace_id": "0af7651916cd43dd8448eb211c80319c", "span_id": "b7ad6b7169203331",
     "order_id": "8e3b…"}

`trace_id`/`span_id` are the current span's (kit.tracing) when there is one; `order_id` is the
one bound for the request (`bind_order`: the event's subject, the order the outbox row reports) or
given as `extra={"order_id": ...}`. ./scripts/dev renders these lines readably (mystore_local.log_view).
"""

import contextvars
import json
import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from mystore_kit import tracing
from mystore_kit.settings import get_settings

_order_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("order_id", default=None)


class JsonLines(logging.Formatter):
    """A record as one JSON object on one line."""

    def __init__(self, function: str) -> None:
        super().__init__()
        self.function = function

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")[:-6] + "Z",
            "level": record.levelname,
            "function": self.function,
            "logger": record.name,
            "message": record.getMessage(),
        }
        ids = tracing.current_ids()
        if ids:
            entry["trace_id"], entry["span_id"] = ids
        order_id = getattr(record, "order_id", None) or _order_id.get()
        if order_id:
            entry["order_id"] = order_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(function: str | None = None) -> None:
    """Makes every log record of this process (ours, gunicorn's, kafka's, warnings, uncaught
    exceptions) a JSON line on stderr, at Settings.log_level and up."""
    settings = get_settings()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines(function or settings.function or "mystore"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    logging.getLogger("kafka").setLevel(max(root.level, logging.WARNING))  # its INFO is connection chatter
    logging.captureWarnings(True)
    log = logging.getLogger("mystore.uncaught")
    sys.excepthook = lambda kind, error, tb: log.critical("uncaught exception", exc_info=(kind, error, tb))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is not SystemExit:
            info = (args.exc_type, args.exc_value, args.exc_traceback)
            log.critical("uncaught exception in thread %s", getattr(args.thread, "name", "?"), exc_info=info)

    threading.excepthook = thread_hook


def bind_order(order_id: str | None) -> contextvars.Token:
    """Tags the log lines of this request (this context) with `order_id`; `unbind` undoes it."""
    return _order_id.set(order_id or None)


def unbind(token: contextvars.Token) -> None:
    _order_id.reset(token)


@contextmanager
def order(order_id: str | None) -> Iterator[None]:
    """The block's log lines carry `order_id`."""
    token = bind_order(order_id)
    try:
        yield
    finally:
        _order_id.reset(token)
