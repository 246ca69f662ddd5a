"""fetch_url against real HTTP servers on 127.0.0.1 started by the tests."""

from __future__ import annotations

import gzip
import time

import pytest

from claims.ingestion.fetch import FetchFailed, FetchRefused, fetch_url
from tests.support.local_http import send

ARTICLE = b"<html><head><title>Rail</title></head><body><p>The minister promised a rail upgrade.</p></body></html>"


def _article(handler):
    send(handler, 200, ARTICLE, headers={"ETag": '"v1"', "Last-Modified": "Tue, 05 Mar 2024 09:30:00 GMT"})


def _redirect(location, status=302):
    def handle(handler):
        send(handler, status, b"", content_type="", headers={"Location": location})

    return handle


def test_article_page_is_fetched_and_decoded(server):
    server.routes["/article"] = _article
    document = fetch_url(server.url("/article"), policy=server.policy())
    assert document.status == 200
    assert document.final_url == server.url("/article")
    assert document.content_type == "text/html"
    assert document.charset == "utf-8"
    assert "rail upgrade" in document.text
    assert document.etag == '"v1"'
    assert document.last_modified == "Tue, 05 Mar 2024 09:30:00 GMT"
    assert document.fetched_at.tzinfo is not None
    assert document.redirects == []
    assert server.requests[0][1]["Host"] == f"127.0.0.1:{server.port}"


def test_settings_open_the_loopback_escape_hatch(server, settings):
    settings.INGESTION_ALLOW_LOOPBACK = True
    settings.INGESTION_ALLOWED_PORTS = [80, 443, server.port]
    server.routes["/article"] = _article
    assert fetch_url(server.url("/article")).status == 200


def test_port_outside_the_settings_is_refused(server, settings, connection_attempts):
    settings.INGESTION_ALLOW_LOOPBACK = True
    with pytest.raises(FetchRefused) as refused:
        fetch_url(server.url("/article"))
    assert refused.value.reason_code == "port_not_allowed"
    assert connection_attempts == []


def test_connection_goes_to_the_single_vetted_address_with_the_original_host_header(server, fake_dns):
    fake_dns.answers["news.test"] = lambda call_number: ["127.0.0.1"] if call_number == 1 else ["10.0.0.1"]
    server.routes["/article"] = _article
    document = fetch_url(server.url("/article", host="news.test"), policy=server.policy())
    assert document.status == 200
    assert fake_dns.calls == ["news.test"]
    assert server.requests[0][1]["Host"] == f"news.test:{server.port}"


def test_redirect_chain_is_followed_and_recorded(server):
    server.routes["/old"] = _redirect("/older", 301)
    server.routes["/older"] = _redirect(server.url("/article"), 307)
    server.routes["/article"] = _article
    document = fetch_url(server.url("/old"), policy=server.policy())
    assert document.final_url == server.url("/article")
    assert document.redirects == [server.url("/old"), server.url("/older")]
    assert "rail upgrade" in document.text


def test_redirect_loop_is_refused(server):
    server.routes["/a"] = _redirect("/b")
    server.routes["/b"] = _redirect("/a")
    with pytest.raises(FetchRefused) as refused:
        fetch_url(server.url("/a"), policy=server.policy())
    assert refused.value.reason_code == "redirect_loop"
    assert len(server.requests) == 2


def test_redirects_over_the_cap_are_refused(server):
    for hop in range(10):
        server.routes[f"/hop/{hop}"] = _redirect(f"/hop/{hop + 1}")
    with pytest.raises(FetchRefused) as refused:
        fetch_url(server.url("/hop/0"), policy=server.policy(max_redirects=3))
    assert refused.value.reason_code == "too_many_redirects"
    assert len(server.requests) == 4


