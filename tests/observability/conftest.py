"""A real Celery worker whose JSON log lines the test can read, and a clean broker database for it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings

from tests.support.workers import stop_worker, test_database_url


@pytest.fixture
def empty_broker() -> Iterator[redis.Redis]:
    """The suite's own broker database, emptied, so a worker sees only this test's messages."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def logging_worker(transactional_db, empty_broker, tmp_path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """A prefork worker logging JSON at INFO into a file; yields the log file's path."""
    log_file = tmp_path / "worker.log"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test"),
        "ACCOUNTABILITY_START_EMBEDDED": "0",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_LOG_FORMAT": "json",
    }
    with log_file.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config.celery_app",
                "worker",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    yield log_file
    stop_worker(process)
