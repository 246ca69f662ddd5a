"""Local HTTP(S) servers, a fake DNS, and a guard that lets no connection leave 127.0.0.1."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.local_http import Handler, LocalServer, start_server

__all__ = ["Handler", "LocalServer"]


@pytest.fixture
def server() -> Iterator[LocalServer]:
    httpd = start_server()
    yield LocalServer(httpd)
    httpd.shutdown()
    httpd.server_close()


@dataclass
class Certificate:
    cert: Path
    key: Path


@pytest.fixture(scope="session")
def news_test_certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A self-signed certificate for ``news.test`` (made with the openssl CLI, no extra package)."""
    directory = tmp_path_factory.mktemp("tls")
    certificate = Certificate(cert=directory / "cert.pem", key=directory / "key.pem")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(certificate.key),
            "-out",
            str(certificate.cert),
            "-days",
            "2",
            "-subj",
            "/CN=news.test",
            "-addext",
            "subjectAltName=DNS:news.test",
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return certificate


@dataclass
class TLSServer(LocalServer):
    server_names: list[str | None] = field(default_factory=list)


@pytest.fixture
def tls_server(news_test_certificate: Certificate) -> Iterator[TLSServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(news_test_certificate.cert, news_test_certificate.key)
    server_names: list[str | None] = []

    def remember_sni(_sock: ssl.SSLObject, name: str | None, _context: ssl.SSLContext) -> None:
        server_names.append(name)

    context.sni_callback = remember_sni  # type: ignore[assignment]  # typeshed expects SSLSocket | SSLObject
    httpd = start_server(lambda sock: context.wrap_socket(sock, server_side=True))
    yield TLSServer(httpd, scheme="https", host="news.test", server_names=server_names)
    httpd.shutdown()
    httpd.server_close()


@dataclass
class FakeDNS:
    """Answers ``getaddrinfo`` from a table; every call is recorded. Unknown names fail, never reaching real DNS."""

    answers: dict[str, list[str] | Callable[[int], list[str]]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def getaddrinfo(self, host: str, port: Any, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        self.calls.append(host)
        answer = self.answers.get(host)
        if callable(answer):
            addresses = answer(sum(1 for call in self.calls if call == host))
        elif answer is not None:
            addresses = answer
        else:
            try:
                addresses = [str(ipaddress.ip_address(host))]
            except ValueError:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
        infos = []
        for address in addresses:
            if ipaddress.ip_address(address).version == 6:
                infos.append((socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, int(port), 0, 0)))
            else:
                infos.append((socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, int(port))))
        return infos


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    dns = FakeDNS()
    monkeypatch.setattr(socket, "getaddrinfo", dns.getaddrinfo)
    return dns


def _is_loopback(address: Any) -> bool:
    if not isinstance(address, tuple) or not address:
        return False
    try:
        return ipaddress.ip_address(str(address[0]).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def connection_attempts(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every outgoing connection attempt made during an ingestion test. Only loopback ones really connect;
    any other is recorded and fails with ConnectionRefusedError, so no packet can leave the machine."""
    attempts: list[Any] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_create_connection = socket.create_connection

    def guarded_connect(sock: socket.socket, address: Any) -> None:
        attempts.append(address)
        if not _is_loopback(address):
            raise ConnectionRefusedError(f"test guard: refused connection to {address!r}")
        real_connect(sock, address)

    def guarded_connect_ex(sock: socket.socket, address: Any) -> int:
        attempts.append(address)
        if not _is_loopback(address):
            raise ConnectionRefusedError(f"test guard: refused connection to {address!r}")
        return real_connect_ex(sock, address)

    def guarded_create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        if not _is_loopback(address):
            attempts.append(address)
            raise ConnectionRefusedError(f"test guard: refused connection to {address!r}")
        return real_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)
    return attempts
