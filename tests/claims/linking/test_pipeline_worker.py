"""The Celery pipeline with real worker processes and the real broker: submit, fetch, link; survive a crash."""

from __future__ import annotations

import pytest
from celery.result import AsyncResult
from django.db import transaction

from accountability.models import AccountabilityEvent, ReviewState
from claims import tasks
from claims.intake import source_submit
from claims.models import ClaimLink, FetchState, Source
from claims.services import source_record
from tests.claims.linking.conftest import ARTICLE_TEXT
from tests.support.workers import start_worker, stop_worker, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_environment(article_server):
    return {"INGESTION_ALLOW_LOOPBACK": "true", "INGESTION_ALLOWED_PORTS": str(article_server.port)}


def test_submitted_url_is_fetched_and_linked_by_the_worker(known_world, article_server, worker_environment, editor):
    worker = start_worker(extra_environment=worker_environment)
    try:
        with transaction.atomic():
            submission = source_submit(url=article_server.url("/world/belgium-ministers"), actor=editor)
        source_id = submission.source.pk
        assert wait_until(lambda: Source.objects.get(pk=source_id).linked_at is not None, timeout=120)
    finally:
        stop_worker(worker)
    source = Source.objects.get(pk=source_id)
    assert source.fetch_state == FetchState.FETCHED
    assert ClaimLink.objects.filter(source=source).count() == 4
    assert AccountabilityEvent.objects.filter(sources=source, review_state=ReviewState.PROPOSED).count() == 5


def test_a_worker_killed_mid_task_loses_nothing_and_duplicates_nothing(known_world, worker_environment):
    long_text = "\n".join([ARTICLE_TEXT] + [f"Update {number}: {ARTICLE_TEXT}" for number in range(12)])
    source, _ = source_record(actor=None, text=long_text, language="en")
    short_visibility = {**worker_environment, "CELERY_VISIBILITY_TIMEOUT": "4", "CELERY_TASK_TIME_LIMIT": "120"}
    crashed = start_worker(extra_environment=short_visibility)
    try:
        result = tasks.link_source.delay(source.pk)
        assert wait_until(lambda: AsyncResult(result.id).state == "STARTED", timeout=60, interval=0.02)
    finally:
        stop_worker(crashed, crash=True)
    assert Source.objects.get(pk=source.pk).linked_at is None  # killed before it finished
    survivor = start_worker(extra_environment=short_visibility)
    try:
        assert wait_until(lambda: Source.objects.get(pk=source.pk).linked_at is not None, timeout=120)
    finally:
        stop_worker(survivor)
    links = ClaimLink.objects.filter(source=source)
    assert links.count() == 4
    assert links.values("claim").distinct().count() == 4
    proposed = AccountabilityEvent.objects.filter(sources=source, review_state=ReviewState.PROPOSED)
    assert proposed.count() == 5
