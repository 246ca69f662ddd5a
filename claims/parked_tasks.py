"""Background tasks that kept failing: set aside after their bounded retries, for a person to re-queue or dismiss."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from accountability.recording import Actor
from claims.models import ParkedTask, ParkedTaskResolution

logger = logging.getLogger(__name__)

MAX_STORED_TEXT = 20_000


def _json_safe(value: Any) -> Any:
    """Task arguments travel as JSON already; anything else is kept as its text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    return repr(value)


def parked_task_record(
    *,
    task_name: str,
    task_id: str,
    args: Sequence[Any] | None,
    kwargs: dict[str, Any] | None,
    exception: BaseException,
    traceback_text: str,
    attempts: int,
) -> ParkedTask:
    """Park a task that failed for good. Parking the same attempt twice keeps one row."""
    parked, _ = ParkedTask.objects.update_or_create(
        task_id=task_id,
        defaults={
            "task_name": task_name,
            "args": _json_safe(list(args or [])),
            "kwargs": _json_safe(dict(kwargs or {})),
            "exception": f"{type(exception).__name__}: {exception}"[:MAX_STORED_TEXT],
            "traceback": traceback_text[-MAX_STORED_TEXT:],
            "attempts": max(1, attempts),
        },
    )
    logger.error("Parked task %s %s after %d attempts: %s", task_name, task_id, attempts, parked.exception)
    return parked


def parked_task_requeue(*, parked: ParkedTask, actor: Actor) -> ParkedTask:
    """Send a parked task back to its queue with the same arguments, after the resolution is committed."""
    from config.celery_app import app

    with transaction.atomic():
        locked = ParkedTask.objects.select_for_update().get(pk=parked.pk)
        if locked.resolved_at is not None:
            return locked
        locked.resolved_at = timezone.now()
        locked.resolved_by_id = getattr(actor, "pk", None)
        locked.resolution = ParkedTaskResolution.REQUEUED
        locked.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        name, args, kwargs = locked.task_name, list(locked.args), dict(locked.kwargs)
        transaction.on_commit(lambda: app.send_task(name, args=args, kwargs=kwargs))
    return locked


def parked_task_dismiss(*, parked: ParkedTask, actor: Actor) -> ParkedTask:
    """Mark a parked task as looked at and not to be run again."""
    with transaction.atomic():
        locked = ParkedTask.objects.select_for_update().get(pk=parked.pk)
        if locked.resolved_at is None:
            locked.resolved_at = timezone.now()
            locked.resolved_by_id = getattr(actor, "pk", None)
            locked.resolution = ParkedTaskResolution.DISMISSED
            locked.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return locked
