"""Cursor pagination with a stable order, a capped page size, and bad cursors answered 400 (never 500)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db.models import QuerySet
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

INVALID_CURSOR = "This cursor is not valid for this list and ordering; start again from the first page."


class StableCursorPagination(CursorPagination):
    """Cursor pages, 25 records by default, ``page_size`` up to 100 (larger asks get 100).

    The cursor positions on the first ordering field; ``id`` is added as the last ordering field so that records
    sharing a value (events on the same day) always come in the same order and no record is skipped or repeated.
    The next page's address is also sent as a ``Link: <...>; rel="next"`` header, which is how CSV clients page.
    """

    page_size = 25
    page_size_query_param = "page_size"
    page_size_query_description = "Records per page: 25 by default, at most 100."
    cursor_query_description = "The cursor from a previous page's `next` or `previous` link."
    max_page_size = 100
    ordering = ("-id",)

    def get_ordering(self, request: Request, queryset: QuerySet, view: Any) -> tuple[str, ...]:
        ordering = super().get_ordering(request, queryset, view)
        if ordering[0].lstrip("-") in ("id", "pk"):
            return ordering[:1]
        tie_breaker = "-id" if ordering[0].startswith("-") else "id"
        return (*[field for field in ordering if field.lstrip("-") not in ("id", "pk")], tie_breaker)

    def decode_cursor(self, request: Request) -> Any:
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError({"cursor": [INVALID_CURSOR]}, code="invalid_cursor") from None

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list | None:
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, TypeError, DjangoValidationError, DataError):
            # A cursor made for another ordering, or hand-made: its position does not fit the ordering field.
            raise ValidationError({"cursor": [INVALID_CURSOR]}, code="invalid_cursor") from None

    def get_paginated_response(self, data: list) -> Response:
        response = super().get_paginated_response(data)
        links = [
            f'<{url}>; rel="{rel}"'
            for rel, url in (("next", self.get_next_link()), ("prev", self.get_previous_link()))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response
