"""One private PostgreSQL + Valkey pair for the fault tests, and a summary of the faults they injected."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from accountability.demo.story import ARTICLE_PATH
from tests.reliability.private_stack import PrivateStack, private_stack

# The paragraphs of the seed article that state its claims (the bombers known to police, Turkey's ignored warning
# and deportations, parole): short enough for a task to take a fraction of a second, rich enough to link.
CLAIM_PARAGRAPHS = "\n".join(ARTICLE_PATH.read_text(encoding="utf-8").strip().splitlines()[4:7])
FAULT_REPORT: list[dict] = []


@pytest.fixture(scope="session")
def stack() -> Iterator[PrivateStack]:
    # Not under pytest's temporary folder: another pytest run on the machine makes that private to its owner,
    # and PostgreSQL runs as its own system user when the tests run as root.
    root = Path(tempfile.mkdtemp(prefix="accountability-private-stack-"))
    try:
        with private_stack(root) as running:
            yield running
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def fresh_stack(stack: PrivateStack) -> Iterator[PrivateStack]:
    stack.reset_data()
    yield stack
    stack.stop_all()


def import_articles(stack: PrivateStack, *, tag: str, count: int, folder: Path) -> list[int]:
    """``count`` reports of the seed article submitted through ``import_sources``; their ids, in order."""
    rows = [
        {
            "title": f"{tag} {number}",
            "text": f"{tag} report {number}.\n{CLAIM_PARAGRAPHS}",
            "language": "en",
            "published_at": "2016-03-24T18:00:00+00:00",
        }
        for number in range(count)
    ]
    path = folder / f"{tag}.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    output = stack.manage("import_sources", str(path)).stdout
    assert f"added {count}," in output, output
    return [row[0] for row in stack.sql("SELECT id FROM claims_source WHERE title LIKE %s ORDER BY id", (f"{tag} %",))]


def record_faults(test: str, **figures: object) -> None:
    FAULT_REPORT.append({"test": test, **figures})


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    if not FAULT_REPORT:
        return
    terminalreporter.section("faults injected and what was lost")
    for row in FAULT_REPORT:
        terminalreporter.write_line(", ".join(f"{key}={value}" for key, value in row.items()))