def test_redirect_to_a_host_resolving_to_a_private_address_is_refused(server, fake_dns, connection_attempts):
    fake_dns.answers["intranet.example"] = ["10.0.0.1"]
    server.routes["/go"] = _redirect(f"http://intranet.example:{server.port}/admin")
    with pytest.raises(FetchRefused) as refused:
        fetch_url(server.url("/go"), policy=server.policy())
    assert refused.value.reason_code == "address_forbidden"
    assert fake_dns.calls == ["127.0.0.1", "intranet.example"]
    assert all(address[0] == "127.0.0.1" for address in connection_attempts)


@pytest.mark.parametrize(
    ("location", "reason_code"),
    [
        ("http://169.254.169.254:{port}/latest/meta-data/", "ip_literal_not_allowed"),
        ("http://[::1]:{port}/", "ip_literal_not_allowed"),
        ("file:///etc/passwd", "scheme_not_allowed"),
        ("gopher://news.example/", "scheme_not_allowed"),
        ("http://news.example:6379/", "port_not_allowed"),
        ("http://10.0.0.1:{port}/", "ip_literal_not_allowed"),
    ],
)
def test_redirect_target_is_revalidated(server, location, reason_code, connection_attempts):
    server.routes["/go"] = _redirect(location.format(port=server.port))
    with pytest.raises(FetchRefused) as refused:
        fetch_url(server.url("/go"), policy=server.policy())
    assert refused.value.reason_code == reason_code
    assert all(address[0] == "127.0.0.1" for address in connection_attempts)


def test_honest_content_length_over_the_cap_is_refused_without_reading(server):
    server.routes["/big"] = lambda handler: send(handler, 200, b"x" * 50_000)
    with pytest.raises(FetchRefused) as refused:
        fetch_url(server.url("/big"), policy=server.policy(max_body_bytes=10_000))
    assert refused.value.reason_code == "body_too_large"
    assert "50000" in refused.value.message


