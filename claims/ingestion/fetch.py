"""Fetch an untrusted URL: vetted hosts and addresses, pinned connections, manual redirects, hard caps.

``fetch_url`` is the one entry point. Every hop (the first request and each redirect) is checked afresh: URL
scheme, userinfo and port, then a single DNS resolution whose EVERY address must pass
``claims.ingestion.addresses``, then a connection to one of those vetted addresses only (see
``claims.ingestion.connection`` for why this is written on urllib3 rather than ``requests-hardened``). The body is
streamed against the size cap, and the whole fetch, DNS and redirects included, against a wall-clock deadline
enforced both per socket operation and by a watchdog that shuts the socket down when the deadline passes.
"""

from __future__ import annotations

import contextlib
import email.message
import socket
import ssl
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final
from urllib.parse import urljoin

from django.utils import timezone
from urllib3.exceptions import HTTPError as Urllib3HTTPError
from urllib3.exceptions import ProtocolError
from urllib3.exceptions import SSLError as Urllib3SSLError
from urllib3.response import HTTPResponse
from urllib3.util.ssl_match_hostname import CertificateError as Urllib3CertificateError

from claims.ingestion.charset import decode_body
from claims.ingestion.connection import (
    Deadline,
    PinnedHTTPConnection,
    PinnedHTTPSConnection,
    VettedAddress,
    resolve_and_vet,
)
from claims.ingestion.errors import FetchError, FetchFailed, FetchRefused
from claims.ingestion.policy import FetchPolicy
from claims.ingestion.urls import Target, vet_url

__all__ = [
    "FetchError",
    "FetchFailed",
    "FetchPolicy",
    "FetchRefused",
    "FetchedDocument",
    "PostedResponse",
    "fetch_url",
    "post_json",
]

REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
TRANSIENT_STATUSES: Final = frozenset({408, 425, 429, 500, 502, 503, 504})
_CHUNK_BYTES: Final = 64 * 1024


@dataclass(frozen=True)
class FetchedDocument:
    """What came back. ``redirects`` lists, in order, the URLs that answered with a redirect (the requested URL
    first), so ``[*redirects, final_url]`` is the whole chain. A 304 answer to a conditional request has
    ``status == 304``, ``is_not_modified`` true and empty ``text``."""

    final_url: str
    status: int
    content_type: str
    charset: str
    text: str
    etag: str | None
    last_modified: str | None
    fetched_at: datetime
    redirects: list[str] = field(default_factory=list)

    @property
    def is_not_modified(self) -> bool:
        return self.status == 304


@dataclass
class _Exchange:
    connection: PinnedHTTPConnection
    response: HTTPResponse
    watchdog: threading.Timer

    def close(self) -> None:
        self.watchdog.cancel()
        self.response.release_conn()
        self.connection.close()


def _shutdown_socket(connection: PinnedHTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)  # plain TCP shutdown, also under TLS


def _network_failure(exc: BaseException, *, target: Target, deadline: Deadline, doing: str) -> FetchFailed:
    if deadline.remaining() <= 0 or isinstance(exc, TimeoutError | socket.timeout):
        return FetchFailed("timeout", f"Timed out {doing} {target.host}:{target.port}", True)
    if isinstance(exc, ssl.SSLError | ssl.CertificateError | Urllib3SSLError | Urllib3CertificateError):
        return FetchFailed("tls_error", f"TLS with {target.host} failed: {exc}", False)
    return FetchFailed("connection_failed", f"Failed {doing} {target.host}:{target.port}: {exc}", True)


