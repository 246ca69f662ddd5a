"""A record's change history read from its pghistory event table, and reverting a record to an earlier version."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from accountability.recording import Actor, recording, save_validated

# Fields a revert leaves alone: bookkeeping, and states that have their own permission and service
# (publication, deletion, merging, a claim's status).
NOT_REVERTED = frozenset(
    {
        "id",
        "created_at",
        "updated_at",
        "recorded_by",
        "is_published",
        "published_at",
        "deleted_at",
        "deleted_by",
        "merged_into",
        "status",
    }
)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Revision:
    """One row of a record's history: what happened, who did it, when, and which fields changed."""

    event_id: int
    label: str
    created_at: Any
    action: str
    actor: Any
    url: str
    changes: list[FieldChange]
    can_revert_to: bool


def history_fields(model: type[models.Model]) -> list[models.Field]:
    """The record's own fields as they are kept in its event table (not the generated ones, which PostgreSQL
    derives from the others)."""
    return [field for field in model._meta.concrete_fields if field.name != "id" and not field.generated]


def _value(event: models.Model, field: models.Field) -> Any:
    return getattr(event, field.attname)


def _display(events: list[models.Model], fields: list[models.Field]) -> Callable[[models.Field, Any], Any]:
    """How a value reads in the history: a related record by its name (one query per related model), a choice by
    its label."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for field in fields:
        if field.many_to_one:
            wanted[field.related_model].update(value for event in events if (value := _value(event, field)) is not None)
    names = {
        model: {pk: str(record) for pk, record in model._base_manager.in_bulk(list(ids)).items()}
        for model, ids in wanted.items()
        if ids
    }

    def shown(field: models.Field, value: Any) -> Any:
        if value is None:
            return None
        if field.many_to_one:
            return names.get(field.related_model, {}).get(value, f"#{value}, since removed")
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value

    return shown


def record_revisions(*, record: models.Model) -> list[Revision]:
    """Every version of the record, newest first, each with its field-by-field difference from the one before.
    Three queries: the events with their context, and the users named as actors."""
    events = list(record.history.select_related("pgh_context").order_by("pgh_created_at", "pgh_id"))  # type: ignore[attr-defined]
    fields = history_fields(type(record))
    actor_ids = {(event.pgh_context.metadata or {}).get("user") for event in events if event.pgh_context_id is not None}
    actors = get_user_model().objects.in_bulk([pk for pk in actor_ids if pk is not None])
    shown = _display(events, fields)
    revisions: list[Revision] = []
    previous: models.Model | None = None
    for event in events:
        metadata = (event.pgh_context.metadata or {}) if event.pgh_context_id is not None else {}
        changes = [
            FieldChange(
                field=field.name,
                label=str(field.verbose_name),
                before=None if previous is None else shown(field, _value(previous, field)),
                after=shown(field, _value(event, field)),
            )
            for field in fields
            if previous is None or _value(previous, field) != _value(event, field)
        ]
        revisions.append(
            Revision(
                event_id=event.pgh_id,
                label=event.pgh_label,
                created_at=event.pgh_created_at,
                action=metadata.get("action") or "",
                actor=actors.get(metadata.get("user")),
                url=metadata.get("url") or "",
                changes=changes,
                can_revert_to=event.pgh_label != "delete",
            )
        )
        previous = event
    revisions.reverse()
    if revisions:  # the newest version is the record as it stands
        revisions[0] = replace(revisions[0], can_revert_to=False)
    return revisions


def record_revert(*, record: models.Model, event_id: int, actor: Actor) -> models.Model:
    """Put back the field values the record had in one of its earlier versions; the revert is itself history.

    Publication, deletion, merging and a claim's status are not reverted: each has its own permission and service.
    """
    event = record.history.get(pgh_id=event_id)  # type: ignore[attr-defined]
    with recording(actor, action="revert"):
        for field in history_fields(type(record)):
            if field.name not in NOT_REVERTED:
                setattr(record, field.attname, _value(event, field))
        return save_validated(record)
