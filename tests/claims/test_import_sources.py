"""`manage.py import_sources FILE`: JSONL or CSV in, a summary of what was added, skipped and refused out."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims.models import FetchState, Source

pytestmark = pytest.mark.django_db


def _run(path) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("import_sources", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_jsonl_import_adds_skips_duplicates_and_refuses_bad_rows_with_reasons(tmp_path):
    lines = [
        json.dumps({"url": "https://news.example.org/a?utm_source=x", "title": "A"}),
        json.dumps({"url": "https://www.news.example.org/a/", "title": "A again"}),
        json.dumps({"text": "Jambon offered his resignation.", "language": "en", "published_at": "2016-03-24"}),
        "{not json",
        json.dumps({"url": "ftp is not a web address"}),
        json.dumps({"title": "neither url nor text"}),
        json.dumps({"url": "https://news.example.org/b", "colour": "blue"}),
        json.dumps({"text": "Later text", "published_at": "yesterday-ish"}),
    ]
    path = tmp_path / "sources.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = _run(path)
    assert "added 2, skipped as duplicate 1, refused 5" in output
    assert "line 4: not valid JSON" in output
    assert "line 6: url: Give the address" in output
    assert "line 7: __all__: Unknown column(s): colour" in output
    assert "line 8: published_at" in output
    assert Source.objects.count() == 2
    pasted = Source.objects.get(fetch_state=FetchState.PASTED)
    assert timezone.localdate(pasted.published_at).isoformat() == "2016-03-24"


def test_csv_import_reads_a_header_row(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text("url,title\nhttps://news.example.org/c,C\n,\n", encoding="utf-8")
    output = _run(path)
    assert "added 1, skipped as duplicate 0, refused 1" in output
    assert "line 3: url:" in output


def test_a_missing_or_wrong_kind_of_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_sources", str(tmp_path / "missing.jsonl"))
    other = tmp_path / "sources.xlsx"
    other.write_bytes(b"PK")
    with pytest.raises(CommandError, match=r"\.jsonl"):
        call_command("import_sources", str(other))