def _lying_content_length(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.send_header("Content-Length", "100")
    handler.end_headers()
    for _ in range(50):
        handler.wfile.write(b"y" * 1000)


def test_lying_small_content_length_never_lets_more_than_declared_in(server):
    server.routes["/liar"] = _lying_content_length
    document = fetch_url(server.url("/liar"), policy=server.policy(max_body_bytes=10_000))
    assert document.text == "y" * 100


def _chunked(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    for _ in range(50):
        handler.wfile.write(b"3e8\r\n" + b"z" * 1000 + b"\r\n")
    handler.wfile.write(b"0\r\n\r\n")


def _close_delimited(handler):
    handler.protocol_version = "HTTP/1.0"
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    for _ in range(50):
        handler.wfile.write(b"z" * 1000)
    handler.close_connection = True


@pytest.mark.parametrize("route", [_chunked, _close_delimited], ids=["chunked", "close-delimited"])
def test_body_without_content_length_is_cut_at_the_cap(server, route):
    server.routes["/stream"] = route
    with pytest.raises(FetchRefused) as refused:
        fetch_url(server.url("/stream"), policy=server.policy(max_body_bytes=10_000))
    assert refused.value.reason_code == "body_too_large"


def test_small_chunked_body_is_read_whole(server):
    def small_chunked(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain; charset=utf-8")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        handler.wfile.write(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")

    server.routes["/small"] = small_chunked
    assert fetch_url(server.url("/small"), policy=server.policy()).text == "hello world"


def test_compressed_body_is_capped_after_decompression(server):
    bomb = gzip.compress(b"a" * 1_000_000)
    server.routes["/bomb"] = lambda handler: send(handler, 200, bomb, headers={"Content-Encoding": "gzip"})
    assert len(bomb) < 10_000
    with pytest.raises(FetchRefused) as refused:
        fetch_url(server.url("/bomb"), policy=server.policy(max_body_bytes=10_000))
    assert refused.value.reason_code == "body_too_large"


def _trickle_body(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    for _ in range(200):
        handler.wfile.write(b"t")
        handler.wfile.flush()
        time.sleep(0.02)


def _trickle_headers(handler):
    handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
    for _ in range(200):
        handler.wfile.write(b"X")
        handler.wfile.flush()
        time.sleep(0.02)


@pytest.mark.parametrize("route", [_trickle_body, _trickle_headers], ids=["body", "headers"])
def test_trickling_server_hits_the_total_time_cap(server, route):
    server.routes["/slow"] = route
    started = time.monotonic()
    with pytest.raises(FetchFailed) as failed:
        fetch_url(server.url("/slow"), policy=server.policy(total_timeout=0.4, read_timeout=2.0))
    elapsed = time.monotonic() - started
    assert failed.value.reason_code == "timeout"
    assert failed.value.is_transient
    assert elapsed < 1.5


def test_wrong_content_type_is_refused(server):
    server.routes["/image"] = lambda handler: send(handler, 200, b"\x89PNG", content_type="image/png")
    with pytest.raises(FetchRefused) as refused:
        fetch_url(server.url("/image"), policy=server.policy())
    assert refused.value.reason_code == "content_type_not_allowed"
    assert "image/png" in refused.value.message


def test_missing_content_type_is_refused(server):
    server.routes["/untyped"] = lambda handler: send(handler, 200, b"hello", content_type="")
    with pytest.raises(FetchRefused) as refused:
        fetch_url(server.url("/untyped"), policy=server.policy())
    assert refused.value.reason_code == "content_type_not_allowed"


@pytest.mark.parametrize(("status", "is_transient"), [(404, False), (410, False), (500, True), (503, True)])
def test_http_error_status_is_reported_with_transience(server, status, is_transient):
    server.routes["/error"] = lambda handler: send(handler, status, b"oops")
    with pytest.raises(FetchFailed) as failed:
        fetch_url(server.url("/error"), policy=server.policy())
    assert failed.value.reason_code == "http_error"
    assert failed.value.status == status
    assert failed.value.is_transient is is_transient
    assert str(status) in failed.value.message


def test_refused_connection_is_a_transient_failure(server):
    policy = server.policy()
    url = server.url("/article")
    server.httpd.shutdown()
    server.httpd.server_close()
    with pytest.raises(FetchFailed) as failed:
        fetch_url(url, policy=policy)
    assert failed.value.reason_code == "connection_failed"
    assert failed.value.is_transient


def _conditional(handler):
    if handler.headers.get("If-None-Match") == '"v1"' or handler.headers.get("If-Modified-Since"):
        send(handler, 304, b"", content_type="", headers={"ETag": '"v1"'})
    else:
        _article(handler)


def test_unchanged_feed_comes_back_as_not_modified(server):
    server.routes["/feed"] = _conditional
    first = fetch_url(server.url("/feed"), policy=server.policy())
    second = fetch_url(server.url("/feed"), policy=server.policy(), etag=first.etag)
    assert first.status == 200
    assert not first.is_not_modified
    assert second.is_not_modified
    assert second.status == 304
    assert second.text == ""
    assert second.etag == '"v1"'
    assert server.requests[1][1]["If-None-Match"] == '"v1"'


def test_last_modified_makes_the_request_conditional(server):
    server.routes["/feed"] = _conditional
    document = fetch_url(server.url("/feed"), policy=server.policy(), last_modified="Tue, 05 Mar 2024 09:30:00 GMT")
    assert document.is_not_modified
    assert server.requests[0][1]["If-Modified-Since"] == "Tue, 05 Mar 2024 09:30:00 GMT"


def test_declared_charset_is_used(server):
    body = "<p>Le ministre a démissionné à Liège.</p>".encode("iso-8859-1")
    server.routes["/latin"] = lambda handler: send(handler, 200, body, content_type="text/html; charset=ISO-8859-1")
    document = fetch_url(server.url("/latin"), policy=server.policy())
    assert document.charset == "iso8859-1"
    assert "démissionné à Liège" in document.text


def test_undeclared_charset_is_detected(server):
    body = "<p>" + "Le ministre a démissionné à Liège après une longue journée de négociations. " * 5 + "</p>"
    server.routes["/guess"] = lambda handler: send(handler, 200, body.encode("cp1252"), content_type="text/html")
    document = fetch_url(server.url("/guess"), policy=server.policy())
    assert "démissionné à Liège" in document.text
