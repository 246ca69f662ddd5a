"""A real Celery worker process runs tasks from the real broker."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache

from accountability.tasks import WORKER_HEARTBEAT_KEY, record_worker_heartbeat
from tests.support.workers import start_worker, stop_worker

pytestmark = pytest.mark.slow


@pytest.fixture
def worker():
    process = start_worker()
    yield process
    stop_worker(process)


def test_worker_runs_the_heartbeat_task_through_the_broker(worker):
    cache.delete(WORKER_HEARTBEAT_KEY)
    record_worker_heartbeat.delay()
    deadline = time.monotonic() + 30
    while cache.get(WORKER_HEARTBEAT_KEY) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert cache.get(WORKER_HEARTBEAT_KEY) is not None


def test_celery_is_configured_for_json_late_ack_and_one_visibility_timeout():
    from config.celery_app import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late
    assert app.conf.task_reject_on_worker_lost
    timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert timeout == app.conf.result_backend_transport_options["visibility_timeout"]
    assert timeout > app.conf.task_time_limit
    assert "record-worker-heartbeat" in app.conf.beat_schedule
