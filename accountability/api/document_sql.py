"""API records whose JSON PostgreSQL builds in the query that finds them.

The serializers stay the definition of each record's shape (and of the OpenAPI schema). For the busiest lists and
details the same shape is also written in SQL (``claims.api.documents``, ``accountability.api.documents``), so that a
page of records costs one query and neither model instances nor serializer fields: ``tests/api/test_documents.py``
holds each document to its serializer's output, field for field and in order, over records of every shape.

A document is a ``SELECT`` of one JSON value for one row of the viewset's queryset (``{row}.id``, the table's own
name in the query). It reads the values the view gives it as ``settings.<name>``: ``settings.zone``, the time zone
date-times are written in, and any the viewset adds (a claim's ``links_url`` is built from two).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar

from django.db.models import Model, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response

from accountability.api.serializers import (
    IncidentRefSerializer,
    OrganisationRefSerializer,
    PersonRefSerializer,
    SourceRefSerializer,
)

# A date-time as DRF's DateTimeField writes it: in the given zone, microseconds only when there are any, "Z" for a
# zero offset; null for null. ``api_datetime`` is one expression, not strict, so PostgreSQL inlines it into the query.
CREATE_API_DATETIME = """
CREATE OR REPLACE FUNCTION api_utc_offset(seconds integer) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN seconds = 0 THEN 'Z'
        ELSE CASE WHEN seconds < 0 THEN '-' ELSE '+' END
            || to_char(make_interval(secs => abs(seconds)), 'HH24:MI')
            || CASE WHEN abs(seconds) % 60 = 0 THEN '' ELSE to_char(make_interval(secs => abs(seconds)), ':SS') END
    END;
CREATE OR REPLACE FUNCTION api_datetime(moment timestamptz, zone text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN to_char(moment AT TIME ZONE zone, 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN extract(microseconds FROM moment)::bigint % 1000000 = 0 THEN '' ELSE to_char(moment, '.US') END
        || api_utc_offset(extract(epoch FROM (moment AT TIME ZONE zone) - (moment AT TIME ZONE 'UTC'))::integer);
"""
DROP_API_DATETIME = """
DROP FUNCTION IF EXISTS api_datetime(timestamptz, text);
DROP FUNCTION IF EXISTS api_utc_offset(integer);
"""


def datetime_sql(column: str) -> str:
    return f"api_datetime({column}, settings.zone)"


def full_name_sql(alias: str) -> str:
    """``User.get_full_name()`` of a joined user, null without one."""
    return (
        f"CASE WHEN {alias}.id IS NULL THEN NULL "
        f"ELSE btrim({alias}.first_name || ' ' || {alias}.last_name, E' \\t\\n\\r\\f\\v') END"
    )


def reference_sql(alias: str, fields: Sequence[str], *, datetimes: Sequence[str] = ()) -> str:
    """A related record joined as ``alias``, with the ``fields`` of its reference serializer in their order, null
    without one; the ``datetimes`` among them written as DRF writes date-times."""
    values = ", ".join(
        f"'{field}', " + (datetime_sql(f"{alias}.{field}") if field in datetimes else f"{alias}.{field}")
        for field in fields
    )
    return f"CASE WHEN {alias}.id IS NULL THEN NULL ELSE json_build_object({values}) END"


def person_ref_sql(alias: str) -> str:
    return reference_sql(alias, PersonRefSerializer.Meta.fields)


def organisation_ref_sql(alias: str) -> str:
    return reference_sql(alias, OrganisationRefSerializer.Meta.fields)


def incident_ref_sql(alias: str) -> str:
    return reference_sql(alias, IncidentRefSerializer.Meta.fields)


def source_ref_sql(alias: str) -> str:
    return reference_sql(alias, SourceRefSerializer.Meta.fields, datetimes=("published_at",))


def source_refs_sql(*, through: str, owner_column: str, owner: str) -> str:
    """The published sources of a many-to-many relation (``through``, its ``owner_column`` equal to ``owner``), as
    ``selectors.source_refs`` reads them: newest first."""
    return json_list_sql(
        source_ref_sql("s"),
        from_where=f"""FROM {through} x JOIN claims_source s ON s.id = x.source_id
            WHERE x.{owner_column} = {owner} AND s.is_published""",
        order_by="s.published_at DESC, s.id",
    )


def json_list_sql(element: str, *, from_where: str, order_by: str) -> str:
    """A JSON array of ``element`` over the rows of ``from_where`` in order; ``[]`` when there are none."""
    return f"COALESCE((SELECT json_agg({element} ORDER BY {order_by}) {from_where}), '[]')"


def document_annotation(document_sql: str, *, row: str, settings: dict[str, str]) -> RawSQL:
    """The document of each row of a queryset over the table ``row``, as JSON text. ``settings`` are the values
    the document reads as ``settings.<name>`` (text)."""
    columns = ", ".join(f"%s::text AS {name}" for name in settings)
    document = document_sql.replace("{row}", row)
    sql = (
        f"(SELECT ({document})::text "  # noqa: S608 (constant SQL fragments, no input)
        f"FROM (SELECT {columns}) settings)"
    )
    # The SQL is the product's own constants; the settings' values are parameters.
    return RawSQL(sql, list(settings.values()), output_field=TextField())  # noqa: S611


def absolute_url_parts(request: Request, view_name: str, kwarg: str) -> tuple[str, str]:
    """The absolute address of ``view_name`` split around its ``kwarg``, for a document to put a key between."""
    marker = "record-key-marker"
    address = request.build_absolute_uri(reverse(view_name, kwargs={kwarg: marker}))
    before, after = address.split(marker)
    return before, after


class DocumentsFromDatabase:
    """List pages and details of a ``PublicReadViewSet`` whose records' JSON PostgreSQL builds.

    ``get_queryset`` only finds the records: filters, ordering and cursor pages work on it as on any other list, and
    each record it returns carries its whole document (``list_document`` or ``detail_document``), read in the same
    query. Like every API GET, they run as prepared statements (``accountability.prepared_statements``): the queries are
    long, and planning them again on every request would cost more than running them.
    """

    request: Request
    list_document: ClassVar[str]
    detail_document: ClassVar[str]

    def document_settings(self) -> dict[str, str]:
        """Values the documents read as ``settings.<name>``: the zone date-times are written in, and more."""
        return {"zone": timezone.get_current_timezone_name()}

    def with_documents(self, records: QuerySet, document_sql: str) -> QuerySet:
        annotation = document_annotation(
            document_sql, row=records.model._meta.db_table, settings=self.document_settings()
        )
        return records.annotate(document=annotation)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        records = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
        page = self.paginate_queryset(self.with_documents(records, self.list_document))  # type: ignore[attr-defined]
        return self.get_paginated_response([json.loads(record.document) for record in page])  # type: ignore[attr-defined]

    def find_record(self, condition: Q) -> Model | None:
        records = self.get_queryset().filter(condition)  # type: ignore[attr-defined]
        return self.with_documents(records, self.detail_document).first()

    def record_data(self, record: Model) -> Any:
        return json.loads(record.document)  # type: ignore[attr-defined]
