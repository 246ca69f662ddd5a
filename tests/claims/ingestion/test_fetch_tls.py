"""HTTPS goes to the pinned address while SNI and certificate checks use the original hostname."""

from __future__ import annotations

import pytest

from claims.ingestion.fetch import FetchFailed, fetch_url
from tests.support.local_http import send


def _page(handler):
    send(handler, 200, b"<p>Secure article</p>")


def test_https_fetch_verifies_the_certificate_for_the_original_hostname(tls_server, fake_dns, news_test_certificate):
    fake_dns.answers["news.test"] = ["127.0.0.1"]
    tls_server.routes["/article"] = _page
    document = fetch_url(tls_server.url("/article"), policy=tls_server.policy(ca_certs=str(news_test_certificate.cert)))
    assert document.text == "<p>Secure article</p>"
    assert tls_server.server_names == ["news.test"]
    assert tls_server.requests[0][1]["Host"] == f"news.test:{tls_server.port}"
    assert fake_dns.calls == ["news.test"]


def test_certificate_for_another_hostname_is_rejected(tls_server, fake_dns, news_test_certificate):
    fake_dns.answers["other.test"] = ["127.0.0.1"]
    with pytest.raises(FetchFailed) as failed:
        fetch_url(
            tls_server.url("/article", host="other.test"),
            policy=tls_server.policy(ca_certs=str(news_test_certificate.cert)),
        )
    assert failed.value.reason_code == "tls_error"
    assert not failed.value.is_transient
    assert tls_server.requests == []


def test_untrusted_certificate_is_rejected(tls_server, fake_dns):
    fake_dns.answers["news.test"] = ["127.0.0.1"]
    with pytest.raises(FetchFailed) as failed:
        fetch_url(tls_server.url("/article"), policy=tls_server.policy())
    assert failed.value.reason_code == "tls_error"
    assert tls_server.requests == []
