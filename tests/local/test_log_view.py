"""How ./scripts/dev and ./scripts/logs show the JSON log lines: readable, and filtered by order."""

import json

from mystore_local import log_view

ORDER, TRACE = "8e3b7f0e-1111-4222-8333-444455556666", "4bf92f3577b34da6a3ce929d0e0e4736"


def line(message, **fields):
    return json.dumps(
        {"time": "2026-12-01T09:21:59.352Z", "level": "INFO", "function": "f", "message": message, **fields}
    )


def test_a_json_line_is_shown_as_time_level_message_with_its_order_and_trace():
    text = line("applied it", order_id=ORDER, trace_id=TRACE)
    shown = log_view.render("order-create", log_view.parse(text), text, colour=False)
    assert (
        shown
        == f"{'order-create':>28} | 09:21:59.352 INFO    applied it  (order=8e3b7f0e trace=4bf92f3577b34da6)"
    )
    coloured = log_view.render("order-create", log_view.parse(text), text, colour=True)
    assert "\033[32mINFO" in coloured and "applied it" in coloured


def test_a_line_that_is_not_json_is_shown_as_it_is():
    assert log_view.parse("Traceback (most recent call last):") is None
    assert log_view.render("bff", None, "plain\n", colour=False).endswith("| plain")


def test_the_order_filter_keeps_the_orders_lines_and_the_rest_of_their_traces():
    keep = log_view.OrderFilter(ORDER[:8])
    assert not keep.keeps(json.loads(line("before", trace_id="other")))
    assert keep.keeps(json.loads(line("tagged", order_id=ORDER, trace_id=TRACE)))
    assert keep.keeps(json.loads(line("same trace, untagged", trace_id=TRACE)))
    assert not keep.keeps(json.loads(line("another order", order_id="0d7bc05b", trace_id="x")))
    assert not keep.keeps(json.loads(line("no order, no trace")))


def test_saved_logs_are_merged_by_time_and_filtered(tmp_path, capsys):
    (tmp_path / "a.log").write_text(
        line("first", order_id=ORDER).replace("59.352", "59.100")
        + "\n"
        + line("third", order_id=ORDER)
        + "\n"
    )
    (tmp_path / "b.log").write_text(
        line("second", order_id=ORDER).replace("59.352", "59.200") + "\n" + line("x") + "\n"
    )
    assert log_view.main(["--order", ORDER, str(tmp_path / "a.log"), str(tmp_path / "b.log")]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert [row.split()[4] for row in shown] == ["first", "second", "third"]
