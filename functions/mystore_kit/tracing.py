"""OpenTelemetry tracing: off unless Settings.tracing_endpoint names a Zipkin collector.

    tracing.configure("order-create")          (kit.serve and the local dispatcher, once)
    with tracing.span("call catalog-list", kind="client"):
        headers = tracing.inject(envelope.http_headers())

Off, nothing of OpenTelemetry is imported and every helper returns at once (`span` is a shared
null context). On, spans go to Zipkin in batches; the W3C `traceparent` travels in HTTP headers
between functions and as the CloudEvents distributed-tracing extension on events, so one order is
one trace: the BFF, the RPCs, the outbox, Kafka and every consumer.
"""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

from mystore_kit.settings import get_settings

_tracer: Any = None  # an opentelemetry Tracer once configure() found an endpoint
_propagator: Any = None
_OFF = nullcontext()
Carrier = Mapping[str, str]


def configure(service_name: str) -> bool:
    """Exports this process's spans (as `service_name`) to Settings.tracing_endpoint, if it is set."""
    settings = get_settings()
    if not settings.tracing_endpoint:
        return False
    from opentelemetry import trace
    from opentelemetry.exporter.zipkin.json import ZipkinExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    exporter = ZipkinExporter(endpoint=settings.tracing_endpoint, timeout=5)
    delay = int(settings.tracing_export_seconds * 1000)
    provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=delay))
    trace.set_tracer_provider(provider)
    use(provider)
    return True


def use(provider: Any) -> None:  # noqa: ANN401 - an opentelemetry TracerProvider, or None
    """Traces with `provider` from now on (configure's; tests bring their own); None: off again."""
    global _tracer, _propagator
    if provider is None:
        _tracer = _propagator = None
        return
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    _tracer = provider.get_tracer("mystore")
    _propagator = TraceContextTextMapPropagator()


def enabled() -> bool:
    return _tracer is not None


def _context(carrier: Carrier | None):  # noqa: ANN202 - an opentelemetry Context or None
    if not carrier or not carrier.get("traceparent"):
        return None
    return _propagator.extract({k: v for k, v in carrier.items() if v})


def span(
    name: str,
    *,
    kind: str = "internal",
    parent: Carrier | None = None,
    attributes: Mapping[str, Any] | None = None,
    links: Sequence[Carrier] = (),
):  # noqa: ANN201 - a context manager yielding the span (None when tracing is off)
    """A span around the block: a child of `parent` (a carrier with `traceparent`) if given, else
    of the current span; `links` are other carriers it follows from. A no-op when tracing is off."""
    if _tracer is None:
        return _OFF
    return _span(name, kind, parent, attributes, links)


@contextmanager
def _span(name, kind, parent, attributes, links) -> Iterator[Any]:  # noqa: ANN001
    from opentelemetry import trace

    linked = []
    for carrier in links:
        if not carrier.get("traceparent"):
            continue
        context = trace.get_current_span(_context(carrier)).get_span_context()
        if context.is_valid:
            linked.append(trace.Link(context))
    with _tracer.start_as_current_span(
        name,
        context=_context(parent),
        kind=trace.SpanKind[kind.upper()],
        attributes=attributes,
        links=linked,
    ) as current:
        yield current


def start(
    name: str,
    *,
    kind: str = "internal",
    parent: Carrier | None = None,
    attributes: Mapping[str, Any] | None = None,
):  # noqa: ANN201 - an opentelemetry Span, or None when tracing is off
    """A span that is not made current (one of several at once, e.g. a batch); `end` ends it."""
    if _tracer is None:
        return None
    from opentelemetry import trace

    return _tracer.start_span(
        name, context=_context(parent), kind=trace.SpanKind[kind.upper()], attributes=attributes
    )


def end(spans: Sequence[Any], *, error: BaseException | None = None) -> None:
    """Ends spans from `start`, failed with `error` if given."""
    if _tracer is None:
        return
    from opentelemetry import trace

    for each in spans:
        if error is not None:
            each.record_exception(error)
            each.set_status(trace.Status(trace.StatusCode.ERROR, str(error)))
        each.end()


def carrier_of(span_: Any) -> dict[str, str]:  # noqa: ANN401
    """The `traceparent`/`tracestate` that makes the receiver a child of `span_`."""
    if _tracer is None or span_ is None:
        return {}
    from opentelemetry import trace

    carrier: dict[str, str] = {}
    _propagator.inject(carrier, context=trace.set_span_in_context(span_))
    return carrier


