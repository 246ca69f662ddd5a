"""API benchmark: latency and throughput of the main read endpoints under concurrent load, against the raw database.

    .venv/bin/python bench/api.py [--workers 2] [--connections 8] [--duration 10] [--scale 1]

Runs against the generated dataset in the bench database (``<name>_bench``; generated at ``--scale`` when missing).
For each endpoint (claims list, claim detail, claims filtered by status and person, claims full-text search, people
list, refused resignation offers in a country and year):
- queries per request and body size (one in-process request, cache off);
- p50/p95/p99 latency and requests/second under ``--connections`` concurrent connections from wrk (a separate
  process) against gunicorn with ``--workers`` workers, once with the public cache off (every request reaches the
  database) and once with it on (the steady state for anonymous readers);
- the same data read by one hand-written SQL query through psycopg, timed the same way (``--connections``
  processes in a loop), and the ratio of the API's cost to it.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, dataset_size, percentiles, print_table, psycopg_url, setup_django

WRK_REPORT = Path(__file__).resolve().parent / "wrk_report.lua"
PUBLIC_LINKS = "('confirmed', 'auto_confirmed')"

CLAIM_COLUMNS = f"""
    c.id, c.slug, c.text, c.status, c.language, c.first_made_on, c.published_at, c.updated_at,
    json_build_object('id', cp.id, 'slug', cp.slug, 'name', cp.name) AS claimant_person,
    json_build_object('id', co.id, 'slug', co.slug, 'name', co.name) AS claimant_organisation,
    json_build_object('id', i.id, 'slug', i.slug, 'name', i.name) AS incident,
    (SELECT json_agg(json_build_object('id', p.id, 'slug', p.slug, 'name', p.name))
       FROM claims_claim_subject_people sp JOIN accountability_person p ON p.id = sp.person_id
      WHERE sp.claim_id = c.id AND p.is_published AND p.merged_into_id IS NULL) AS subject_people,
    (SELECT json_agg(json_build_object('id', o.id, 'slug', o.slug, 'name', o.name))
       FROM claims_claim_subject_organisations so JOIN accountability_organisation o ON o.id = so.organisation_id
      WHERE so.claim_id = c.id AND o.is_published AND o.merged_into_id IS NULL) AS subject_organisations,
    (SELECT json_agg(json_build_object('from', h.from_status, 'to', h.to_status, 'at', h.changed_at,
                                       'reason', h.reason) ORDER BY h.changed_at, h.id)
       FROM claims_claimstatuschange h WHERE h.claim_id = c.id) AS status_history,
    (SELECT json_agg(json_build_object('stance', l.stance, 'confidence', l.confidence, 'review_state',
                                       l.review_state, 'source', json_build_object('id', s.id, 'url', s.url,
                                       'title', s.title, 'publisher_name', s.publisher_name,
                                       'published_at', s.published_at)) ORDER BY l.stance, l.confidence DESC, l.id)
       FROM claims_claimlink l JOIN claims_source s ON s.id = l.source_id
      WHERE l.claim_id = c.id AND l.review_state IN {PUBLIC_LINKS} AND s.is_published) AS links
"""  # noqa: S608 (constant SQL fragments, no input)
CLAIM_FROM = """
    FROM claims_claim c
    LEFT JOIN accountability_person cp ON cp.id = c.claimant_person_id
    LEFT JOIN accountability_organisation co ON co.id = c.claimant_organisation_id
    LEFT JOIN accountability_incident i ON i.id = c.incident_id
   WHERE c.is_published AND c.merged_into_id IS NULL
