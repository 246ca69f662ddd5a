"""`manage.py evaluate_matching`: the matcher measured on CheckThat!-format files, in a scratch database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from accountability.backups import database_url_from_settings

CLAIMS = """claim_id\ttext\ttitle
c1\tTurkey warned Belgium about one of the Brussels bombers before the attacks.\tDid Turkey warn Belgium?
c2\tThe interior minister offered his resignation after the airport attack.\t
c3\tVaccines cause autism in young children.\tDo vaccines cause autism?
c4\tMexico will pay for the border wall.\tWill Mexico pay for the wall?
c5\tThe justice minister knew the bomber had been deported from Turkey.\t
c6\tTurkey warned Belgium about one of the Brussels bombers before the attacks!\tDid Turkey warn Belgium?
"""
QUERIES = """query_id\ttext
q1\tAnkara had warned Brussels about one of the bombers, Erdogan says #BrusselsAttacks
q2\tWho pays for the wall? Mexico, says the president
q3\tthe weather was fine on sunday
"""
QRELS = "q1 0 c1 1\nq2 0 c4 1\nq3 0 c3 1\n"


@pytest.fixture
def benchmark_files(tmp_path: Path) -> dict[str, Path]:
    files = {"claims": CLAIMS, "queries": QUERIES, "qrels": QRELS}
    for name, content in files.items():
        (tmp_path / f"{name}.tsv").write_text(content, encoding="utf-8")
    return {name: tmp_path / f"{name}.tsv" for name in files}


def run_command(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "evaluate_matching", *arguments],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "ACCOUNTABILITY_START_EMBEDDED": "0",
            "DATABASE_URL": database_url_from_settings(),
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def databases() -> set[str]:
    base_url = database_url_from_settings().rsplit("/", 1)[0]
    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as connection:
        return {row[0] for row in connection.execute("SELECT datname FROM pg_database")}


@pytest.mark.django_db
def test_ranks_the_queries_prints_every_signal_and_writes_a_trec_run(benchmark_files, tmp_path: Path) -> None:
    run_file = tmp_path / "run.tsv"
    before = databases()
    result = run_command(
        "--claims", str(benchmark_files["claims"]), "--queries", str(benchmark_files["queries"]),
        "--qrels", str(benchmark_files["qrels"]), "--run", str(run_file), "--thresholds",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    labels = [line.split("MAP@1")[0].strip() for line in lines if "MAP@1" in line]
    assert labels == ["lexical only", "embeddings only", "first stage (no re-ranking)", "combined"]
    assert lines[-1].startswith("MAP@5 ")
    assert 0.0 <= float(lines[-1].split()[1]) <= 1.0
    assert "threshold  links  precision  recall" in lines

    run = [line.split() for line in run_file.read_text().splitlines()]
    assert all(len(row) == 6 and row[1] == "Q0" for row in run)
    first_of = {row[0]: row[2] for row in run if row[3] == "1"}
    # The copy of c1 recorded later (c6) is near-identical: the first-recorded one is ranked first.
    assert first_of["q1"] == "c1"
    assert first_of["q2"] == "c4"
    assert databases() == before  # the scratch database is gone


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.tsv")
    result = run_command("--claims", missing, "--queries", missing, "--qrels", missing)
    assert result.returncode != 0
    assert "File not found" in result.stderr
