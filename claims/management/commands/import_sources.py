"""Bulk import of sources from a JSONL or CSV file, with a progress bar and a summary."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from accountability.services import system_user_get
from claims.intake import IMPORT_FIELDS, sources_import


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, object] | str]]:
    """(line number, row) for each record; a line that cannot be parsed yields its error message instead."""
    with path.open(encoding="utf-8", errors="strict", newline="") as handle:
        if path.suffix.lower() == ".csv":
            for number, row in enumerate(csv.DictReader(handle), start=2):
                yield number, {key: value for key, value in row.items() if key is not None}
            return
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield number, f"not valid JSON: {error.msg}"
                continue
            yield number, record if isinstance(record, dict) else "each line must be a JSON object"


class Command(BaseCommand):
    help = f"Import sources from a .jsonl or .csv file with the fields {', '.join(IMPORT_FIELDS)}."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, file: Path, **options: object) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        if file.suffix.lower() not in {".jsonl", ".csv", ".ndjson"}:
            raise CommandError("Give a .jsonl (one JSON object per line) or .csv file.")
        total = sum(1 for _ in file.open(encoding="utf-8", errors="replace"))
        try:
            rows = tqdm(read_rows(file), total=total, unit="row", disable=None, file=self.stderr._out)
            summary = sources_import(rows=rows, actor=system_user_get(username="import"))
        except UnicodeDecodeError as error:
            raise CommandError(f"The file is not UTF-8 ({error.reason} at byte {error.start}).") from error
        self.stdout.write(
            f"added {summary.added}, skipped as duplicate {summary.duplicates}, refused {len(summary.refused)}"
        )
        for line_number, reason in summary.refused:
            self.stdout.write(f"  line {line_number}: {reason}")
