"""The address a request came from, through the proxies in front of the edges (BFF, grpc-api).

On Knative, Kourier's Envoy (the ingress) appends the address that connected to it to
X-Forwarded-For; the activator and the queue-proxy, when in the path, append the hop before them,
and the edge's own peer is the last of them: all cluster addresses. So the hops are read from the
peer leftwards, and the client is the first one that is not a trusted proxy
(Settings.trusted_proxies: loopback and the private networks by default). Whatever a client wrote
into X-Forwarded-For itself stands left of that and is never believed; an untrusted peer is the
client, whatever its X-Forwarded-For says. Locally nothing forwards: the peer is the client.
"""

from ipaddress import IPv4Address, IPv6Address, ip_address

from mystore_kit.settings import get_settings

Address = IPv4Address | IPv6Address


def parse_hop(text: str) -> Address | None:
    """An address of X-Forwarded-For or a peer: `1.2.3.4`, `1.2.3.4:80`, `::1`, `[::1]:80`."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ip_address(text)
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def trusted(address: Address) -> bool:
    return any(address in network for network in get_settings().trusted_proxies)


def client_address(*, peer: str | None, forwarded_for: str | None) -> str:
    """The client's address ("" when not even the peer is known)."""
    hops = [hop for hop in (forwarded_for or "").split(",") if hop.strip()]
    client = ""
    for hop in reversed([*hops, peer or ""]):
        address = parse_hop(hop)
        if address is None:  # not an address: nothing left of it can be believed
            break
        client = str(address)
        if not trusted(address):
            break
    return client
