"""Staff see queue lengths, task failures counted by a Celery signal, and which feeds are failing."""

from __future__ import annotations

import datetime

import html5lib
import pytest
from django.utils import timezone

from accountability.tasks import record_worker_heartbeat
from claims.models import Feed
from config import metrics
from config.celery_app import app
from tests.factories import UserFactory
from tests.support.workers import start_worker, stop_worker, wait_until

METRICS_URL = "/admin/metrics/"


@pytest.fixture
def no_failures_counted(empty_broker):  # type: ignore[no-untyped-def]
    empty_broker.delete(metrics.TASK_FAILURES_KEY)


def table_rows(html: str, table_id: str) -> list[list[str]]:
    document = html5lib.parse(html, namespaceHTMLElements=False)
    table = document.find(f".//table[@id='{table_id}']")
    assert table is not None, f"no table #{table_id}"
    return [["".join(cell.itertext()).strip() for cell in row] for row in table.find("tbody")]


@pytest.mark.django_db
def test_only_staff_see_the_metrics(client):
    assert client.get(METRICS_URL).status_code == 302
    client.force_login(UserFactory(is_staff=False))
    response = client.get(METRICS_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_queue_lengths_count_messages_waiting_for_a_worker(admin_client, empty_broker, no_failures_counted):
    for _ in range(3):
        record_worker_heartbeat.delay()
    record_worker_heartbeat.apply_async(priority=9)
    assert metrics.queue_lengths() == {"celery": 4}
    response = admin_client.get(METRICS_URL)
    assert table_rows(response.content.decode(), "queue-lengths") == [["celery", "4"]]


@pytest.mark.django_db
def test_failing_feeds_are_listed_worst_first_with_their_last_error_and_next_poll(admin_client, empty_broker):
    next_poll = timezone.now() + datetime.timedelta(hours=2)
    Feed.objects.create(url="https://news.example.org/ok.xml", title="Healthy feed")
    Feed.objects.create(
        url="https://news.example.org/flaky.xml", title="Flaky", consecutive_failures=2, last_error="HTTP 503"
    )
    Feed.objects.create(
        url="https://news.example.org/broken.xml",
        title="Broken",
        consecutive_failures=7,
        last_error="Refused: resolves to 10.0.0.5 (private)",
        next_poll_at=next_poll,
    )
    Feed.objects.create(url="https://news.example.org/off.xml", title="Off", is_active=False, consecutive_failures=9)
    response = admin_client.get(METRICS_URL)
    html = response.content.decode()
    assert "3 active feeds, 2 failing." in html
    rows = table_rows(html, "failing-feeds")
    assert [row[:3] for row in rows] == [
        ["Broken", "7", "Refused: resolves to 10.0.0.5 (private)"],
        ["Flaky", "2", "HTTP 503"],
    ]
    assert rows[0][3] == "never"


@pytest.mark.slow
def test_task_failures_in_a_real_worker_are_counted_by_task_name(
    admin_client, transactional_db, empty_broker, no_failures_counted
):
    worker = start_worker()
    try:
        for _ in range(2):
            # A built-in task asked for an argument it was not given fails inside the worker.
            app.send_task("celery.accumulate", kwargs={"index": 5})
        assert wait_until(lambda: metrics.task_failure_counts().get("celery.accumulate") == 2, timeout=60)
    finally:
        stop_worker(worker)
    response = admin_client.get(METRICS_URL)
    assert table_rows(response.content.decode(), "task-failures") == [["celery.accumulate", "2"]]


@pytest.mark.django_db
def test_with_no_failure_the_page_says_so(admin_client, no_failures_counted):
    assert "No task has failed." in admin_client.get(METRICS_URL).content.decode()
