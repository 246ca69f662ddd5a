"""Webhooks end to end: a status change committed here is delivered by a real Celery worker process through the
real broker to a receiver on 127.0.0.1, retried after a server error, and signed."""

from __future__ import annotations

import json

import pytest

from claims.api.models import DeliveryState, NewsroomKey, WebhookDelivery
from claims.api.webhooks import verify_signature, webhook_register
from claims.models import ClaimStatus
from claims.services import claim_status_change
from tests.factories import ClaimFactory, SourceFactory, UserFactory
from tests.support.workers import start_worker, stop_worker, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def webhook_worker(receiver):  # type: ignore[no-untyped-def]
    port = receiver.httpd.server_address[1]
    process = start_worker(
        extra_environment={
            "INGESTION_ALLOW_LOOPBACK": "1",
            "INGESTION_ALLOWED_PORTS": f"{port},443",
            "WEBHOOK_RETRY_BASE_SECONDS": "1",
        }
    )
    yield process
    stop_worker(process)


def test_a_committed_status_change_reaches_the_newsroom_after_a_retry(receiver, webhook_worker):
    key, _ = NewsroomKey.objects.create_key(name="Le Soir data desk")
    claim = ClaimFactory(is_published=True, published_at="2024-01-01T00:00:00Z")
    _, secret = webhook_register(key=key, url=receiver.url(), follows_kind="claim", follows_id=claim.pk)
    receiver.statuses = [503]

    claim_status_change(
        claim=claim,
        to_status=ClaimStatus.DISPUTED,
        reason="Turkish officials said they warned Belgium.",
        evidence=[SourceFactory()],
        actor=UserFactory(),
    )

    assert wait_until(lambda: len(receiver.received) >= 2, timeout=60), "the worker delivered and retried"
    delivery = WebhookDelivery.objects.get()
    assert wait_until(lambda: WebhookDelivery.objects.get().state == DeliveryState.DELIVERED, timeout=10)
    first, second = receiver.received[:2]
    assert first.headers["X-Accountability-Delivery"] == second.headers["X-Accountability-Delivery"]
    assert verify_signature(
        secret, second.headers["X-Accountability-Timestamp"], second.body, second.headers["X-Accountability-Signature"]
    )
    assert json.loads(second.body)["data"]["to_status"] == "disputed"
    statuses = list(delivery.attempt_log.order_by("id").values_list("status_code", flat=True))
    assert statuses == [503, 200]
    assert len(receiver.received) == 2
