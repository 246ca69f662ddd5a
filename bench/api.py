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
import contextlib
import datetime
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, dataset_size, percentiles, print_table, psycopg_url, setup_django

WRK_REPORT = Path(__file__).resolve().parent / "wrk_report.lua"
PUBLIC_LINKS = "('confirmed', 'auto_confirmed')"
OUTCOME_KINDS = "('resignation_refused', 'resignation_accepted', 'resignation_withdrawn')"
# The host the in-process requests name (Django's test client), for the addresses the API answers with.
BASE_URL = "http://127.0.0.1"

# The raw-SQL twins build, inside PostgreSQL, the JSON document the API answers for each record (same fields, same
# nested records and order); ``verify_twins`` checks they agree before anything is timed.


def person_ref(alias: str) -> str:
    return (
        f"CASE WHEN {alias}.id IS NULL THEN NULL "
        f"ELSE json_build_object('id', {alias}.id, 'slug', {alias}.slug, 'name', {alias}.name) END"
    )


def organisation_ref(alias: str) -> str:
    return (
        f"CASE WHEN {alias}.id IS NULL THEN NULL ELSE json_build_object('id', {alias}.id, 'slug', {alias}.slug, "
        f"'name', {alias}.name, 'country_code', {alias}.country_code) END"
    )


def full_name(alias: str) -> str:
    return f"CASE WHEN {alias}.id IS NULL THEN NULL ELSE trim({alias}.first_name || ' ' || {alias}.last_name) END"


SOURCE_REF = (
    "json_build_object('id', s.id, 'title', s.title, 'url', s.url, 'publisher_name', s.publisher_name, "
    "'published_at', s.published_at)"
)
CLAIM_FIELDS = f"""
    'id', c.id, 'slug', c.slug, 'text', c.text, 'headline', c.headline, 'language', c.language, 'status', c.status,
    'first_made_on', c.first_made_on, 'first_made_on_precision', c.first_made_on_precision,
    'claimant_person', {person_ref("cp")}, 'claimant_organisation', {organisation_ref("co")},
    'subject_people', COALESCE((SELECT json_agg({person_ref("p")} ORDER BY p.name, p.id)
       FROM claims_claim_subject_people sp JOIN accountability_person p ON p.id = sp.person_id
      WHERE sp.claim_id = c.id AND p.is_published AND p.merged_into_id IS NULL), '[]'),
    'subject_organisations', COALESCE((SELECT json_agg({organisation_ref("o")} ORDER BY o.name, o.id)
       FROM claims_claim_subject_organisations so JOIN accountability_organisation o ON o.id = so.organisation_id
      WHERE so.claim_id = c.id AND o.is_published AND o.merged_into_id IS NULL), '[]'),
    'incident', CASE WHEN i.id IS NULL THEN NULL
                ELSE json_build_object('id', i.id, 'slug', i.slug, 'name', i.name, 'occurred_on', i.occurred_on) END,
    'status_history', COALESCE((SELECT json_agg(json_build_object(
         'from_status', h.from_status, 'to_status', h.to_status, 'changed_at', h.changed_at,
         'changed_by', {full_name("u")}, 'reason', h.reason,
         'evidence', COALESCE((SELECT json_agg({SOURCE_REF} ORDER BY s.published_at DESC, s.id)
            FROM claims_claimstatuschange_evidence ev JOIN claims_source s ON s.id = ev.source_id
           WHERE ev.claimstatuschange_id = h.id AND s.is_published), '[]')) ORDER BY h.changed_at, h.id)
       FROM claims_claimstatuschange h LEFT JOIN auth_user u ON u.id = h.changed_by_id WHERE h.claim_id = c.id), '[]'),
    'link_counts', (SELECT json_build_object(
         'supports', count(*) FILTER (WHERE l.stance = 'supports'),
         'contradicts', count(*) FILTER (WHERE l.stance = 'contradicts'),
         'mentions', count(*) FILTER (WHERE l.stance = 'mentions'), 'total', count(*))
       FROM claims_claimlink l JOIN claims_source s ON s.id = l.source_id
      WHERE l.claim_id = c.id AND l.review_state IN {PUBLIC_LINKS} AND s.is_published),
    'links_url', %(base)s || '/api/v1/claims/' || c.slug || '/links/',
    'published_at', c.published_at, 'updated_at', c.updated_at
"""  # noqa: S608 (constant SQL fragments, no input)
LINK_DOC = f"""json_build_object(
    'id', l.id, 'stance', l.stance, 'source', {SOURCE_REF},
    'quote', CASE WHEN q.id IS NULL THEN NULL ELSE json_build_object('id', q.id, 'text', q.text,
        'speaker', {person_ref("qp")}, 'speaker_organisation', {organisation_ref("qo")}, 'said_to', q.said_to,
        'said_on', q.said_on, 'language', q.language) END,
    'confidence', l.confidence, 'origin', l.origin, 'review_state', l.review_state,
    'reviewed_by', {full_name("u")}, 'reviewed_at', l.reviewed_at)"""
