"""A real HTTP server on 127.0.0.1 standing in for a newsroom's webhook endpoint."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1 that records every POST and answers the next scripted status (then 200)."""

    httpd: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


def _handler_for(receiver_ref: list[Receiver]) -> type[BaseHTTPRequestHandler]:
    class PostHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            receiver = receiver_ref[0]
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            receiver.received.append(Received(self.path, dict(self.headers.items()), body))
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            answer = b'{"ok": true}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return PostHandler


def start_receiver() -> Receiver:
    ref: list[Receiver] = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(ref))
    httpd.daemon_threads = True
    ref.append(Receiver(httpd))
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return ref[0]


def stop_receiver(receiver: Receiver) -> None:
    receiver.httpd.shutdown()
    receiver.httpd.server_close()
