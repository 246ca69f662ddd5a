"""The Celery application: configuration from Django settings (``CELERY_`` prefix), beat schedule in code."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("accountability")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "record-worker-heartbeat": {
        "task": "accountability.tasks.record_worker_heartbeat",
        "schedule": 30.0,
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