STRONGEST_LINKS = f"""COALESCE((SELECT json_agg(strongest.document ORDER BY strongest.stance, strongest.confidence DESC,
                                       strongest.id)
    FROM (SELECT l.id, l.stance, l.confidence, {LINK_DOC} AS document,
                 row_number() OVER (PARTITION BY l.stance ORDER BY l.confidence DESC, l.id) AS position
            FROM claims_claimlink l JOIN claims_source s ON s.id = l.source_id
            LEFT JOIN auth_user u ON u.id = l.reviewed_by_id
            LEFT JOIN claims_quote q ON q.id = l.quote_id AND q.is_published
            LEFT JOIN accountability_person qp ON qp.id = q.speaker_id
            LEFT JOIN accountability_organisation qo ON qo.id = q.speaker_organisation_id
           WHERE l.claim_id = c.id AND l.review_state IN {PUBLIC_LINKS} AND s.is_published) strongest
   WHERE strongest.position <= 10), '[]')"""  # noqa: S608
CLAIM_FROM = """
    FROM claims_claim c
    LEFT JOIN accountability_person cp ON cp.id = c.claimant_person_id
    LEFT JOIN accountability_organisation co ON co.id = c.claimant_organisation_id
    LEFT JOIN accountability_incident i ON i.id = c.incident_id
   WHERE c.is_published AND c.merged_into_id IS NULL
"""
CLAIM_DOC = f"json_build_object({CLAIM_FIELDS})"
WORDS = "websearch_to_tsquery('simple', unaccent(%(q)s))"
RAW_SQL = {
    "claims list": f"SELECT {CLAIM_DOC} {CLAIM_FROM} ORDER BY c.id DESC LIMIT 26",
    "claim detail": f"SELECT json_build_object({CLAIM_FIELDS}, 'links', {STRONGEST_LINKS}) {CLAIM_FROM} "
    "AND c.slug = %(slug)s",
    "claims by status and person": f"""SELECT {CLAIM_DOC} {CLAIM_FROM} AND c.status = %(status)s
        AND c.id IN (SELECT claim_id FROM claims_claim_subject_people WHERE person_id = %(person)s
                     UNION SELECT id FROM claims_claim WHERE claimant_person_id = %(person)s)
        ORDER BY c.id DESC LIMIT 26""",  # noqa: S608
    # Fewer than 20 claims with the words: each word also as the claim words spelt like it (the 5 closest).
    "claims search": f"""WITH spellings AS (SELECT (SELECT string_agg(known.word, ' | ')
              FROM (SELECT quote_literal(k.word) AS word FROM claims_claimword k
                     WHERE k.word %% query_word.lexeme AND similarity(k.word, query_word.lexeme) >= 0.5
                     ORDER BY similarity(k.word, query_word.lexeme) DESC, k.word LIMIT 5) known) AS alternatives
              FROM unnest(to_tsvector('simple', unaccent(%(q)s))) AS query_word),
        found AS (SELECT count(*) AS n FROM (SELECT id FROM claims_claim WHERE search_document @@ {WORDS}
              UNION ALL SELECT c2.id FROM claims_claim c2 JOIN accountability_person p ON p.id = c2.claimant_person_id
                 WHERE to_tsvector('simple', COALESCE(immutable_unaccent(p.name), '')) @@ {WORDS}
              UNION ALL SELECT c3.id FROM claims_claim c3
                  JOIN accountability_organisation o ON o.id = c3.claimant_organisation_id
                 WHERE to_tsvector('simple', COALESCE(immutable_unaccent(o.name), '')) @@ {WORDS} LIMIT 20) hits),
        query AS (SELECT CASE WHEN (SELECT n FROM found) < 20 AND NOT EXISTS (SELECT FROM spellings
                                  WHERE alternatives IS NULL) AND EXISTS (SELECT FROM spellings)
              THEN {WORDS} || to_tsquery('simple',
                                         (SELECT string_agg('(' || alternatives || ')', ' & ') FROM spellings))
              ELSE {WORDS} END AS words)
        SELECT {CLAIM_DOC} {CLAIM_FROM}
        AND c.id IN (SELECT id FROM claims_claim WHERE search_document @@ (SELECT words FROM query)
             UNION SELECT c2.id FROM claims_claim c2 JOIN accountability_person p ON p.id = c2.claimant_person_id
                 WHERE to_tsvector('simple', COALESCE(immutable_unaccent(p.name), '')) @@ (SELECT words FROM query)
             UNION SELECT c3.id FROM claims_claim c3
                 JOIN accountability_organisation o ON o.id = c3.claimant_organisation_id
                 WHERE to_tsvector('simple', COALESCE(immutable_unaccent(o.name), '')) @@ (SELECT words FROM query))
        ORDER BY c.id DESC LIMIT 26""",  # noqa: S608
    "people list": f"""SELECT json_build_object('id', p.id, 'slug', p.slug, 'name', p.name,
        'description', p.description,
        'names', COALESCE((SELECT json_agg(json_build_object('name', n.name, 'kind', n.kind, 'language', n.language)
                                  ORDER BY n.kind, n.name, n.id)
                             FROM accountability_personname n WHERE n.person_id = p.id), '[]'),
        'identifiers', COALESCE((SELECT json_agg(json_build_object('scheme', x.scheme, 'value', x.value)
                                        ORDER BY x.scheme, x.value, x.id)
                                   FROM accountability_personidentifier x WHERE x.person_id = p.id), '[]'),
        'terms', COALESCE((SELECT json_agg(json_build_object('id', t.id,
                   'post', json_build_object('id', po.id, 'slug', po.slug, 'title', po.title,
                                             'organisation', {organisation_ref("o")}),
                   'started_on', t.started_on, 'started_on_precision', t.started_on_precision,
                   'ended_on', t.ended_on, 'ended_on_precision', t.ended_on_precision, 'end_reason', t.end_reason)
                   ORDER BY t.started_on DESC, t.id)
             FROM accountability_term t JOIN accountability_post po ON po.id = t.post_id
             JOIN accountability_organisation o ON o.id = po.organisation_id
            WHERE t.person_id = p.id AND t.is_published), '[]'),
        'published_at', p.published_at, 'updated_at', p.updated_at)
        FROM accountability_person p WHERE p.is_published AND p.merged_into_id IS NULL
        ORDER BY p.id DESC LIMIT 26""",  # noqa: S608
    "refused offers in a country and year": f"""SELECT json_build_object('id', e.id, 'kind', e.kind,
        'person', {person_ref("p")},
        'post', CASE WHEN po.id IS NULL THEN NULL ELSE json_build_object('id', po.id, 'slug', po.slug,
                'title', po.title, 'organisation', {organisation_ref("o")}) END,
        'incident', CASE WHEN i.id IS NULL THEN NULL ELSE json_build_object('id', i.id, 'slug', i.slug,
                    'name', i.name, 'occurred_on', i.occurred_on) END,
        'occurred_on', e.occurred_on, 'occurred_on_precision', e.occurred_on_precision,
        'decided_by', {person_ref("d")}, 'responds_to', e.responds_to_id,
        'outcomes', COALESCE((SELECT json_agg(json_build_object('id', x.id, 'kind', x.kind,
                       'occurred_on', x.occurred_on, 'decided_by', {person_ref("xd")}, 'summary', x.summary)
                       ORDER BY x.occurred_on, x.id)
                  FROM accountability_accountabilityevent x
                  LEFT JOIN accountability_person xd ON xd.id = x.decided_by_id
                 WHERE x.responds_to_id = e.id AND x.is_published AND x.kind IN {OUTCOME_KINDS}
                   AND x.review_state <> 'rejected'), '[]'),
        'summary', e.summary, 'evidence_sentence', e.evidence_sentence, 'origin', e.origin,
        'sources', COALESCE((SELECT json_agg({SOURCE_REF} ORDER BY s.published_at DESC, s.id)
             FROM accountability_accountabilityevent_sources es JOIN claims_source s ON s.id = es.source_id
            WHERE es.accountabilityevent_id = e.id AND s.is_published), '[]'),
        'published_at', e.published_at, 'updated_at', e.updated_at)
        FROM accountability_accountabilityevent e
        JOIN accountability_person p ON p.id = e.person_id
        LEFT JOIN accountability_post po ON po.id = e.post_id
        LEFT JOIN accountability_organisation o ON o.id = po.organisation_id
        LEFT JOIN accountability_incident i ON i.id = e.incident_id
        LEFT JOIN accountability_person d ON d.id = e.decided_by_id
       WHERE e.is_published AND e.review_state = 'confirmed' AND p.is_published AND e.kind = 'resignation_refused'
         AND (o.country_code = %(country)s OR i.country_code = %(country)s)
         AND e.occurred_on >= make_date(%(year)s, 1, 1) AND e.occurred_on < make_date(%(year)s + 1, 1, 1)
       ORDER BY e.id DESC LIMIT 26""",  # noqa: S608
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
        Endpoint("claims list", "/api/v1/claims/", {"base": BASE_URL}),
        Endpoint("claim detail", f"/api/v1/claims/{claim.slug}/", {"slug": claim.slug, "base": BASE_URL}),
        Endpoint(
            "claims by status and person",
            f"/api/v1/claims/?status={status}&person={person.slug}",
            {"status": status, "person": person.pk, "base": BASE_URL},
        ),
        Endpoint("claims search", f"/api/v1/claims/?q={word}", {"q": word, "base": BASE_URL}),
        Endpoint("people list", "/api/v1/people/", {}),
        Endpoint(
            "refused offers in a country and year",
            f"/api/v1/events/?kind=resignation_refused&country={country}&year={year}",
            {"country": country, "year": year},
        ),
    ]


