"""A host that resolves to a forbidden address is refused before any connection is attempted.

DNS is faked (``fake_dns``) and every connection attempt is recorded by the autouse ``connection_attempts``
guard, which lets only loopback connections through: no packet leaves the machine.
"""

from __future__ import annotations

import pytest

from claims.ingestion.fetch import FetchFailed, FetchPolicy, FetchRefused, fetch_url
from tests.claims.ingestion.test_addresses import FORBIDDEN

NOT_PLAIN_LOOPBACK = [address for address in FORBIDDEN if address not in {"127.0.0.1", "127.8.9.10", "::1"}]


@pytest.mark.parametrize("address", FORBIDDEN)
def test_host_resolving_to_forbidden_address_is_refused_without_connecting(address, fake_dns, connection_attempts):
    fake_dns.answers["evil.example"] = [address]
    with pytest.raises(FetchRefused) as refused:
        fetch_url("http://evil.example/article", policy=FetchPolicy())
    assert refused.value.reason_code == "address_forbidden"
    assert "evil.example" in refused.value.message
    assert fake_dns.calls == ["evil.example"]
    assert connection_attempts == []


@pytest.mark.parametrize("address", NOT_PLAIN_LOOPBACK)
def test_loopback_escape_hatch_still_refuses_everything_but_loopback(address, fake_dns, connection_attempts):
    fake_dns.answers["evil.example"] = [address]
    with pytest.raises(FetchRefused) as refused:
        fetch_url("http://evil.example/", policy=FetchPolicy(allow_loopback=True))
    assert refused.value.reason_code == "address_forbidden"
    assert connection_attempts == []


def test_loopback_is_refused_when_the_setting_is_off(settings, fake_dns, connection_attempts):
    settings.INGESTION_ALLOW_LOOPBACK = False
    fake_dns.answers["evil.example"] = ["127.0.0.1"]
    with pytest.raises(FetchRefused) as refused:
        fetch_url("http://evil.example/")
    assert refused.value.reason_code == "address_forbidden"
    assert connection_attempts == []


@pytest.mark.parametrize("answers", [["93.184.216.34", "10.0.0.1"], ["10.0.0.1", "93.184.216.34"]])
def test_host_with_one_public_and_one_private_address_is_refused(answers, fake_dns, connection_attempts):
    fake_dns.answers["mixed.example"] = answers
    with pytest.raises(FetchRefused) as refused:
        fetch_url("https://mixed.example/", policy=FetchPolicy())
    assert refused.value.reason_code == "address_forbidden"
    assert "10.0.0.1" in refused.value.message
    assert connection_attempts == []


def test_dns_rebinding_gets_no_second_answer(fake_dns, connection_attempts):
    """First answer public-looking, every later answer private: only one lookup is ever made, and the only
    connection attempt goes to the vetted public address (intercepted by the guard, so it fails)."""
    fake_dns.answers["rebind.example"] = lambda call_number: ["93.184.216.34"] if call_number == 1 else ["10.0.0.1"]
    with pytest.raises(FetchFailed) as failed:
        fetch_url("http://rebind.example/", policy=FetchPolicy())
    assert failed.value.reason_code == "connection_failed"
    assert failed.value.is_transient
    assert fake_dns.calls == ["rebind.example"]
    assert connection_attempts == [("93.184.216.34", 80)]


def test_unresolvable_host_fails_as_dns_failure(fake_dns, connection_attempts):
    with pytest.raises(FetchFailed) as failed:
        fetch_url("http://nowhere.example/", policy=FetchPolicy())
    assert failed.value.reason_code == "dns_failed"
    assert connection_attempts == []
