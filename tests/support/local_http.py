"""Real HTTP servers on 127.0.0.1 for tests: routes are plain functions writing the response."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from claims.ingestion.policy import FetchPolicy

Handler = Callable[[BaseHTTPRequestHandler], None]


class _RoutedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: LocalHTTPServer

    def do_GET(self) -> None:
        self.server.requests.append((self.path, dict(self.headers.items())))
        route = self.server.routes.get(self.path.split("?", 1)[0])
        if route is None:
            send(self, 404, b"not here")
            return
        with contextlib.suppress(OSError):  # the client hung up on purpose (caps, timeouts)
            route(self)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class LocalHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    routes: dict[str, Handler]
    requests: list[tuple[str, dict[str, str]]]


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    *,
    content_type: str = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    if content_type:
        handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


@dataclass
class LocalServer:
    httpd: LocalHTTPServer
    scheme: str = "http"
    host: str = "127.0.0.1"

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def routes(self) -> dict[str, Handler]:
        return self.httpd.routes

    @property
    def requests(self) -> list[tuple[str, dict[str, str]]]:
        return self.httpd.requests

    def url(self, path: str = "/", *, host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def policy(self, **overrides: Any) -> FetchPolicy:
        values: dict[str, Any] = {
            "allow_loopback": True,
            "allowed_ports": frozenset({self.port}),
            "total_timeout": 5.0,
            "connect_timeout": 2.0,
            "read_timeout": 2.0,
            "max_body_bytes": 10_000,
        }
        values.update(overrides)
        return FetchPolicy(**values)


def start_server(wrap: Callable[[socket.socket], socket.socket] | None = None) -> LocalHTTPServer:
    httpd = LocalHTTPServer(("127.0.0.1", 0), _RoutedHandler)
    httpd.routes = {}
    httpd.requests = []
    if wrap is not None:
        httpd.socket = wrap(httpd.socket)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return httpd