def queries_and_bytes(endpoint: Endpoint) -> tuple[int, int, Any]:
    """Queries, body size and body of one in-process request with the public cache off."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    with override_settings(PUBLIC_CACHE_ENABLED=False), CaptureQueriesContext(connection) as queries:
        response = Client().get(endpoint.path, HTTP_HOST="127.0.0.1")
    if response.status_code != 200:
        raise SystemExit(f"{endpoint.path} answered {response.status_code}")
    return len(queries), len(response.content), response.json()


def connect(url: str) -> Any:
    """A psycopg connection set up as Django's are (UTC)."""
    import psycopg

    connection = psycopg.connect(url)
    connection.execute("SET TIME ZONE 'UTC'")
    return connection


def comparable(value: Any) -> Any:
    """JSON with date-times as datetime objects, so the API's ``...Z`` and PostgreSQL's ``...+00:00`` compare."""
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [comparable(item) for item in value]
    if isinstance(value, str) and len(value) > 19 and value[10:11] == "T":
        with contextlib.suppress(ValueError):
            return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def verify_twins(endpoints: list[Endpoint], bodies: list[Any], url: str) -> None:
    """Stop unless each raw-SQL twin returns the records the API answered, field for field."""
    with connect(url) as connection:
        for endpoint, body in zip(endpoints, bodies, strict=True):
            records = body.get("results", [body]) if isinstance(body, dict) else body
            rows = connection.execute(RAW_SQL[endpoint.name], endpoint.params).fetchall()
            documents = [row[0] for row in rows][: len(records)]
            if comparable(documents) != comparable(records):
                difference = next(
                    (
                        pair
                        for pair in zip(documents, records, strict=False)
                        if comparable(pair[0]) != comparable(pair[1])
                    ),
                    (len(documents), len(records)),
                )
                raise SystemExit(f"raw SQL for {endpoint.name} differs from the API: {difference}")
            print(f"  {endpoint.name}: raw SQL returns the API's {len(records)} records", flush=True)


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
    url, sql, params, seconds = arguments
    timings = []
    with connect(url) as connection:
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
    verify_twins(endpoints, [body for _, _, body in counted], psycopg_url(url))
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
    for endpoint, (queries, size, _), sql, api, hit in zip(endpoints, counted, database, uncached, cached, strict=True):
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
