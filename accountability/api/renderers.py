"""CSV for every list (``?format=csv`` or ``Accept: text/csv``).

Written here instead of depending on djangorestframework-csv, which has had no release since 2021 and pins
old DRF behaviour; what we need is forty lines: one row per record, nested objects flattened into dotted columns
(``person.name``), lists of plain values joined with ``; ``, lists of objects kept as JSON in one cell.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rest_framework.renderers import BaseRenderer, JSONRenderer

# Spreadsheets run cells starting with these as formulas; source texts come from the open web (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            value = "; ".join("" if item is None else str(item) for item in value)
        else:
            value = json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _flatten(record: dict, prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in record.items():
        column = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, prefix=f"{column}."))
        else:
            flat[column] = _cell(value)
    return flat


def _declared_columns(renderer_context: dict | None) -> list[str]:
    """The serializer's top-level fields, so an empty list is a header row rather than an empty body (an empty
    body would lose its Content-Type)."""
    view = (renderer_context or {}).get("view")
    try:
        return list(view.get_serializer().fields) if view is not None else []
    except Exception:  # a view without a serializer simply has no declared columns
        return []


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: dict | None = None) -> bytes:
        if data is None:
            return b""
        if isinstance(data, dict) and "results" in data:
            records = data["results"]
        elif isinstance(data, dict):
            records = [data]
        else:
            records = list(data)
        rows = [_flatten(record) for record in records]
        columns = list(dict.fromkeys(column for row in rows for column in row)) or _declared_columns(renderer_context)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
        if columns:
            writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue().encode(self.charset)


class JSONLDRenderer(JSONRenderer):
    """schema.org structured data (``application/ld+json``)."""

    media_type = "application/ld+json"
    format = "jsonld"
