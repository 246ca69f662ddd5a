"""A task that keeps failing is retried a bounded number of times, then parked for a person, who can send it back
to the queue (or dismiss it) from the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims import tasks
from claims.models import ParkedTask, ParkedTaskResolution, Source
from config.celery_app import app as celery_app
from tests.factories import SourceFactory
from tests.support.workers import start_worker, stop_worker, wait_until

MISSING_SOURCE_ID = 10**9


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_poison_task_is_parked_after_bounded_retries_and_requeued_from_the_admin(admin_client, admin_user):
    celery_app.control.purge()  # tasks left in this suite's queue by earlier tests name rows that are gone now
    worker = start_worker(extra_environment={"TASK_MAX_RETRIES": "2"})
    try:
        tasks.link_source.delay(MISSING_SOURCE_ID)
        assert wait_until(lambda: ParkedTask.objects.exists(), timeout=90)
        parked = ParkedTask.objects.get()
        assert (parked.task_name, parked.args) == ("claims.tasks.link_source", [MISSING_SOURCE_ID])
        assert parked.attempts == 3, "the first run and two retries"
        assert parked.exception.startswith("DoesNotExist")
        assert "source_link_by_id" in parked.traceback
        assert parked.resolved_at is None

        changelist = reverse("admin:claims_parkedtask_changelist")
        assert "claims.tasks.link_source" in admin_client.get(changelist).content.decode()
        SourceFactory(id=MISSING_SOURCE_ID)  # what the task needed is there now
        response = admin_client.post(changelist, {"action": "requeue", "_selected_action": [parked.pk]})
        assert response.status_code == 302

        parked.refresh_from_db()
        assert parked.resolution == ParkedTaskResolution.REQUEUED
        assert parked.resolved_by == admin_user
        assert wait_until(lambda: Source.objects.get(pk=MISSING_SOURCE_ID).linked_at is not None, timeout=60)
        assert ParkedTask.objects.count() == 1, "the re-queued task succeeded and was not parked again"
    finally:
        stop_worker(worker)


@pytest.mark.django_db
def test_dismissed_parked_task_is_resolved_without_running(admin_client, admin_user):
    parked = ParkedTask.objects.create(
        task_name="claims.tasks.link_source", task_id="dismiss-me", args=[1], exception="DoesNotExist", attempts=6
    )
    changelist = reverse("admin:claims_parkedtask_changelist")

    response = admin_client.post(changelist, {"action": "dismiss", "_selected_action": [parked.pk]})

    assert response.status_code == 302
    parked.refresh_from_db()
    assert (parked.resolution, parked.resolved_by) == (ParkedTaskResolution.DISMISSED, admin_user)
    assert parked.resolved_at is not None
    assert admin_client.get(f"{changelist}?state=open").context["cl"].result_count == 0
