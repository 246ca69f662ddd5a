"""Tombstones: which records a newsroom's mirror must drop, because they left the public record.

A record leaves the public record when it is unpublished, merged into another, soft-deleted, deleted outright, or
when the record it belongs to (a term's person, an event's person) leaves. A tombstone is only ever given for a
record that was published once (``published_at`` is kept when a record is unpublished), so drafts never show up.
Tombstones are listed oldest first, in pages keyed on (time removed, id): a mirror asks again from the last one.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence

from django.db.models import Model, Q, QuerySet

UNPUBLISHED = "unpublished"
MERGED = "merged"
DELETED = "deleted"


@dataclasses.dataclass(frozen=True)
class Tombstone:
    id: int
    slug: str | None
    reason: str
    merged_into: Model | None
    removed_at: datetime.datetime

    @property
    def position(self) -> tuple[datetime.datetime, int]:
        return (self.removed_at, self.id)


@dataclasses.dataclass(frozen=True)
class RemovalScope:
    """Which records of a list can leave it: records of ``model`` matching ``only`` (a condition on fields the
    history rows keep too), ``public`` (what the list shows), ``belongs_to`` (relations whose own removal takes
    these records with them: timestamp paths such as ``person__updated_at``)."""

    model: type[Model]
    public: QuerySet
    only: Q = dataclasses.field(default_factory=Q)
    belongs_to: Sequence[str] = ()


def _after(position: tuple[datetime.datetime, int] | None, *, time_field: str, id_field: str) -> Q:
    if position is None:
        return Q()
    moment, last_id = position
    return Q(**{f"{time_field}__gt": moment}) | Q(**{time_field: moment, f"{id_field}__gt": last_id})


def _changed_since(scope: RemovalScope, since: datetime.datetime | None) -> Q:
    if since is None:
        return Q()
    changed = Q(updated_at__gte=since)
    for moment in scope.belongs_to:
        changed |= Q(**{f"{moment}__gte": since})
    return changed


def _reason(record: Model) -> str:
    if getattr(record, "merged_into_id", None) is not None:
        return MERGED
    if getattr(record, "deleted_at", None) is not None:
        return DELETED
    return UNPUBLISHED


def _withdrawn(
    scope: RemovalScope, *, since: datetime.datetime | None, after: tuple[datetime.datetime, int] | None, limit: int
) -> list[Tombstone]:
    """Records still in the database, once published, no longer in the public list."""
    merged = hasattr(scope.model, "merged_into")
    rows = (
        scope.model._default_manager.filter(scope.only, published_at__isnull=False)
        .exclude(pk__in=scope.public.order_by().values("pk"))
        .filter(_changed_since(scope, since))
        .filter(_after(after, time_field="updated_at", id_field="id"))
        .select_related(*(["merged_into"] if merged else []))
        .order_by("updated_at", "id")[:limit]
    )
    return [
        Tombstone(
            id=row.pk,
            slug=getattr(row, "slug", None),
            reason=_reason(row),
            merged_into=row.merged_into if merged else None,
            removed_at=row.updated_at,
        )
        for row in rows
    ]


def _erased(
    scope: RemovalScope, *, since: datetime.datetime | None, after: tuple[datetime.datetime, int] | None, limit: int
) -> list[Tombstone]:
    """Records deleted outright, from the delete rows of their history (which keep the last values)."""
    history = scope.model._meta.get_field("history").related_model
    gone = history.objects.filter(scope.only, pgh_label="delete", published_at__isnull=False)
    if since is not None:
        gone = gone.filter(pgh_created_at__gte=since)
    rows = gone.filter(_after(after, time_field="pgh_created_at", id_field="id")).order_by("pgh_created_at", "id")
    return [
        Tombstone(
            id=row.id,
            slug=getattr(row, "slug", None),
            reason=DELETED,
            merged_into=None,
            removed_at=row.pgh_created_at,
        )
        for row in rows[:limit]
    ]


def tombstones(
    scope: RemovalScope,
    *,
    since: datetime.datetime | None,
    after: tuple[datetime.datetime, int] | None = None,
    limit: int = 100,
) -> tuple[list[Tombstone], bool]:
    """Up to ``limit`` tombstones removed at or after ``since`` (all when None), past ``after``, oldest first;
    and whether more follow."""
    found = _withdrawn(scope, since=since, after=after, limit=limit + 1) + _erased(
        scope, since=since, after=after, limit=limit + 1
    )
    found.sort(key=lambda tombstone: tombstone.position)
    return found[:limit], len(found) > limit
