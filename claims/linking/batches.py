"""The linking task's unit of work: its own source and the sources still waiting for theirs, under row locks."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from claims.linking.service import LinkingResult, sources_link
from claims.models import FetchState, Source

logger = logging.getLogger(__name__)


def sources_awaiting_link() -> QuerySet[Source]:
    """Sources with text that the matcher has not linked yet (each has a linking task queued or running)."""
    return Source.objects.filter(linked_at__isnull=True, fetch_state__in=[FetchState.FETCHED, FetchState.PASTED])


def source_link_by_id(*, source_id: int) -> LinkingResult:
    """Link one source, and with it up to ``MATCHER_LINKING_BATCH_SIZE - 1`` other sources still waiting for their
    own tasks, under row locks: two workers never link the same source at once, and the task of a source already
    linked in an earlier batch finds it done and returns at once. Running it again stores nothing twice.

    If the batch fails for another reason than the database (a source the matcher cannot handle), the source asked
    for is linked alone, so one bad source can fail only its own task."""
    try:
        with transaction.atomic():
            return _link_batch(source_id=source_id, batch_size=settings.MATCHER_LINKING_BATCH_SIZE)
    except DatabaseError:
        raise
    except Exception:
        if settings.MATCHER_LINKING_BATCH_SIZE <= 1:
            raise
        logger.exception("linking a batch with source %s failed; linking that source alone", source_id)
        with transaction.atomic():
            return _link_batch(source_id=source_id, batch_size=1)


def _link_batch(*, source_id: int, batch_size: int) -> LinkingResult:
    source = Source.objects.select_for_update().get(pk=source_id)
    if source.linked_at is not None:
        return LinkingResult()
    others = list(
        sources_awaiting_link()
        .exclude(pk=source_id)
        .order_by("id")
        .select_for_update(skip_locked=True)[: max(0, batch_size - 1)]
    )
    batch = [source, *others]
    results = sources_link(sources=batch)
    Source.objects.filter(pk__in=[item.pk for item in batch]).update(linked_at=timezone.now())
    return results[source_id]
