"""Deleting an editorial record softly (it leaves every list and the public site, and can come back) and restoring
it. Deleting for good is the admin role's, through the admin's purge action."""

from __future__ import annotations

from django.utils import timezone

from accountability.recording import Actor, publication_set, recording, save_validated
from accountability.records import EditorialRecord


def record_soft_delete(*, record: EditorialRecord, actor: Actor) -> EditorialRecord:
    """Unpublish the record (newsrooms following it are told) and mark it deleted, by whom and when."""
    with recording(actor, action="delete"):
        if record.is_published:
            publication_set(record=record, is_published=False, actor=actor)
        record.deleted_at = timezone.now()
        record.deleted_by = actor if getattr(actor, "pk", None) else None
        return save_validated(record)


def record_restore(*, record: EditorialRecord, actor: Actor) -> EditorialRecord:
    """Bring a deleted record back, as a draft: publishing it again is a separate, deliberate step."""
    with recording(actor, action="restore"):
        record.deleted_at = None
        record.deleted_by = None
        return save_validated(record)