def _open(
    target: Target,
    addresses: list[VettedAddress],
    headers: dict[str, str],
    policy: FetchPolicy,
    deadline: Deadline,
    *,
    method: str = "GET",
    body: bytes | None = None,
) -> _Exchange:
    """Send the request (a GET unless told) to the first vetted address that accepts a connection, and read the
    response head."""
    failure: FetchFailed | None = None
    for pinned in addresses:
        timeout = deadline.cap(policy.connect_timeout, f"connecting to {target.host}")
        connection: PinnedHTTPConnection
        if target.scheme == "https":
            connection = PinnedHTTPSConnection(
                target.host, target.port, pinned=pinned, timeout=timeout, ca_certs=policy.ca_certs
            )
        else:
            connection = PinnedHTTPConnection(target.host, target.port, pinned=pinned, timeout=timeout)
        watchdog = threading.Timer(deadline.check(f"connecting to {target.host}"), _shutdown_socket, (connection,))
        watchdog.daemon = True
        watchdog.start()
        try:
            connection.connect()
        except (OSError, Urllib3HTTPError, Urllib3CertificateError) as exc:
            watchdog.cancel()
            connection.close()
            failure = _network_failure(exc, target=target, deadline=deadline, doing="connecting to")
            if failure.reason_code != "connection_failed":
                raise failure from exc
            continue
        try:
            connection.request(method, target.request_target, body=body, headers=headers, preload_content=False)
            connection.timeout = deadline.cap(policy.read_timeout, f"waiting for {target.host}")
            response = connection.getresponse()
            deadline.check(f"waiting for {target.host}")  # the watchdog may have cut the headers short
        except (OSError, Urllib3HTTPError, FetchFailed) as exc:
            watchdog.cancel()
            connection.close()
            if isinstance(exc, FetchFailed):
                raise
            raise _network_failure(exc, target=target, deadline=deadline, doing="requesting from") from exc
        return _Exchange(connection=connection, response=response, watchdog=watchdog)
    assert failure is not None
    raise failure


