import base64
import json

from mystore_services.deadletter import cli, handlers
from tests.support import post_event


def dead_letter(sink_url, *, event_id="e-1", data=None, code="400", reason=b"bad data"):
    return post_event(
        "dead-letter",
        type="mystore.order.v1.OrderCreated",
        data=data or {"orderId": "x"},
        id=event_id,
        knativeerrordest=sink_url,
        knativeerrorcode=code,
        knativeerrordata=base64.b64encode(reason).decode(),
        mystoreattempts="1",
    )


def test_a_dead_letter_is_kept_once_with_its_reason(database_url):
    assert dead_letter("http://127.0.0.1:1/").get_json()["status"] == "kept"
    assert dead_letter("http://127.0.0.1:1/").get_json()["status"] == "duplicate"
    (letter,) = handlers.letters()
    assert (letter.status, letter.reason, letter.attempts, letter.event_id) == (400, "bad data", 1, "e-1")
    attributes = json.loads(letter.attributes)
    assert "knativeerrordest" not in attributes and attributes["type"] == "mystore.order.v1.OrderCreated"


def test_a_letter_without_its_destination_is_refused(database_url):
    response = post_event("dead-letter", type="x.y", data={})
    assert response.status_code == 400


def test_replay_sends_it_to_its_sink_once_the_cause_is_fixed(database_url, make_sink, monkeypatch, capsys):
    from mystore_kit import client
    from tests.support import REAL_HTTP_POST

    monkeypatch.setattr(client, "http_post", REAL_HTTP_POST)
    sink = make_sink([500, 200])  # still broken, then fixed
    dead_letter(sink.url, data={"orderId": "o-1"})
    assert cli.main(["list"]) == 0 and "o-1" not in capsys.readouterr().out  # data is shown by `show`
    assert cli.main(["replay", "--all"]) == 1
    assert len(handlers.letters()) == 1
    assert cli.main(["replay", handlers.letters()[0].id]) == 0
    assert handlers.letters() == [] and len(handlers.letters(include_replayed=True)) == 1
    replayed = sink.received[-1]
    assert replayed["headers"]["ce-id"] == "e-1" and "ce-knativeerrordest" not in replayed["headers"]
    assert json.loads(replayed["body"]) == {"orderId": "o-1"}
