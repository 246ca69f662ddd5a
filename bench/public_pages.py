"""Public pages benchmark: server time, queries and bytes of the claim, official and search pages.

    .venv/bin/python bench/public_pages.py [--repeat 30] [--scale 1]

Requests go through the whole Django stack in this process (middleware, views, templates), against the generated
dataset in the bench database; the time is the server's (no network). Each page is measured with the public cache
off (every request renders from the database) and on (the steady state for anonymous readers). The pages: the
busiest claim (most public links), the official with the most claims and terms, and a search for a common surname.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import dataset_size, percentiles, print_table, setup_django


def pages() -> list[tuple[str, str]]:
    from django.db.models import Count, Q

    from accountability.models import Person
    from claims.models import Claim

    published = Claim.objects.filter(is_published=True, merged_into__isnull=True)
    claim = published.annotate(n=Count("links")).order_by("-n").first()
    official = (
        Person.objects.filter(is_published=True, merged_into__isnull=True)
        .annotate(n=Count("claims_about", filter=Q(claims_about__is_published=True)))
        .order_by("-n")
        .first()
    )
    word = official.name.split(" ")[-1]
    return [
        ("claim page", f"/claims/{claim.slug}/"),
        ("official page", f"/people/{official.slug}/"),
        ("search page", f"/search/?q={word}"),
    ]


def measure(path: str, *, repeat: int, cache: bool) -> tuple[dict[str, float], int, int]:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    timings, size, queries = [], 0, 0
    with override_settings(PUBLIC_CACHE_ENABLED=cache):
        for attempt in range(repeat + 1):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
            if attempt:  # the first request warms the process (and fills the cache)
                timings.append(elapsed)
                size, queries = len(response.content), len(captured)
    return percentiles(timings), size, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--scale", type=float, default=1.0, help="dataset scale when the bench database has none")
    options = parser.parse_args()
    setup_django(scale=options.scale)
    print(f"dataset: {dataset_size()}", flush=True)
    rows = []
    for name, path in pages():
        cold, size, queries = measure(path, repeat=options.repeat, cache=False)
        warm, _, cached_queries = measure(path, repeat=options.repeat, cache=True)
        rows.append([
            name, path, f"{size / 1024:.1f} KiB", str(queries),
            f"{cold['p50']:.1f} / {cold['p95']:.1f}", f"{warm['p50']:.2f} / {warm['p95']:.2f}", str(cached_queries),
        ])  # fmt: skip
    print(f"\nserver time in ms (p50 / p95) over {options.repeat} requests\n")
    print_table(["page", "path", "bytes", "queries", "no cache", "cached", "queries (cached)"], rows)


if __name__ == "__main__":
    main()
