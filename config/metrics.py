"""Operational figures for staff: Celery queue lengths, task failures (counted in Redis by a Celery signal) and the
health of the polled feeds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import redis
from django.conf import settings
from django.db.models import QuerySet

from claims.models import Feed

TASK_FAILURES_KEY = "accountability:metrics:task-failures"
DEFAULT_QUEUE = "celery"
# Kombu's Redis transport keeps each priority level of a queue in its own list: "celery", "celery\x06\x163", ...
_PRIORITY_SEPARATOR = "\x06\x16"
_PRIORITY_STEPS = (0, 3, 6, 9)


def metrics_redis() -> redis.Redis:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=3, socket_timeout=3)


def count_task_failure(sender: Any = None, **kwargs: Any) -> None:
    """Celery ``task_failure`` handler: one more failure for the task's name."""
    name = getattr(sender, "name", None) or "unknown"
    client = metrics_redis()
    try:
        client.hincrby(TASK_FAILURES_KEY, name, 1)
    finally:
        client.close()


def task_failure_counts() -> dict[str, int]:
    client = metrics_redis()
    try:
        counts = client.hgetall(TASK_FAILURES_KEY)
    finally:
        client.close()
    return dict(sorted(((name.decode(), int(count)) for name, count in counts.items()), key=lambda item: -item[1]))


def known_queues() -> list[str]:
    routed = {route.get("queue") for route in (getattr(settings, "CELERY_TASK_ROUTES", None) or {}).values()}
    return sorted({DEFAULT_QUEUE, *(queue for queue in routed if queue)})


def queue_lengths() -> dict[str, int]:
    """Messages waiting in each queue (all priority levels), not counting those a worker has reserved."""
    client = metrics_redis()
    try:
        lengths = {}
        for queue in known_queues():
            keys = [queue] + [f"{queue}{_PRIORITY_SEPARATOR}{step}" for step in _PRIORITY_STEPS if step]
            lengths[queue] = sum(client.llen(key) for key in keys)
        return lengths
    finally:
        client.close()


@dataclass(frozen=True)
class FeedHealth:
    failing: QuerySet[Feed]
    active_count: int
    failing_count: int


def feed_health() -> FeedHealth:
    """Active feeds that failed their last polls, worst first, with their last error and next poll."""
    active = Feed.objects.filter(is_active=True)
    failing = active.filter(consecutive_failures__gt=0).order_by("-consecutive_failures", "next_poll_at")
    return FeedHealth(failing=failing, active_count=active.count(), failing_count=failing.count())
