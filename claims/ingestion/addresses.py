"""Which IP addresses an ingestion fetch may connect to.

Checked against explicit tables rather than ``ip.is_private`` / ``ip.is_global`` alone, because what those
properties cover has changed between CPython patch releases (python/cpython#113171 landed in 3.11.10; this
project runs 3.11.7). ``is_global`` is still consulted afterwards, as a backstop.

IPv6 forms that carry an IPv4 address (IPv4-mapped ``::ffff:a.b.c.d`` and NAT64 ``64:ff9b::a.b.c.d``) are judged
by the embedded IPv4 address. The tunnelling ranges 6to4 (``2002::/16``) and Teredo (``2001::/32``) are refused
outright: both are deprecated, no news site is published on them, and their embedded IPv4 address names a relay
the attacker chooses.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_LOOPBACK_NETWORKS: tuple[_Network, ...] = (
    ipaddress.ip_network("127.0.0.0/8"),
    ipaddress.ip_network("::1/128"),
)

# (network, reason) — first match wins, so narrow special cases come before the ranges that contain them.
_FORBIDDEN_NETWORKS: tuple[tuple[_Network, str], ...] = tuple(
    (ipaddress.ip_network(cidr), reason)
    for cidr, reason in (
        ("255.255.255.255/32", "broadcast"),
        ("0.0.0.0/8", "unspecified or 'this network'"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "carrier-grade NAT"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "IETF protocol assignment"),
        ("192.0.2.0/24", "documentation"),
        ("192.88.99.0/24", "6to4 relay anycast"),
        ("192.168.0.0/16", "private"),
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("::/8", "reserved (includes IPv4-compatible ::a.b.c.d)"),
        ("64:ff9b:1::/48", "local-use NAT64"),
        ("100::/64", "discard-only"),
        ("2001::/32", "Teredo tunnel"),
        ("2001:2::/48", "benchmarking"),
        ("2001:10::/28", "ORCHID"),
        ("2001:20::/28", "ORCHIDv2"),
        ("2001:db8::/32", "documentation"),
        ("2002::/16", "6to4 tunnel"),
        ("3fff::/20", "documentation"),
        ("5f00::/16", "segment routing"),
        ("fc00::/7", "unique local (private)"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local"),
        ("ff00::/8", "multicast"),
    )
)

_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
_IPV6_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")


def is_loopback(address: IPAddress) -> bool:
    return any(address in network for network in _LOOPBACK_NETWORKS if network.version == address.version)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped or NAT64 (well-known prefix) IPv6 address stands for."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64_WELL_KNOWN:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_refusal(address: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """Why ``address`` must not be connected to, or ``None`` when it may be.

    ``allow_loopback`` admits 127.0.0.0/8 and ::1 in their plain forms only (never ``::ffff:127.0.0.1`` nor a
    NAT64 form, and never any private range): it exists for tests that run real servers on this machine.
    """
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return f"{address} carries a zone index"
        inner = embedded_ipv4(address)
        if inner is not None:
            inner_refusal = address_refusal(inner, allow_loopback=False)
            return f"{address} embeds {inner}, which is {inner_refusal}" if inner_refusal else None
    if allow_loopback and is_loopback(address):
        return None
    for network, reason in _FORBIDDEN_NETWORKS:
        if network.version == address.version and address in network:
            return f"{address} is {reason} ({network})"
    if isinstance(address, ipaddress.IPv6Address) and address not in _IPV6_GLOBAL_UNICAST:
        return f"{address} is outside IPv6 global unicast (2000::/3)"
    if not address.is_global:
        return f"{address} is not globally routable"
    return None
