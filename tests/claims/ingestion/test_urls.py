"""URLs are refused before any DNS lookup when their form alone breaks the policy."""

from __future__ import annotations

import pytest

from claims.ingestion.fetch import FetchPolicy, FetchRefused, fetch_url
from claims.ingestion.urls import vet_url


@pytest.mark.parametrize(
    ("url", "reason_code"),
    [
        ("ftp://news.example/a", "scheme_not_allowed"),
        ("file:///etc/passwd", "scheme_not_allowed"),
        ("javascript:alert(1)", "scheme_not_allowed"),
        ("gopher://news.example:70/_GET", "scheme_not_allowed"),
        ("data:text/html,hi", "scheme_not_allowed"),
        ("news.example/a", "scheme_not_allowed"),
        ("http://user@news.example/", "userinfo_not_allowed"),
        ("http://user:secret@news.example/", "userinfo_not_allowed"),
        ("http://news.example@10.0.0.1/", "userinfo_not_allowed"),
        ("http://news.example:8080/", "port_not_allowed"),
        ("https://news.example:22/", "port_not_allowed"),
        ("http://news.example:99999/", "invalid_url"),
        ("http://[::1]/", "ip_literal_not_allowed"),
        ("http://[::ffff:127.0.0.1]/", "ip_literal_not_allowed"),
        ("http://[2606:4700:4700::1111]:443/", "ip_literal_not_allowed"),
        ("http://2130706433/", "ip_literal_not_allowed"),
        ("http://0x7f.1/", "ip_literal_not_allowed"),
        ("http://017700000001/", "ip_literal_not_allowed"),
        ("http://0177.0.0.1/", "ip_literal_not_allowed"),
        ("http://127.1/", "ip_literal_not_allowed"),
        ("http://10.0.0.1/", "ip_literal_not_allowed"),
        ("http://169.254.169.254/latest/meta-data/", "ip_literal_not_allowed"),
        ("http://news.example\\@evil.example/", "invalid_url"),
        ("http://news.example/a b", "invalid_url"),
        ("http://news.example\r\nX-Injected: 1/", "invalid_url"),
        ("http:///path-only", "invalid_url"),
        ("http://-bad-.example/", "invalid_url"),
    ],
)
def test_url_is_refused_before_resolving(url, reason_code, fake_dns, connection_attempts):
    with pytest.raises(FetchRefused) as refused:
        fetch_url(url, policy=FetchPolicy())
    assert refused.value.reason_code == reason_code
    assert refused.value.message
    assert fake_dns.calls == []
    assert connection_attempts == []


def test_loopback_escape_hatch_does_not_admit_numeric_tricks(fake_dns):
    with pytest.raises(FetchRefused) as refused:
        fetch_url("http://2130706433/", policy=FetchPolicy(allow_loopback=True))
    assert refused.value.reason_code == "ip_literal_not_allowed"


def test_vetted_url_keeps_host_port_and_percent_encodes_the_path():
    target = vet_url(
        "https://Nieuws.Example.:443/artikel/één?q=café#x",
        allowed_schemes=frozenset({"https"}),
        allowed_ports=frozenset({443}),
        allow_loopback=False,
    )
    assert target.host == "nieuws.example"
    assert target.host_header == "nieuws.example"
    assert target.request_target == "/artikel/%C3%A9%C3%A9n?q=caf%C3%A9"
    assert target.url == "https://nieuws.example/artikel/%C3%A9%C3%A9n?q=caf%C3%A9"


def test_internationalized_host_is_sent_as_punycode():
    target = vet_url(
        "http://bücher.example/",
        allowed_schemes=frozenset({"http"}),
        allowed_ports=frozenset({80}),
        allow_loopback=False,
    )
    assert target.host == "xn--bcher-kva.example"
