"""The Celery application: configuration from Django settings (``CELERY_`` prefix), beat schedule in code."""

import logging
import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import task_failure

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("accountability")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "record-worker-heartbeat": {
        "task": "accountability.tasks.record_worker_heartbeat",
        "schedule": float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "30")),
    },
    "poll-due-feeds": {
        "task": "claims.tasks.poll_due_feeds",
        "schedule": 60.0,
    },
    "prune-task-results": {
        "task": "celery.backend_cleanup",
        "schedule": crontab(minute=17, hour=4),
    },
}


def database_task_retry() -> dict:
    """Retry options for tasks that touch the database: any error is retried with exponential back-off
    (1, 2, 4... seconds up to ``TASK_RETRY_BACKOFF_MAX``), at most ``TASK_MAX_RETRIES`` times, so a database or
    broker restart costs a delay, not the task. A task still failing after that is parked (below).

    Django's connections are closed before and after every task by Celery's Django fix-up, so a retry after a
    database restart opens a fresh connection instead of reusing the broken one."""
    from django.conf import settings

    return {
        "autoretry_for": (Exception,),
        "retry_backoff": 1,
        "retry_backoff_max": settings.TASK_RETRY_BACKOFF_MAX,
        "retry_jitter": False,
        "max_retries": settings.TASK_MAX_RETRIES,
    }


@task_failure.connect
def park_failed_task(sender=None, task_id=None, exception=None, args=None, kwargs=None, einfo=None, **extra):  # type: ignore[no-untyped-def]
    """A task that failed for good (retries used up, or none allowed) is kept for a person to re-queue."""
    if sender is None or task_id is None or exception is None:
        return
    try:
        from claims.parked_tasks import parked_task_record

        parked_task_record(
            task_name=sender.name,
            task_id=task_id,
            args=args,
            kwargs=kwargs,
            exception=exception,
            traceback_text=str(einfo.traceback) if einfo is not None else "",
            attempts=int(getattr(sender.request, "retries", 0) or 0) + 1,
        )
    except Exception:  # the database may be the reason the task failed
        logger.exception("Could not park failed task %s %s", sender.name, task_id)
