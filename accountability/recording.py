"""How every service writes: atomically, with the actor and reason attached to the history rows."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator
from typing import TypeVar

import pghistory
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from accountability.records import EditorialRecord

Record = TypeVar("Record", bound=models.Model)
Actor = AbstractBaseUser | AnonymousUser | None


_current_action: contextvars.ContextVar[str | None] = contextvars.ContextVar("recording_action", default=None)


@contextlib.contextmanager
def recording(actor: Actor, *, action: str) -> Iterator[None]:
    """One transaction; every history row written inside it names the actor and the action.

    A service called by another service joins the outer action, so history tells what the editor did
    ("claim_create"), not each step it took.
    """
    if _current_action.get() is not None:
        with transaction.atomic():
            yield
        return
    token = _current_action.set(action)
    try:
        with transaction.atomic(), pghistory.context(user=getattr(actor, "pk", None), action=action):
            yield
    finally:
        _current_action.reset(token)


def save_validated(record: Record, *, exclude: Iterable[str] = ()) -> Record:
    """Validate every field (clear errors naming the field), then save.

    The table's constraints are PostgreSQL's to check, on the insert or update itself: asking it beforehand costs
    a query (and a savepoint) per constraint, most of the round trips of a save. When it refuses one, the constraints
    are validated as ``full_clean`` would have, so the caller gets the same ``ValidationError``; a refusal they do
    not explain (another transaction won a race for a unique value) stays an ``IntegrityError``.
    """
    excluded = list(exclude)
    record.full_clean(exclude=excluded, validate_constraints=False)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        record.validate_constraints(exclude=excluded)
        raise
    return record


def require_sources(sources: Iterable[models.Model], *, field: str = "sources") -> list[models.Model]:
    """Provenance first: every fact names at least one source."""
    listed = list(sources)
    if not listed:
        raise ValidationError({field: "Name at least one source for this fact."})
    return listed


def unique_slug(model: type[models.Model], text: str, *, max_length: int = 100) -> str:
    base = slugify(text, allow_unicode=False)[:max_length].strip("-") or "record"
    candidate, number = base, 2
    while model._default_manager.filter(slug=candidate).exists():
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def publication_set(*, record: EditorialRecord, is_published: bool, actor: Actor) -> EditorialRecord:
    """Publish or unpublish one editorial record; publishing keeps the first publication time."""
    with recording(actor, action="publish" if is_published else "unpublish"):
        record.is_published = is_published
        if is_published and record.published_at is None:
            record.published_at = timezone.now()
        from accountability.caching import content_changed
        from claims.api.webhooks import RECORD_PUBLISHED, RECORD_UNPUBLISHED, webhooks_notify

        content_changed()
        transaction.on_commit(
            lambda: webhooks_notify(event_type=RECORD_PUBLISHED if is_published else RECORD_UNPUBLISHED, record=record)
        )
        return save_validated(record)
