"""Which addresses an ingestion fetch may connect to (pure checks, nothing is connected)."""

from __future__ import annotations

import ipaddress

import pytest

from claims.ingestion.addresses import address_refusal

FORBIDDEN = [
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",  # noqa: S104 (an address to refuse, not one to bind)
    "0.1.2.3",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "198.18.0.1",
    "192.0.0.8",
    "192.0.2.10",
    "198.51.100.7",
    "203.0.113.9",
    "192.88.99.1",
    "127.0.0.1",
    "127.8.9.10",
    "::",
    "::1",
    "fe80::1",
    "fec0::1",
    "fc00::1",
    "fd12::1",
    "::ffff:10.0.0.1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::a00:1",
    "64:ff9b::a00:1",
    "64:ff9b::7f00:1",
    "64:ff9b:1::1",
    "2002:a00:1::",
    "2002:808:808::1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "2001:db8::1",
    "3fff::1",
    "100::1",
    "ff02::1",
    "5f00::1",
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]


@pytest.mark.parametrize("address", FORBIDDEN)
def test_special_purpose_address_is_refused(address):
    assert address_refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", PUBLIC)
def test_public_address_is_allowed(address):
    assert address_refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("address", ["127.0.0.1", "127.1.2.3", "::1"])
def test_loopback_escape_hatch_admits_plain_loopback(address):
    assert address_refusal(ipaddress.ip_address(address), allow_loopback=True) is None


@pytest.mark.parametrize("address", [a for a in FORBIDDEN if a not in {"127.0.0.1", "127.8.9.10", "::1"}])
def test_loopback_escape_hatch_admits_nothing_else(address):
    assert address_refusal(ipaddress.ip_address(address), allow_loopback=True) is not None


def test_refusal_names_the_embedded_ipv4_address():
    refusal = address_refusal(ipaddress.ip_address("64:ff9b::a00:1"))
    assert refusal is not None
    assert "10.0.0.1" in refusal