"""
RAW_SQL = {
    "claims list": f"SELECT {CLAIM_COLUMNS} {CLAIM_FROM} ORDER BY c.id DESC LIMIT 26",
    "claim detail": f"SELECT {CLAIM_COLUMNS} {CLAIM_FROM} AND c.slug = %(slug)s",
    "claims by status and person": f"""SELECT {CLAIM_COLUMNS} {CLAIM_FROM} AND c.status = %(status)s
        AND c.id IN (SELECT claim_id FROM claims_claim_subject_people WHERE person_id = %(person)s
                     UNION SELECT id FROM claims_claim WHERE claimant_person_id = %(person)s)
        ORDER BY c.id DESC LIMIT 26""",  # noqa: S608
    "claims search": f"""SELECT {CLAIM_COLUMNS} {CLAIM_FROM}
        AND to_tsvector('simple', immutable_unaccent(c.text)) @@ websearch_to_tsquery('simple', unaccent(%(q)s))
        ORDER BY c.id DESC LIMIT 26""",
    "people list": """SELECT p.id, p.slug, p.name, p.description, p.published_at, p.updated_at,
        (SELECT json_agg(json_build_object('name', n.name, 'kind', n.kind, 'language', n.language)
                         ORDER BY n.kind, n.name, n.id) FROM accountability_personname n WHERE n.person_id = p.id),
        (SELECT json_agg(json_build_object('scheme', x.scheme, 'value', x.value))
           FROM accountability_personidentifier x WHERE x.person_id = p.id),
        (SELECT json_agg(json_build_object('post', po.title, 'organisation', o.name, 'started_on', t.started_on,
                                           'ended_on', t.ended_on) ORDER BY t.started_on DESC, t.id)
           FROM accountability_term t JOIN accountability_post po ON po.id = t.post_id
           JOIN accountability_organisation o ON o.id = po.organisation_id
          WHERE t.person_id = p.id AND t.is_published)
        FROM accountability_person p WHERE p.is_published AND p.merged_into_id IS NULL
        ORDER BY p.id DESC LIMIT 26""",
    "refused offers in a country and year": """SELECT e.id, e.kind, e.occurred_on, e.summary,
        json_build_object('id', p.id, 'slug', p.slug, 'name', p.name) AS person,
        json_build_object('id', po.id, 'title', po.title, 'organisation', o.name) AS post,
        json_build_object('id', i.id, 'slug', i.slug, 'name', i.name) AS incident,
        json_build_object('id', d.id, 'slug', d.slug, 'name', d.name) AS decided_by,
        (SELECT json_agg(json_build_object('id', s.id, 'url', s.url, 'title', s.title))
           FROM accountability_accountabilityevent_sources es JOIN claims_source s ON s.id = es.source_id
          WHERE es.accountabilityevent_id = e.id AND s.is_published) AS sources
        FROM accountability_accountabilityevent e
        JOIN accountability_person p ON p.id = e.person_id
        LEFT JOIN accountability_post po ON po.id = e.post_id
        LEFT JOIN accountability_organisation o ON o.id = po.organisation_id
        LEFT JOIN accountability_incident i ON i.id = e.incident_id
        LEFT JOIN accountability_person d ON d.id = e.decided_by_id
       WHERE e.is_published AND e.review_state = 'confirmed' AND p.is_published AND e.kind = 'resignation_refused'
         AND (o.country_code = %(country)s OR i.country_code = %(country)s)
         AND e.occurred_on >= make_date(%(year)s, 1, 1) AND e.occurred_on < make_date(%(year)s + 1, 1, 1)
       ORDER BY e.id DESC LIMIT 26""",
}


@dataclass
class Endpoint:
    name: str
    path: str
    params: dict


def choose_endpoints() -> list[Endpoint]:
    """Typical requests: a claim in the middle of the record, the person most claims are about, their commonest
    status, a surname as search term, the country and year with the most refused resignation offers."""
    from django.db.models import Count

    from accountability.models import AccountabilityEvent, Person
    from claims.models import Claim

    published = Claim.objects.filter(is_published=True, merged_into__isnull=True)
    claim = published.order_by("id")[published.count() // 2]
    person_id = (
        Claim.subject_people.through.objects.values("person_id")
        .annotate(claims=Count("id"))
        .order_by("-claims")
        .first()["person_id"]
    )
    person = Person.objects.get(pk=person_id)
    status = (
        published.filter(subject_people=person).values("status").annotate(n=Count("id")).order_by("-n")[0]["status"]
    )
    word = person.name.split(" ")[-1]
    busiest = (
        AccountabilityEvent.objects.filter(kind="resignation_refused", is_published=True)
        .values("post__organisation__country_code", "occurred_on__year")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    country, year = busiest["post__organisation__country_code"], busiest["occurred_on__year"]
    return [
        Endpoint("claims list", "/api/v1/claims/", {}),
        Endpoint("claim detail", f"/api/v1/claims/{claim.slug}/", {"slug": claim.slug}),
        Endpoint(
            "claims by status and person",
            f"/api/v1/claims/?status={status}&person={person.slug}",
            {"status": status, "person": person.pk},
        ),
        Endpoint("claims search", f"/api/v1/claims/?q={word}", {"q": word}),
        Endpoint("people list", "/api/v1/people/", {}),
        Endpoint(
            "refused offers in a country and year",
            f"/api/v1/events/?kind=resignation_refused&country={country}&year={year}",
            {"country": country, "year": year},
        ),
    ]


def queries_and_bytes(endpoint: Endpoint) -> tuple[int, int]:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    with override_settings(PUBLIC_CACHE_ENABLED=False), CaptureQueriesContext(connection) as queries:
        response = Client().get(endpoint.path, HTTP_HOST="127.0.0.1")
    if response.status_code != 200:
        raise SystemExit(f"{endpoint.path} answered {response.status_code}")
    return len(queries), len(response.content)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(*, workers: int, cache: bool, database_url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "API_ANONYMOUS_RATE": "100000000/min",
        "PUBLIC_CACHE_ENABLED": "1" if cache else "0",
        "ACCOUNTABILITY_START_EMBEDDED": "0",
    }
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=environment,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/api/v1/people/?page_size=1", timeout=5):  # noqa: S310
                return server, base
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def wrk(url: str, *, connections: int, duration: int) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "-s", str(WRK_REPORT), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    report = json.loads(output[output.index("{") :])
    if report["errors"] or not report["requests"]:
        print(f"  warning: {report['errors']} failed or non-2xx answers for {url}", flush=True)
    return report


def _sql_worker(arguments: tuple[str, str, dict, float]) -> list[float]:
    import psycopg

    url, sql, params, seconds = arguments
    timings = []
    with psycopg.connect(url) as connection:
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            connection.execute(sql, params).fetchall()
            timings.append(time.perf_counter() - started)
    return timings


def raw_sql(url: str, sql: str, params: dict, *, connections: int, duration: int) -> dict[str, float]:
    with multiprocessing.Pool(connections) as pool:
        _sql_worker((url, sql, params, 0.5))
        results = pool.map(_sql_worker, [(url, sql, params, float(duration))] * connections)
    timings = [timing for worker in results for timing in worker]
    return {**percentiles(timings), "rps": len(timings) / duration}


def run_load(endpoints: list[Endpoint], *, cache: bool, options: argparse.Namespace, url: str) -> list[dict]:
    server, base = start_gunicorn(workers=options.workers, cache=cache, database_url=url)
    try:
        results = []
        for endpoint in endpoints:
            wrk(base + endpoint.path, connections=options.connections, duration=2)  # warm up
            report = wrk(base + endpoint.path, connections=options.connections, duration=options.duration)
            print(f"  {endpoint.name}: p50 {report['p50']:.1f} ms, {report['rps']:.1f} req/s", flush=True)
            results.append(report)
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (wrk and SQL)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint and mode")
    parser.add_argument("--scale", type=float, default=1.0, help="dataset scale when the bench database has none")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    url = setup_django(scale=options.scale)
    print(f"dataset: {dataset_size()}", flush=True)
    endpoints = choose_endpoints()
    counted = [queries_and_bytes(endpoint) for endpoint in endpoints]
    for endpoint in endpoints:
        print(f"  {endpoint.name}: {endpoint.path}", flush=True)
    print("raw SQL...", flush=True)
    database = [
        raw_sql(psycopg_url(url), RAW_SQL[e.name], e.params, connections=options.connections, duration=options.duration)
        for e in endpoints
    ]
    print("API, cache off...", flush=True)
    uncached = run_load(endpoints, cache=False, options=options, url=url)
    print("API, cache on...", flush=True)
    cached = run_load(endpoints, cache=True, options=options, url=url)
    print(
        f"\n{options.connections} connections, {options.duration} s per endpoint, gunicorn with {options.workers} "
        f"workers, latency in ms (p50 / p95 / p99), throughput in requests/s\n"
    )
    rows = []
    for endpoint, (queries, size), sql, api, hit in zip(endpoints, counted, database, uncached, cached, strict=True):
        rows.append([
            endpoint.name, str(queries), f"{size / 1024:.1f} KiB",
            f"{api['p50']:.1f} / {api['p95']:.1f} / {api['p99']:.1f}", f"{api['rps']:.0f}",
            f"{sql['p50']:.1f} / {sql['p95']:.1f} / {sql['p99']:.1f}", f"{sql['rps']:.0f}",
            f"{api['p50'] / sql['p50']:.1f}x", f"{sql['rps'] / max(api['rps'], 0.01):.1f}x",
            f"{hit['p50']:.1f} / {hit['p95']:.1f} / {hit['p99']:.1f}", f"{hit['rps']:.0f}",
        ])  # fmt: skip
    print_table(
        ["endpoint", "queries", "body", "API (no cache)", "req/s", "raw SQL", "req/s", "p50 ratio", "req/s ratio",
         "API (cached)", "req/s"],
        rows,
    )  # fmt: skip


if __name__ == "__main__":
    main()
