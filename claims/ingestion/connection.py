"""Resolve a host once, vet every address, and connect only to a vetted address.

Why not ``requests-hardened`` (1.3.0, source read in site-packages)? It does pin the vetted IP, send ``Host`` and
verify TLS against the original hostname via SNI, but:

- ``ip_filter.get_ip_address`` vets only the FIRST address ``getaddrinfo`` returns, so a host answering with one
  public and one private address passes the filter;
- it decides with ``ip.is_private`` plus a short extra list; on this CPython (3.11.7, before the
  python/cpython#113171 changes) that lets through e.g. site-local ``fec0::1`` and IPv4-compatible ``::10.0.0.1``
  (see ``tests/claims/ingestion/test_addresses.py``), and its coverage shifts with each CPython patch release;
- it resolves inside the transport adapter with no deadline, so a total time cap cannot cover DNS;
- being a ``requests.Session``, it honours proxy environment variables and ``.netrc`` unless every caller sets
  ``trust_env=False``, and a forwarding proxy resolves the hostname itself (rebinding again);
- body caps, the wall-time cap, manual re-validated redirects and content-type checks are left to the caller.

Its good part takes a few lines on urllib3 (which it is built on), so this module does that directly.

How the pinning works: the urllib3 connection is created for the ORIGINAL hostname, so ``Host``, SNI and the
certificate hostname check all use it; only socket creation (``_new_conn``) is replaced, to connect to the
``sockaddr`` that was vetted. No second DNS lookup happens, so DNS rebinding has nothing to rebind.
``_new_conn`` is urllib3's own (private) socket factory hook: urllib3 is pinned exactly, and
``tests/claims/ingestion`` proves the pinning (fake DNS answering differently on a second call, real servers).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

import certifi
from urllib3.connection import HTTPConnection, HTTPSConnection

from claims.ingestion.addresses import IPAddress, address_refusal
from claims.ingestion.errors import FetchFailed, FetchRefused

_resolver_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ingestion-dns")


class Deadline:
    """The wall-clock budget of one fetch, redirects included."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends_at = time.monotonic() + seconds

    def remaining(self) -> float:
        return self._ends_at - time.monotonic()

    def check(self, doing: str) -> float:
        """Seconds left, or ``FetchFailed('timeout')`` when none are."""
        left = self.remaining()
        if left <= 0:
            raise FetchFailed("timeout", f"Gave up {doing}: the fetch took longer than {self.seconds:g} s", True)
        return left

    def cap(self, timeout: float, doing: str) -> float:
        return min(timeout, self.check(doing))


@dataclass(frozen=True)
class VettedAddress:
    family: int
    sockaddr: tuple[Any, ...]
    address: IPAddress


def _getaddrinfo(host: str, port: int) -> list[tuple[Any, ...]]:
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)


def resolve_and_vet(host: str, port: int, *, allow_loopback: bool, deadline: Deadline) -> list[VettedAddress]:
    """Resolve ``host`` exactly once and return its addresses, refusing the host if ANY of them is forbidden."""
    future = _resolver_pool.submit(_getaddrinfo, host, port)
    try:
        infos = future.result(timeout=deadline.check(f"resolving {host}"))
    except FutureTimeout as exc:
        message = f"Resolving {host} took longer than the {deadline.seconds:g} s budget"
        raise FetchFailed("timeout", message, True) from exc
    except socket.gaierror as exc:
        is_transient = exc.errno in (socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", None))
        raise FetchFailed("dns_failed", f"Could not resolve {host}: {exc.strerror or exc}", is_transient) from exc
    except (OSError, UnicodeError) as exc:
        raise FetchFailed("dns_failed", f"Could not resolve {host}: {exc}", False) from exc

    vetted: list[VettedAddress] = []
    for family, _type, _proto, _canonname, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            raise FetchRefused("address_forbidden", f"{host} resolves to a non-IP address family ({family})")
        try:
            address = ipaddress.ip_address(sockaddr[0])
        except ValueError as exc:
            raise FetchRefused("address_forbidden", f"{host} resolves to unparseable {sockaddr[0]!r}") from exc
        if refusal := address_refusal(address, allow_loopback=allow_loopback):
            raise FetchRefused("address_forbidden", f"{host} resolves to a forbidden address: {refusal}")
        if all(known.address != address for known in vetted):
            vetted.append(VettedAddress(family=family, sockaddr=tuple(sockaddr), address=address))
    if not vetted:
        raise FetchFailed("dns_failed", f"{host} resolved to no address", True)
    return vetted


def _connect_pinned(pinned: VettedAddress, timeout: float) -> socket.socket:
    sock = socket.socket(pinned.family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(timeout)
        sock.connect(pinned.sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock


class PinnedHTTPConnection(HTTPConnection):
    """An urllib3 connection for ``host`` whose socket goes to one vetted address, without resolving again."""

    def __init__(self, host: str, port: int, *, pinned: VettedAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.pinned = pinned
        self.connect_timeout = timeout

    def _new_conn(self) -> socket.socket:
        return _connect_pinned(self.pinned, self.connect_timeout)


class PinnedHTTPSConnection(HTTPSConnection):
    """As ``PinnedHTTPConnection``, with TLS: SNI and certificate verification use the original ``host``."""

    def __init__(
        self, host: str, port: int, *, pinned: VettedAddress, timeout: float, ca_certs: str | None = None
    ) -> None:
        super().__init__(
            host,
            port,
            timeout=timeout,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=ca_certs or certifi.where(),
        )
        self.pinned = pinned
        self.connect_timeout = timeout

    def _new_conn(self) -> socket.socket:
        return _connect_pinned(self.pinned, self.connect_timeout)