def current(span_: Any):  # noqa: ANN201, ANN401 - a context manager
    """Makes `span_` (from `start`) the current span in the block, without ending it."""
    if _tracer is None or span_ is None:
        return _OFF
    from opentelemetry import trace

    return trace.use_span(span_, end_on_exit=False)


def inject(headers: dict[str, str]) -> dict[str, str]:
    """`headers` with the current span's `traceparent` (and `tracestate`) added, when tracing."""
    if _tracer is not None:
        _propagator.inject(headers)
    return headers


def current_carrier() -> dict[str, str]:
    """The current span's context as `traceparent`/`tracestate` (empty when there is none)."""
    return inject({}) if _tracer is not None else {}


def current_ids() -> tuple[str, str] | None:
    """The current span's trace id and span id in hex, for log lines; None without one."""
    if _tracer is None:
        return None
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return format(context.trace_id, "032x"), format(context.span_id, "016x")


def trace_id(carrier: Carrier) -> str:
    """The trace id of a `traceparent` (version-traceid-spanid-flags), or ""."""
    parts = (carrier.get("traceparent") or "").split("-")
    return parts[1] if len(parts) == 4 else ""


def annotate(attributes: Mapping[str, Any]) -> None:
    """Sets attributes on the current span (when tracing; None values are left out)."""
    if _tracer is None:
        return
    from opentelemetry import trace

    current = trace.get_current_span()
    for key, value in attributes.items():
        if value is not None:
            current.set_attribute(key, value)


def trace_statements(engine: Any) -> None:  # noqa: ANN401 - a SQLAlchemy Engine
    """Every statement `engine` runs within a span becomes a client span of it (when tracing);
    statements outside of any (the fast path's bookkeeping) start no trace of their own.

    (opentelemetry-instrumentation-sqlalchemy does this too, but refuses SQLAlchemy 2.1.)
    """
    if _tracer is None:
        return
    from opentelemetry import trace
    from sqlalchemy import event

    system = engine.dialect.name
    namespace = (engine.url.database or "").rsplit("/", 1)[-1].removesuffix(".sqlite")

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        spans = conn.info.setdefault("mystore_spans", [])
        if _tracer is None or not trace.get_current_span().get_span_context().is_valid:
            spans.append(None)  # off since (tests), or no request to belong to
            return
        operation = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "SQL"
        attributes = {"db.system.name": system, "db.namespace": namespace, "db.query.text": statement[:2000]}
        spans.append(
            _tracer.start_span(f"{operation} {namespace}", kind=trace.SpanKind.CLIENT, attributes=attributes)
        )

    @event.listens_for(engine, "after_cursor_execute")
    def _end(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        spans = conn.info.get("mystore_spans")
        if spans and (done := spans.pop()) is not None:
            done.end()

    @event.listens_for(engine, "handle_error")
    def _failed(context) -> None:  # noqa: ANN001 - sqlalchemy ExceptionContext
        spans = context.connection.info.get("mystore_spans") if context.connection is not None else None
        if spans and (failed := spans.pop()) is not None:
            failed.record_exception(context.original_exception)
            failed.set_status(trace.Status(trace.StatusCode.ERROR, str(context.original_exception)[:200]))
            failed.end()


def rename(name: str) -> None:
    """Renames the current span (a server span named by its route once it is known)."""
    if _tracer is None:
        return
    from opentelemetry import trace

    trace.get_current_span().update_name(name)


def link(carrier: Carrier) -> None:
    """Links the current span to the span of `carrier` when that one is of another trace."""
    if _tracer is None or not carrier.get("traceparent"):
        return
    from opentelemetry import trace

    current = trace.get_current_span()
    other = trace.get_current_span(_context(carrier)).get_span_context()
    if other.is_valid and other.trace_id != current.get_span_context().trace_id:
        current.add_link(other)


def answered(status: int) -> None:
    """Records the HTTP status on the current span; a 5xx (a fault a retry may cure) fails it."""
    if _tracer is None:
        return
    from opentelemetry import trace

    current = trace.get_current_span()
    current.set_attribute("http.response.status_code", status)
    if status >= 500:
        current.set_status(trace.Status(trace.StatusCode.ERROR))
