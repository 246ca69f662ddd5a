"""Merging duplicate records: everything that points at the duplicate moves to the record that stays, and the
duplicate's public address leads (301) to it. Shared by people here and claims in ``claims.merging``."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pghistory.models
from django.core.exceptions import ValidationError
from django.db import models

from accountability.models import Person, PersonName, PersonNameKind, Term
from accountability.recording import Actor, publication_set, recording, save_validated
from accountability.records import EditorialRecord


def merge_check(*, loser: EditorialRecord, winner: EditorialRecord) -> None:
    if loser.pk == winner.pk:
        raise ValidationError({"winner": "Choose a different record to merge into."})
    if winner.merged_into_id is not None:  # type: ignore[attr-defined]
        raise ValidationError({"winner": f"{winner} was itself merged; merge into the record it was merged into."})
    if winner.deleted_at is not None:
        raise ValidationError({"winner": f"{winner} is deleted; restore it before merging into it."})
    if loser.merged_into_id is not None:  # type: ignore[attr-defined]
        raise ValidationError({"loser": f"{loser} is already merged."})


def references_move(
    *,
    loser: models.Model,
    winner: models.Model,
    skip: Iterable[type[models.Model]] = (),
) -> None:
    """Point every foreign key and many-to-many row that names ``loser`` at ``winner``.

    History tables are left as they were (they tell what was), and one-to-one rows (derived data) stay. Many-to-many
    rows the winner already has are dropped rather than duplicated. Relations whose unique constraints could clash
    are settled by the caller before this runs.
    """
    skipped = tuple(skip)
    model = type(loser)
    for field in model._meta.many_to_many:  # the record's own many-to-many fields, e.g. a claim's subjects
        _many_to_many_move(field=field, loser=loser, winner=winner, moving_owner=True)
    for relation in model._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete or relation.one_to_one:
            continue
        related_model = relation.related_model
        if related_model._meta.auto_created:  # a many-to-many table, moved below through its field
            continue
        if issubclass(related_model, pghistory.models.Event) or issubclass(related_model, skipped):
            continue
        if relation.many_to_many:
            _many_to_many_move(field=relation.field, loser=loser, winner=winner)
        else:
            field_name = relation.field.name
            related_model._base_manager.filter(**{field_name: loser}).update(**{field_name: winner})


def _many_to_many_move(
    *, field: models.ManyToManyField, loser: models.Model, winner: models.Model, moving_owner: bool = False
) -> None:
    """Move the rows naming ``loser`` on one side of a many-to-many table (the target side, e.g. the person a
    claim is about; or with ``moving_owner`` the declaring side, e.g. the claim) to ``winner``."""
    through = field.remote_field.through
    owner_column = field.m2m_field_name()  # the model declaring the field, e.g. the claim
    target_column = field.m2m_reverse_field_name()  # the other model, e.g. the person
    if moving_owner:
        owner_column, target_column = target_column, owner_column
    rows = through.objects.filter(**{target_column: loser})
    owner_ids = list(rows.values_list(f"{owner_column}_id", flat=True))
    if not owner_ids:
        return
    rows.delete()
    through.objects.bulk_create(
        [through(**{f"{owner_column}_id": owner_id, f"{target_column}_id": winner.pk}) for owner_id in owner_ids],
        ignore_conflicts=True,
    )


def merge_finish(*, loser: EditorialRecord, winner: EditorialRecord, actor: Actor) -> EditorialRecord:
    """Mark the loser merged into the winner and take it off the public site; earlier merges into the loser now
    lead to the winner directly."""
    type(loser)._base_manager.filter(merged_into=loser).update(merged_into=winner)
    if loser.is_published:
        publication_set(record=loser, is_published=False, actor=actor)
    loser.merged_into = winner  # type: ignore[attr-defined]
    return save_validated(loser)


def merge_run(
    *,
    loser: EditorialRecord,
    winner: EditorialRecord,
    actor: Actor,
    action: str,
    settle: Callable[[], None],
    skip: Iterable[type[models.Model]] = (),
) -> EditorialRecord:
    with recording(actor, action=action):
        model = type(loser)
        loser = model._base_manager.select_for_update().get(pk=loser.pk)
        winner = model._base_manager.select_for_update().get(pk=winner.pk)
        merge_check(loser=loser, winner=winner)
        settle()
        references_move(loser=loser, winner=winner, skip=skip)
        merge_finish(loser=loser, winner=winner, actor=actor)
        return winner


def person_merge(*, loser: Person, winner: Person, actor: Actor) -> Person:
    """Merge a duplicate person into another: names and spelling variants, identifiers, terms, accountability
    events and decisions, quotes, claims they made or are about all move to ``winner``."""

    def settle() -> None:
        winner_names = set(PersonName.objects.filter(person=winner).values_list("normalized", flat=True))
        PersonName.objects.filter(person=loser, normalized__in=winner_names).delete()
        PersonName.objects.filter(person=loser, kind=PersonNameKind.PRIMARY).update(kind=PersonNameKind.VARIANT)
        for term in Term.objects.filter(person=loser).prefetch_related("sources"):
            same = Term.objects.filter(person=winner, post_id=term.post_id, started_on=term.started_on).first()
            if same is not None:  # the same term recorded twice: keep one, with the sources of both
                same.sources.add(*term.sources.all())
                term.delete()

    merged = merge_run(loser=loser, winner=winner, actor=actor, action="person_merge", settle=settle)
    return merged  # type: ignore[return-value]
