"""grpc-api continues a `traceparent` given as metadata, and the functions it calls join the trace."""

from mystore.catalog.v1 import catalog_pb2 as pb

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def test_a_call_with_a_traceparent_is_a_server_span_of_that_trace(api, spans):
    parent = f"00-{TRACE}-00f067aa0ba902b7-01"
    api.catalog.ListProducts(pb.ListProductsRequest(), metadata=[("traceparent", parent)])
    finished = spans.get_finished_spans()
    (served,) = [s for s in finished if s.name == "mystore.catalog.v1.CatalogService.ListProducts"]
    assert format(served.context.trace_id, "032x") == TRACE and served.kind.name == "SERVER"
    assert format(served.parent.span_id, "016x") == "00f067aa0ba902b7"
    (called,) = [s for s in finished if s.name == "call catalog-list"]
    assert called.parent.span_id == served.context.span_id
    assert {format(s.context.trace_id, "032x") for s in finished} == {TRACE}
