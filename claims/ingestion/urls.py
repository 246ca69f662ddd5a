"""Parse and vet a URL before anything touches the network.

Refused: schemes other than http/https, userinfo (``user@host``), ports outside the policy, IP literals (every
IPv6 literal, and IPv4 in any form: ``2130706433``, ``0x7f.1``, ``017700000001`` are spellings of 127.0.0.1 that
``getaddrinfo`` would happily accept), backslashes, whitespace and control characters (parser differentials
between us and the server). The only literal let through is a canonical dotted-quad loopback address when the
policy allows loopback, for tests that start local servers.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from claims.ingestion.addresses import is_loopback
from claims.ingestion.errors import FetchRefused

_DEFAULT_PORTS = {"http": 80, "https": 443}
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_FORBIDDEN_CHARACTERS = re.compile(r"[\x00-\x20\x7f\\]")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
MAX_URL_LENGTH = 4096


@dataclass(frozen=True)
class Target:
    """A vetted URL, split into what the connection needs."""

    url: str
    scheme: str
    host: str
    port: int
    request_target: str

    @property
    def host_header(self) -> str:
        return self.host if self.port == _DEFAULT_PORTS[self.scheme] else f"{self.host}:{self.port}"


def _refuse(reason_code: str, message: str) -> FetchRefused:
    return FetchRefused(reason_code, message)


def _is_ipv4_spelling(host: str) -> bool:
    """True when the C resolver would read ``host`` as an IPv4 address (decimal, octal, hex or short forms)."""
    try:
        socket.inet_aton(host)
    except OSError:
        return False
    return True


def _vet_host(raw_host: str, *, url: str, allow_loopback: bool) -> str:
    if raw_host.startswith("["):
        raise _refuse("ip_literal_not_allowed", f"IPv6 address literal in {url!r}; fetch by hostname")
    host = raw_host.rstrip(".").lower()
    if not host:
        raise _refuse("invalid_url", f"No host in {url!r}")
    if _is_ipv4_spelling(host):
        canonical = True
        try:
            address = ipaddress.IPv4Address(host)
        except ValueError:
            canonical = False
        if canonical and allow_loopback and is_loopback(address) and str(address) == host:
            return host
        raise _refuse("ip_literal_not_allowed", f"IP address literal {raw_host!r} in {url!r}; fetch by hostname")
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise _refuse("invalid_url", f"Host {raw_host!r} in {url!r} is not a valid domain name") from exc
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise _refuse("invalid_url", f"Host {raw_host!r} in {url!r} is not a valid domain name")
    if labels[-1].isdigit():
        raise _refuse("ip_literal_not_allowed", f"Host {raw_host!r} in {url!r} looks like an IP address")
    return ascii_host


def vet_url(
    url: str, *, allowed_schemes: frozenset[str], allowed_ports: frozenset[int], allow_loopback: bool
) -> Target:
    """Parse ``url`` and check it against the policy, or raise ``FetchRefused``."""
    if len(url) > MAX_URL_LENGTH:
        raise _refuse("invalid_url", f"URL is longer than {MAX_URL_LENGTH} characters")
    if _FORBIDDEN_CHARACTERS.search(url):
        raise _refuse("invalid_url", f"URL {url!r} contains whitespace, control characters or a backslash")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in allowed_schemes or scheme not in _DEFAULT_PORTS:
        raise _refuse("scheme_not_allowed", f"Scheme {scheme or '(none)'!r} of {url!r} is not allowed; use http(s)")
    if "@" in parts.netloc:
        raise _refuse("userinfo_not_allowed", f"URL {url!r} carries credentials (user@host); they are not allowed")
    try:
        explicit_port = parts.port
    except ValueError as exc:
        raise _refuse("invalid_url", f"URL {url!r} has an invalid port") from exc
    port = explicit_port if explicit_port is not None else _DEFAULT_PORTS[scheme]
    if port not in allowed_ports:
        raise _refuse("port_not_allowed", f"Port {port} of {url!r} is not allowed (allowed: {sorted(allowed_ports)})")
    host_in_netloc = parts.netloc.rsplit(":", 1)[0] if explicit_port is not None else parts.netloc
    host = _vet_host(host_in_netloc, url=url, allow_loopback=allow_loopback)
    path = quote(parts.path, safe=_PATH_SAFE) or "/"
    query = quote(parts.query, safe=_QUERY_SAFE)
    request_target = f"{path}?{query}" if query else path
    netloc = host if port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    return Target(
        url=urlunsplit((scheme, netloc, path, query, "")),
        scheme=scheme,
        host=host,
        port=port,
        request_target=request_target,
    )
