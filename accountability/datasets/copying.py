"""Bulk loading through PostgreSQL ``COPY``, with the history triggers skipped for the load only.

Every other trigger and constraint still runs: the offer/outcome trigger, check and unique constraints, foreign keys.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pghistory.trigger
import pgtrigger
from django.db import connection, models, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb


def history_trigger_uris() -> list[str]:
    """The django-pghistory triggers (one history row per insert); a generated dataset has no editorial history."""
    return [
        trigger.get_uri(model)
        for model, trigger in pgtrigger.registered()
        if isinstance(trigger, pghistory.trigger.Event)
    ]


@contextlib.contextmanager
def bulk_load() -> Iterator[None]:
    """One transaction in which the history triggers are ignored (``pgtrigger.ignore``, set transaction-locally)."""
    with transaction.atomic(), pgtrigger.ignore(*history_trigger_uris()), connection.cursor() as cursor:
        # pgtrigger sets its transaction-local flag on the next statement Django executes; COPY below goes
        # straight to psycopg, so run one statement through Django first.
        cursor.execute("SELECT 1")
        yield


def next_id(model: type[models.Model]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608
        return int(cursor.fetchone()[0])


def reset_sequence(model: type[models.Model]) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(COALESCE(MAX(id), 0), 1)) FROM \"{table}\"",  # noqa: S608
            [table],
        )


def _field_default(field: models.Field) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    value = field.get_default()
    if isinstance(field, models.JSONField):
        return Jsonb(value)
    return value


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple], *, progress: Any = None) -> int:
    """COPY ``rows`` (tuples in the order of ``columns``, attribute names such as ``claim_id``) into the model's
    table; every other column gets the field's default, except generated columns, which PostgreSQL computes. Runs
    inside ``bulk_load()``."""
    fields = {field.attname: field for field in model._meta.concrete_fields if not field.generated}
    unknown = set(columns) - set(fields)
    if unknown:
        raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
    rest = [field for name, field in fields.items() if name not in columns and not isinstance(field, models.AutoField)]
    defaults = tuple(_field_default(field) for field in rest)
    names = ", ".join(f'"{fields[name].column}"' for name in columns) + "".join(f', "{f.column}"' for f in rest)
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({names}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row(row + defaults)
            count += 1
            if progress is not None and count % 1000 == 0:
                progress.update(1000)
    if progress is not None:
        progress.update(count % 1000)
    return count
