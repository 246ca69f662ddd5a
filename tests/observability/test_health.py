"""Liveness answers from the process alone; readiness names what is not ready: the database, the broker, or the
worker that runs beat's heartbeat task."""

from __future__ import annotations

import datetime
import socket

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from accountability.tasks import WORKER_HEARTBEAT_KEY, record_worker_heartbeat
from tests.support.workers import start_worker, stop_worker, wait_until


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def fresh_heartbeat():  # type: ignore[no-untyped-def]
    cache.set(WORKER_HEARTBEAT_KEY, timezone.now().isoformat(), timeout=300)
    yield
    cache.delete(WORKER_HEARTBEAT_KEY)


@pytest.fixture
def no_heartbeat():  # type: ignore[no-untyped-def]
    cache.delete(WORKER_HEARTBEAT_KEY)


def test_liveness_answers_without_touching_the_database(client):
    # No database fixture: any query here would raise instead of answering.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_probes_need_no_allowed_host_and_are_never_redirected_to_https(client, settings, fresh_heartbeat):
    settings.ALLOWED_HOSTS = ["accountability.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.3.7:8000")
        assert response.status_code == 200, path
    assert client.get("/", HTTP_HOST="10.0.3.7:8000").status_code == 400


@pytest.mark.django_db
def test_ready_when_database_broker_and_a_recent_worker_heartbeat_answer(client, fresh_heartbeat):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["failed"] == []
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "broker": True,
        "worker": True,
    }


@pytest.mark.django_db
def test_not_ready_without_any_worker_heartbeat(client, no_heartbeat):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["worker"]
    assert body["checks"]["worker"]["error"] == "no worker heartbeat recorded"


@pytest.mark.django_db
def test_not_ready_when_the_last_heartbeat_is_older_than_the_window(client, settings):
    settings.READINESS_HEARTBEAT_MAX_AGE = 120
    cache.set(WORKER_HEARTBEAT_KEY, (timezone.now() - datetime.timedelta(minutes=5)).isoformat(), timeout=300)
    body = client.get("/readyz").json()
    assert body["failed"] == ["worker"]
    assert "limit 120 s" in body["checks"]["worker"]["error"]
    cache.delete(WORKER_HEARTBEAT_KEY)


@pytest.mark.django_db
def test_not_ready_when_the_broker_does_not_answer(client, settings, fresh_heartbeat):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["broker"]
    assert "ConnectionError" in body["checks"]["broker"]["error"]


def test_not_ready_when_the_database_does_not_answer(client, transactional_db, fresh_heartbeat):
    real_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = closed_port()
    try:
        response = client.get("/readyz")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real_port
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["database"]
    assert "OperationalError" in body["checks"]["database"]["error"]


@pytest.mark.slow
def test_a_real_worker_running_the_heartbeat_task_makes_the_site_ready(client, transactional_db, no_heartbeat):
    assert client.get("/readyz").status_code == 503
    worker = start_worker()
    try:
        record_worker_heartbeat.delay()  # what beat sends every 30 seconds
        assert wait_until(lambda: cache.get(WORKER_HEARTBEAT_KEY) is not None, timeout=60, interval=0.2)
    finally:
        stop_worker(worker)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"]["age_s"] < 60