def _media_type(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    message = email.message.Message()
    message["Content-Type"] = header
    charset = message.get_param("charset")
    return message.get_content_type().lower(), charset if isinstance(charset, str) else None


def _read_body(exchange: _Exchange, *, target: Target, policy: FetchPolicy, deadline: Deadline) -> bytes:
    """Stream the body, stopping as soon as it passes the cap, whatever Content-Length claimed."""
    declared = exchange.response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > policy.max_body_bytes:
        raise FetchRefused(
            "body_too_large",
            f"{target.url} declares {int(declared)} bytes, over the {policy.max_body_bytes}-byte limit",
        )
    chunks: list[bytes] = []
    received = 0
    sock = exchange.connection.sock
    try:
        while True:
            if sock is not None:
                sock.settimeout(deadline.cap(policy.read_timeout, f"reading {target.url}"))
            chunk = exchange.response.read1(_CHUNK_BYTES)
            if not chunk:
                break
            received += len(chunk)
            if received > policy.max_body_bytes:
                raise FetchRefused(
                    "body_too_large", f"{target.url} sent more than the {policy.max_body_bytes}-byte limit"
                )
            chunks.append(chunk)
    except FetchError:
        raise
    except (OSError, Urllib3HTTPError, ProtocolError) as exc:
        raise _network_failure(exc, target=target, deadline=deadline, doing="reading the body from") from exc
    deadline.check(f"reading {target.url}")
    return b"".join(chunks)


def _request_headers(
    target: Target, policy: FetchPolicy, etag: str | None, last_modified: str | None
) -> dict[str, str]:
    headers = {
        "Host": target.host_header,
        "User-Agent": policy.user_agent,
        "Accept": ", ".join(sorted(policy.allowed_content_types)) + ";q=0.9, */*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
        "Connection": "close",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def fetch_url(
    url: str,
    *,
    policy: FetchPolicy | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchedDocument:
    """GET ``url`` under ``policy`` (``FetchPolicy.from_settings()`` when omitted).

    ``etag`` / ``last_modified`` (from an earlier ``FetchedDocument``) make the request conditional; an unchanged
    resource comes back as a document with ``is_not_modified``. Raises ``FetchRefused`` for policy violations and
    ``FetchFailed`` for network and HTTP failures; both carry a stable ``reason_code``.
    """
    policy = policy or FetchPolicy.from_settings()
    deadline = Deadline(policy.total_timeout)
    redirects: list[str] = []
    current = url
    while True:
        target = vet_url(
            current,
            allowed_schemes=policy.allowed_schemes,
            allowed_ports=policy.allowed_ports,
            allow_loopback=policy.allow_loopback,
        )
        if target.url in redirects:
            raise FetchRefused("redirect_loop", f"Redirects loop back to {target.url} after {len(redirects)} hops")
        addresses = resolve_and_vet(target.host, target.port, allow_loopback=policy.allow_loopback, deadline=deadline)
        exchange = _open(target, addresses, _request_headers(target, policy, etag, last_modified), policy, deadline)
        try:
            response = exchange.response
            status = response.status
            if status in REDIRECT_STATUSES:
                location = response.headers.get("Location")
                if not location:
                    raise FetchFailed(
                        "http_error", f"{target.url} answered {status} without a Location", False, status=status
                    )
                redirects.append(target.url)
                if len(redirects) > policy.max_redirects:
                    raise FetchRefused("too_many_redirects", f"{url} redirected more than {policy.max_redirects} times")
                current = urljoin(target.url, location.strip())
                continue
            if status == 304 and (etag or last_modified):
                return FetchedDocument(
                    final_url=target.url,
                    status=304,
                    content_type="",
                    charset="",
                    text="",
                    etag=response.headers.get("ETag") or etag,
                    last_modified=response.headers.get("Last-Modified") or last_modified,
                    fetched_at=timezone.now(),
                    redirects=redirects,
                )
            if not 200 <= status < 300:
                raise FetchFailed(
                    "http_error", f"{target.url} answered HTTP {status}", status in TRANSIENT_STATUSES, status=status
                )
            content_type, declared_charset = _media_type(response.headers.get("Content-Type"))
            if content_type not in policy.allowed_content_types:
                raise FetchRefused(
                    "content_type_not_allowed",
                    f"{target.url} is {content_type or 'of no declared type'!r}, not one of "
                    f"{', '.join(sorted(policy.allowed_content_types))}",
                )
            body = _read_body(exchange, target=target, policy=policy, deadline=deadline)
        finally:
            exchange.close()
        text, charset = decode_body(body, declared_charset)
        return FetchedDocument(
            final_url=target.url,
            status=status,
            content_type=content_type,
            charset=charset,
            text=text,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            fetched_at=timezone.now(),
            redirects=redirects,
        )


@dataclass(frozen=True)
class PostedResponse:
    """A 2xx answer to ``post_json``: its status and (capped) body."""

    url: str
    status: int
    body: bytes


def post_json(url: str, body: bytes, headers: dict[str, str], *, policy: FetchPolicy | None = None) -> PostedResponse:
    """POST the JSON ``body`` to ``url`` under the same vetting, pinning, deadline and body cap as ``fetch_url``.

    Redirects are never followed (a POST must not be replayed to another address): a 3xx raises
    ``FetchFailed('redirect_refused')``. Any other non-2xx raises ``FetchFailed('http_error', status=...)``,
    transient for 408/425/429/5xx. Policy violations, private addresses included, raise ``FetchRefused``.
    """
    policy = policy or FetchPolicy.from_settings()
    deadline = Deadline(policy.total_timeout)
    target = vet_url(
        url,
        allowed_schemes=policy.allowed_schemes,
        allowed_ports=policy.allowed_ports,
        allow_loopback=policy.allow_loopback,
    )
    addresses = resolve_and_vet(target.host, target.port, allow_loopback=policy.allow_loopback, deadline=deadline)
    request_headers = {
        **headers,
        "Host": target.host_header,
        "User-Agent": policy.user_agent,
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
        "Connection": "close",
    }
    exchange = _open(target, addresses, request_headers, policy, deadline, method="POST", body=body)
    try:
        status = exchange.response.status
        if status in REDIRECT_STATUSES:
            raise FetchFailed(
                "redirect_refused", f"{target.url} answered {status}; a POST is not redirected", False, status=status
            )
        if not 200 <= status < 300:
            raise FetchFailed(
                "http_error", f"{target.url} answered HTTP {status}", status in TRANSIENT_STATUSES, status=status
            )
        answer = _read_body(exchange, target=target, policy=policy, deadline=deadline)
    finally:
        exchange.close()
    return PostedResponse(url=target.url, status=status, body=answer)
