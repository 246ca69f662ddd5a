"""Query parameters and cursors of the ``tombstones/`` pages: (time removed, id) keys, sent base64-encoded."""

from __future__ import annotations

import base64
import binascii
import datetime
from typing import Any

from django import forms
from django.utils.dateparse import parse_datetime
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

from accountability.api.filters import ISODateTimeField
from accountability.api.pagination import INVALID_CURSOR

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
Position = tuple[datetime.datetime, int]


def encode_position(position: Position) -> str:
    moment, record_id = position
    return base64.urlsafe_b64encode(f"{moment.isoformat()}|{record_id}".encode()).decode().rstrip("=")


def decode_position(cursor: str) -> Position | None:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment_text, record_id = text.rsplit("|", 1)
        moment = parse_datetime(moment_text)
        if moment is None or moment.tzinfo is None or not record_id.isascii() or not record_id.isdigit():
            return None
        return (moment, int(record_id))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def tombstone_cursor(request: Request, position: Position) -> str:
    return replace_query_param(request.build_absolute_uri(), "cursor", encode_position(position))


class CursorField(forms.CharField):
    default_error_messages = {"invalid": INVALID_CURSOR}

    def to_python(self, value: Any) -> Position | None:
        text = super().to_python(value)
        if not text:
            return None
        position = decode_position(text)
        if position is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return position


class PageSizeField(forms.Field):
    """Like the lists: a missing or unusable size gives the default page, a larger ask gets the maximum."""

    def to_python(self, value: Any) -> int:
        text = str(value or "").strip()
        if not (text.isascii() and text.isdigit()) or int(text) < 1:
            return DEFAULT_PAGE_SIZE
        return min(int(text[:7]) if len(text) <= 7 else MAX_PAGE_SIZE, MAX_PAGE_SIZE)


class TombstonePageQuery(forms.Form):
    updated_since = ISODateTimeField(required=False)
    cursor = CursorField(required=False, max_length=200)
    page_size = PageSizeField(required=False)
