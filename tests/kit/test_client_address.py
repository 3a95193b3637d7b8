import pytest

from mystore_kit.client_address import client_address, parse_hop


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        ("127.0.0.1", None, "127.0.0.1"),  # ./scripts/dev: nothing in front
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # an untrusted peer is the client
        ("10.0.0.5", "203.0.113.9", "203.0.113.9"),  # Kourier's Envoy appended the client
        ("10.0.0.5", "203.0.113.9, 10.0.1.2, 10.0.2.3", "203.0.113.9"),  # ...then activator, queue-proxy
        ("10.0.0.5", "6.6.6.6, 203.0.113.9, 10.0.1.2", "203.0.113.9"),  # what the client wrote is ignored
        ("10.0.0.5", "192.168.49.1", "192.168.49.1"),  # only trusted hops: the farthest
        ("10.0.0.5", "junk, 203.0.113.9", "203.0.113.9"),
        ("10.0.0.5", "203.0.113.9, junk", "10.0.0.5"),  # a hop the proxies did not write: stop there
        ("::1", "2001:db8::7", "2001:db8::7"),
        ("10.0.0.5", "[2001:db8::7]:4711", "2001:db8::7"),
        ("10.0.0.5", "203.0.113.9:4711", "203.0.113.9"),
        ("::ffff:10.0.0.5", "::ffff:203.0.113.9", "203.0.113.9"),
        (None, "203.0.113.9", ""),  # no peer: nothing can be believed
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_peer(peer, forwarded_for, client):
    assert client_address(peer=peer, forwarded_for=forwarded_for) == client


def test_trusted_proxies_come_from_settings(monkeypatch):
    from mystore_kit.settings import get_settings

    monkeypatch.setenv("MYSTORE_TRUSTED_PROXIES", "10.0.0.0/24")
    get_settings.cache_clear()
    assert client_address(peer="10.0.0.5", forwarded_for="192.168.49.1") == "192.168.49.1"
    assert client_address(peer="10.0.1.5", forwarded_for="192.168.49.1") == "10.0.1.5"


def test_parse_hop_refuses_what_is_no_address():
    assert parse_hop("unknown") is None and parse_hop("") is None and parse_hop("1.2.3.4.5") is None
