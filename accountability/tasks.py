"""Thin Celery tasks for the accountability app."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

WORKER_HEARTBEAT_KEY = "worker-heartbeat"


@shared_task(name="accountability.tasks.record_worker_heartbeat", ignore_result=True)
def record_worker_heartbeat() -> str:
    """Beat sends this every 30 s; readiness checks read the time a worker last ran it."""
    now = timezone.now().isoformat()
    cache.set(WORKER_HEARTBEAT_KEY, now, timeout=300)
    return now
