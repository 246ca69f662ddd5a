"""One request id ties a request to its log lines and to the Celery tasks it enqueued."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings

from accountability.tasks import record_worker_heartbeat
from config.request_id import RequestIdLogFilter, bound_request_id
from config.structured_logging import json_logging
from tests.support.workers import wait_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_log() -> io.StringIO:
    """The request logger's lines, formatted as production formats them."""
    stream = io.StringIO()
    config = json_logging()
    formatter_config = dict(config["formatters"]["json"])
    formatter_class = formatter_config.pop("()")
    module, name = formatter_class.rsplit(".", 1)
    formatter = getattr(__import__(module, fromlist=[name]), name)(**formatter_config)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdLogFilter())
    logger = logging.getLogger("config.requests")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_a_request_without_an_id_gets_a_new_one_in_the_response(client):
    first, second = client.get("/"), client.get("/")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_sane_incoming_request_id_is_kept(client):
    response = client.get("/api/v1/claims/", headers={"X-Request-ID": "lb-7f3a9c21.edge:42"})
    assert response["X-Request-ID"] == "lb-7f3a9c21.edge:42"


@pytest.mark.parametrize(
    "incoming",
    ["short", "x" * 129, "has spaces in it", "line\nbreak-injection", "<script>alert(1)</script>", "üñíçødé-id-0001"],
)
def test_an_unusable_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/", headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


def test_each_request_is_logged_as_one_json_object_with_its_id(client, request_log):
    response = client.get("/methodology/", headers={"X-Request-ID": "trace-0000-1111"})
    (line,) = request_log.getvalue().splitlines()
    record = json.loads(line)
    assert record["request_id"] == response["X-Request-ID"] == "trace-0000-1111"
    assert record["path"] == "/methodology/"
    assert record["status"] == 200
    assert record["level"] == "INFO"
    assert record["logger"] == "config.requests"
    assert isinstance(record["duration_ms"], float)


def test_probes_also_carry_a_request_id(client):
    assert len(client.get("/healthz")["X-Request-ID"]) == 32


def test_production_logs_are_one_json_object_per_line():
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "only-for-this-logging-check-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": "accountability.example.org",
        "DATABASE_URL": "postgres://accountability@db.invalid/accountability",
        "REDIS_URL": "redis://redis.invalid:6379/0",
        "ACCOUNTABILITY_START_EMBEDDED": "0",
    }
    script = (
        "import django, logging; django.setup()\n"
        "from config.request_id import bound_request_id\n"
        "with bound_request_id('abc-123-def-456'):\n"
        "    logging.getLogger('claims.ingestion').warning('refused %s', 'http://10.0.0.1/')\n"
        "logging.getLogger('claims.feeds').error('multi\\nline message')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stderr.strip().splitlines())
    assert first["message"] == "refused http://10.0.0.1/"
    assert first["request_id"] == "abc-123-def-456"
    assert first["level"] == "WARNING"
    assert first["logger"] == "claims.ingestion"
    assert "time" in first
    assert second["message"] == "multi\nline message"
    assert second["request_id"] is None


@pytest.mark.slow
def test_a_task_enqueued_during_a_request_logs_that_request_id_in_the_worker(logging_worker):
    with bound_request_id("request-enqueuing-the-task-01"):
        result = record_worker_heartbeat.apply_async()

    def task_line_logged() -> bool:
        return any(result.id in line and "succeeded" in line for line in logging_worker.read_text().splitlines())

    assert wait_until(task_line_logged, timeout=60, interval=0.3), logging_worker.read_text()[-2000:]
    records = [json.loads(line) for line in logging_worker.read_text().splitlines() if line.startswith("{")]
    (succeeded,) = [record for record in records if result.id in record["message"] and "succeeded" in record["message"]]
    assert succeeded["request_id"] == "request-enqueuing-the-task-01"


@pytest.mark.slow
def test_a_task_enqueued_outside_any_request_has_no_request_id(logging_worker):
    result = record_worker_heartbeat.apply_async()

    def task_line_logged() -> bool:
        return any(result.id in line and "succeeded" in line for line in logging_worker.read_text().splitlines())

    assert wait_until(task_line_logged, timeout=60, interval=0.3)
    records = [json.loads(line) for line in logging_worker.read_text().splitlines() if line.startswith("{")]
    (succeeded,) = [record for record in records if result.id in record["message"] and "succeeded" in record["message"]]
    assert succeeded["request_id"] is None
