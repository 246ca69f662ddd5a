"""What the benchmarks share: the bench database (``<name>_bench``, the generated dataset), percentiles, a table."""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bench_database_url() -> str:
    """``DATABASE_URL`` with ``_bench`` appended to the database name (created and migrated when missing)."""
    from config import runtime

    runtime.start_embedded_servers()
    base = os.environ.get("DATABASE_URL") or runtime.embedded_postgres().url()
    root, name = base.rsplit("/", 1)
    name = name.split("?")[0]
    if not name.endswith("_bench"):
        name = f"{name}_bench"
    import psycopg

    with psycopg.connect(f"{root}/postgres".replace("postgres://", "postgresql://", 1), autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    return f"{root}/{name}"


def setup_django(*, scale: float | None = None) -> str:
    """Point Django at the bench database, migrate, and generate the dataset at ``scale`` when it has none."""
    url = bench_database_url()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ["ACCOUNTABILITY_START_EMBEDDED"] = "0"
    os.environ["API_ANONYMOUS_RATE"] = "100000000/min"  # measure the endpoints, not the rate limit
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accountability.datasets.generator import DatasetGenerator, dataset_exists

    if not dataset_exists():
        print(f"generating the dataset at scale {scale or 1:g} (once; kept in the bench database)...", flush=True)
        DatasetGenerator(scale=scale or 1).generate()
    return url


def psycopg_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50, p95, p99 in milliseconds."""
    if len(samples) < 2:
        value = samples[0] * 1000 if samples else 0.0
        return {"p50": value, "p95": value, "p99": value}
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000}


def dataset_size() -> str:
    from accountability.models import AccountabilityEvent, Person
    from claims.models import Claim, ClaimLink, Source

    return (
        f"{Claim.objects.count():,} claims, {Person.objects.count():,} people, {Source.objects.count():,} sources, "
        f"{ClaimLink.objects.count():,} links, {AccountabilityEvent.objects.count():,} events"
    )


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    print("| " + " | ".join(headers) + " |")
    print("| " + " | ".join("---" for _ in headers) + " |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
