"""The ingestion fetcher and the webhook sender reach public addresses only. Beyond the table in
tests/claims/ingestion (one address per forbidden range), this checks the edges of every range on both sides, and the
two other ways in: a redirect from an allowed server, and a webhook delivery. DNS is faked and the socket guard
records every connection attempt: none may leave for a forbidden address."""

from __future__ import annotations

import ipaddress

import pytest

from claims.ingestion.addresses import address_refusal
from claims.ingestion.fetch import FetchPolicy, FetchRefused, fetch_url, post_json
from tests.claims.ingestion.conftest import connection_attempts, fake_dns, server  # noqa: F401 (fixtures)
from tests.claims.ingestion.test_addresses import FORBIDDEN
from tests.support.local_http import send

# The first and last address of each forbidden range, and the nearest public address just outside it.
RANGE_EDGES = {
    "this network 0.0.0.0/8": (["0.0.0.0", "0.255.255.255"], ["1.0.0.1"]),  # noqa: S104 (refused, never bound)
    "private 10/8": (["10.0.0.0", "10.255.255.255"], ["9.255.255.254", "11.0.0.1"]),
    "CGNAT 100.64/10": (["100.64.0.0", "100.127.255.255"], ["100.63.255.254", "100.128.0.1"]),
    "loopback 127/8": (["127.0.0.0", "127.255.255.255"], ["126.255.255.254", "128.0.0.1"]),
    "link-local 169.254/16 and cloud metadata": (["169.254.0.0", "169.254.169.254", "169.254.255.255"], []),
    "private 172.16/12": (["172.16.0.0", "172.31.255.255"], ["172.15.255.254", "172.32.0.1"]),
    "private 192.168/16": (["192.168.0.0", "192.168.255.255"], ["192.167.255.254", "192.169.0.1"]),
    "benchmarking 198.18/15": (["198.18.0.0", "198.19.255.255"], ["198.17.255.254", "198.20.0.1"]),
    "multicast 224/4": (["224.0.0.0", "239.255.255.255"], []),
    "reserved 240/4 and broadcast": (["240.0.0.0", "255.255.255.254", "255.255.255.255"], ["223.255.255.254"]),
    "IPv6 unspecified and loopback": (["::", "::1"], []),
    "IPv6 link-local fe80::/10": (["fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"], []),
    "IPv6 ULA fc00::/7": (["fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"], []),
    "IPv6 outside global unicast 2000::/3": (["1fff::1", "4000::1", "fbff::1"], ["2000::1", "3ffe:1::1"]),
    "IPv6 multicast ff00::/8": (["ff00::", "ff0e::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"], []),
    "IPv4-mapped private": (["::ffff:10.0.0.1", "::ffff:192.168.0.1", "::ffff:100.64.0.1", "::ffff:0.0.0.0"], []),
    "NAT64 of private": (["64:ff9b::a00:1", "64:ff9b::c0a8:1", "64:ff9b::a9fe:a9fe"], ["64:ff9b::808:808"]),
    "6to4 of private": (["2002:a00:1::", "2002:c0a8:101::1", "2002:7f00:1::"], []),
    "Teredo": (["2001::1", "2001:0:ffff:ffff:ffff:ffff:ffff:ffff"], []),
}
REFUSED_EDGES = [address for refused, _ in RANGE_EDGES.values() for address in refused]
PUBLIC_NEIGHBOURS = [address for _, allowed in RANGE_EDGES.values() for address in allowed]
# The redirect test's own server is on loopback, so plain loopback targets are out of its scope (refused above).
PLAIN_LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
REDIRECT_TARGETS = [
    address
    for address in dict.fromkeys(FORBIDDEN + REFUSED_EDGES)
    if address != "::1" and ipaddress.ip_address(address) not in PLAIN_LOOPBACK
]


@pytest.mark.parametrize("address", REFUSED_EDGES)
def test_each_edge_of_every_forbidden_range_is_refused(address):
    assert address_refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", PUBLIC_NEIGHBOURS)
def test_the_public_address_next_to_a_forbidden_range_is_allowed(address):
    assert address_refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("address", REFUSED_EDGES)
def test_a_host_resolving_to_a_range_edge_is_refused_without_connecting(address, fake_dns, connection_attempts):  # noqa: F811
    fake_dns.answers["edge.example"] = [address]
    with pytest.raises(FetchRefused) as refused:
        fetch_url("https://edge.example/story", policy=FetchPolicy())
    assert refused.value.reason_code == "address_forbidden"
    assert connection_attempts == []


@pytest.mark.parametrize("address", REDIRECT_TARGETS)
def test_a_redirect_to_a_forbidden_address_is_refused_before_connecting_there(
    address,
    server,  # noqa: F811
    fake_dns,  # noqa: F811
    connection_attempts,  # noqa: F811
):
    def redirect_inside(handler) -> None:  # type: ignore[no-untyped-def]
        send(handler, 302, b"", content_type="", headers={"Location": f"http://inside.example:{server.port}/admin"})

    server.routes["/story"] = redirect_inside
    fake_dns.answers["inside.example"] = [address]
    with pytest.raises(FetchRefused) as refused:
        fetch_url(server.url("/story"), policy=server.policy())
    assert refused.value.reason_code == "address_forbidden"
    assert "inside.example" in fake_dns.calls
    assert all(ipaddress.ip_address(attempt[0]) == ipaddress.ip_address("127.0.0.1") for attempt in connection_attempts)
    assert len(server.requests) == 1


@pytest.mark.parametrize("address", list(dict.fromkeys(FORBIDDEN + REFUSED_EDGES)))
def test_a_webhook_to_a_forbidden_address_is_refused_without_connecting(address, fake_dns, connection_attempts):  # noqa: F811
    fake_dns.answers["hooks.newsroom.example"] = [address]
    with pytest.raises(FetchRefused) as refused:
        post_json("https://hooks.newsroom.example/in", b"{}", {}, policy=FetchPolicy())
    assert refused.value.reason_code == "address_forbidden"
    assert connection_attempts == []
