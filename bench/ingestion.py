"""Ingestion benchmark: RSS feeds polled per minute, against feed servers on 127.0.0.1.

    .venv/bin/python bench/ingestion.py [--feeds 100] [--entries 20] [--rounds 3] [--threads 4] [--servers 4]

Runs ``claims.feeds.feed_poll`` (what the Celery poll task runs: a conditional request, parsing, one source per new
entry, the poll's log row) for every feed, ``--threads`` at a time, in the bench database. Round 1 finds every entry
new; later rounds first serve fresh entries (new sources each time), then answer 304 Not Modified to the conditional
request. Follow-up work the polls enqueue (fetching each article) goes to a Celery broker database of its own
(``--broker``), emptied afterwards: it is a worker's job, measured by bench/linking.py.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import percentiles, setup_django


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    entries = 20
    round = 1
    conditional = False


class FeedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FeedServer

    def do_GET(self) -> None:
        etag = f'"round-{self.server.round}"'
        if self.server.conditional and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        port, path = self.server.server_address[1], self.path.strip("/")
        published = format_datetime(datetime.datetime.now(datetime.UTC))
        items = "".join(
            f"<item><title>Minister under pressure, part {number}</title>"
            f"<link>https://news.example/{port}/{path}/{self.server.round}/{number}</link>"
            f"<pubDate>{published}</pubDate><description>Report {number}.</description></item>"
            for number in range(self.server.entries)
        )
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{path}</title>{items}</channel></rss>'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--entries", type=int, default=20, help="entries per feed document")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4, help="polls at a time (a worker's concurrency)")
    parser.add_argument("--servers", type=int, default=4, help="feed servers on 127.0.0.1")
    parser.add_argument("--broker", default="", help="Celery broker for the follow-up tasks (default: db 20)")
    parser.add_argument("--scale", type=float, default=1.0, help="dataset scale when the bench database has none")
    options = parser.parse_args()
    redis_root = (os.environ.get("REDIS_URL") or "redis://127.0.0.1:63799/0").rsplit("/", 1)[0]
    os.environ["CELERY_BROKER_URL"] = options.broker or f"{redis_root}/20"
    os.environ["CELERY_RESULT_BACKEND"] = os.environ["CELERY_BROKER_URL"]
    setup_django(scale=options.scale)
    from django.conf import settings
    from django.db import close_old_connections

    from claims.feeds import feed_poll
    from claims.models import Feed, Source

    servers = [FeedServer(("127.0.0.1", 0), FeedHandler) for _ in range(options.servers)]
    for server in servers:
        server.entries = options.entries
        threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.INGESTION_ALLOW_LOOPBACK = True
    settings.INGESTION_ALLOWED_PORTS = [server.server_address[1] for server in servers]
    feeds = [
        Feed.objects.create(url=f"http://127.0.0.1:{servers[n % len(servers)].server_address[1]}/bench-feed-{n}/")
        for n in range(options.feeds)
    ]
    before = Source.objects.count()

    def poll(feed_id: int) -> tuple[float, str]:
        started = time.perf_counter()
        try:
            outcome = feed_poll(feed_id=feed_id).outcome
        finally:
            close_old_connections()
        return time.perf_counter() - started, outcome

    try:
        for round_number in range(1, options.rounds + 1):
            for conditional in (False, True):
                for server in servers:
                    server.round, server.conditional = round_number, conditional
                started = time.perf_counter()
                with ThreadPoolExecutor(options.threads) as pool:
                    results = list(pool.map(poll, [feed.pk for feed in feeds]))
                elapsed = time.perf_counter() - started
                outcomes = sorted({str(outcome) for _, outcome in results})
                quantiles = percentiles([seconds for seconds, _ in results])
                kind = "304 not modified" if conditional else "new entries"
                print(
                    f"round {round_number}, {kind:>16}: {len(feeds) / elapsed * 60:,.0f} feeds/minute "
                    f"(p50 {quantiles['p50']:.0f} ms, p95 {quantiles['p95']:.0f} ms per poll; outcomes {outcomes})",
                    flush=True,
                )
        print(f"sources added: {Source.objects.count() - before:,}")
    finally:
        Source.objects.filter(url__startswith="https://news.example/").delete()
        Feed.objects.filter(pk__in=[feed.pk for feed in feeds]).delete()
        from config.celery_app import app

        with app.connection_for_write() as connection:
            connection.default_channel.client.flushdb()
        for server in servers:
            server.shutdown()


if __name__ == "__main__":
    main()
