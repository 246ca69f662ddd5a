"""Webhooks: registration through the API, signed deliveries to a real receiver on 127.0.0.1, retries, auto-disable,
idempotence, and the private-address guard on delivery."""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import pytest

from accountability.recording import publication_set
from claims.api.models import DeliveryState, NewsroomKey, Webhook, WebhookDelivery, WebhookFollows
from claims.api.tasks import deliver_webhook
from claims.api.webhooks import CLAIM_STATUS_CHANGED, verify_signature, webhook_register, webhooks_notify
from claims.models import ClaimStatus
from claims.services import claim_status_change
from tests.api.conftest import client_with_key
from tests.factories import ClaimFactory, PersonFactory, SourceFactory


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Delivery ids handed to the broker; tests then run the task synchronously."""
    ids: list[int] = []
    monkeypatch.setattr(deliver_webhook, "delay", ids.append)
    return ids


@pytest.fixture
def newsroom(db) -> NewsroomKey:  # type: ignore[no-untyped-def]
    key, _ = NewsroomKey.objects.create_key(name="Le Soir data desk")
    return key


@pytest.fixture
def claim(db):  # type: ignore[no-untyped-def]
    return ClaimFactory(is_published=True, published_at="2024-01-01T00:00:00Z")


def _change_status(claim, editor, captured) -> None:  # type: ignore[no-untyped-def]
    with captured(execute=True):
        claim_status_change(
            claim=claim, to_status=ClaimStatus.DISPUTED, reason="New evidence", evidence=[SourceFactory()], actor=editor
        )


def _deliver(delivery_id: int) -> WebhookDelivery:
    deliver_webhook.apply(args=[delivery_id])
    return WebhookDelivery.objects.get(pk=delivery_id)


def _pending_delivery(webhook: Webhook, claim) -> WebhookDelivery:  # type: ignore[no-untyped-def]
    (delivery_id,) = webhooks_notify(
        event_type=CLAIM_STATUS_CHANGED,
        record=claim,
        from_status="unverified",
        to_status="disputed",
        reason="r",
        changed_at="2024-01-01T00:00:00Z",
    )
    return WebhookDelivery.objects.get(pk=delivery_id)


# Registration -------------------------------------------------------------------------------------------------


def test_registration_accepts_https_and_shows_the_secret_once(reader, claim):  # type: ignore[no-untyped-def]
    response = reader.post(
        "/api/v1/webhooks/",
        {"url": "https://hooks.example.org/in", "follows_kind": "claim", "follows_id": claim.pk},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert len(response.json()["secret"]) == 64
    listed = reader.get("/api/v1/webhooks/").json()
    assert [hook["url"] for hook in listed] == ["https://hooks.example.org/in"]
    assert "secret" not in listed[0]


@pytest.mark.parametrize(
    "url", ["http://hooks.example.org/in", "ftp://hooks.example.org/", "https://10.0.0.1/in", "https://u:p@x.org/"]
)
def test_registration_refuses_anything_but_public_https(reader, db, url):  # type: ignore[no-untyped-def]
    response = reader.post("/api/v1/webhooks/", {"url": url, "follows_kind": "all_status_changes"}, format="json")

    assert response.status_code == 400
    assert not Webhook.objects.exists()


def test_registration_refuses_following_an_unpublished_claim(reader, db):  # type: ignore[no-untyped-def]
    hidden = ClaimFactory(is_published=False)

    response = reader.post(
        "/api/v1/webhooks/",
        {"url": "https://hooks.example.org/in", "follows_kind": "claim", "follows_id": hidden.pk},
        format="json",
    )

    assert response.status_code == 400


def test_registration_needs_a_key(api, db):  # type: ignore[no-untyped-def]
    response = api.post(
        "/api/v1/webhooks/", {"url": "https://hooks.example.org/", "follows_kind": "all_status_changes"}, format="json"
    )

    assert response.status_code == 401


def test_newsroom_lists_and_deletes_only_its_own_webhooks(reader, newsroom):  # type: ignore[no-untyped-def]
    theirs, _ = webhook_register(key=newsroom, url="https://other.example.org/", follows_kind="all_status_changes")
    mine = reader.post(
        "/api/v1/webhooks/", {"url": "https://mine.example.org/", "follows_kind": "all_status_changes"}, format="json"
    ).json()

    assert [hook["id"] for hook in reader.get("/api/v1/webhooks/").json()] == [mine["id"]]
    assert reader.delete(f"/api/v1/webhooks/{theirs.pk}/").status_code == 404
    assert Webhook.objects.filter(pk=theirs.pk).exists()
    assert reader.delete(f"/api/v1/webhooks/{mine['id']}/").status_code == 204
    assert not Webhook.objects.filter(pk=mine["id"]).exists()


def test_plain_http_to_loopback_is_accepted_when_loopback_is_allowed(receiver, db):  # type: ignore[no-untyped-def]
    client = client_with_key(NewsroomKey.objects.create_key(name="Desk")[1])

    response = client.post(
        "/api/v1/webhooks/", {"url": receiver.url(), "follows_kind": "all_status_changes"}, format="json"
    )

    assert response.status_code == 201


# Delivery -----------------------------------------------------------------------------------------------------


def test_status_change_of_followed_claim_is_delivered_signed(  # type: ignore[no-untyped-def]
    receiver, enqueued, newsroom, claim, editor, django_capture_on_commit_callbacks
):
    webhook, secret = webhook_register(key=newsroom, url=receiver.url(), follows_kind="claim", follows_id=claim.pk)

    _change_status(claim, editor, django_capture_on_commit_callbacks)
    (delivery_id,) = enqueued
    delivery = _deliver(delivery_id)

    assert delivery.state == DeliveryState.DELIVERED
    (received,) = receiver.received
    headers = received.headers
    assert headers["X-Accountability-Event"] == "claim.status_changed"
    assert headers["X-Accountability-Delivery"] == str(delivery.uuid)
    assert verify_signature(
        secret, headers["X-Accountability-Timestamp"], received.body, headers["X-Accountability-Signature"]
    )
    data = json.loads(received.body)["data"]
    assert data["claim"] == {"id": claim.pk, "slug": claim.slug}
    assert (data["from_status"], data["to_status"], data["reason"]) == ("unverified", "disputed", "New evidence")
    assert data["changed_at"]
    assert webhook.deliveries.get().attempt_log.get().status_code == 200


def test_signature_fails_when_body_tampered_or_expired_or_wrong_secret(  # type: ignore[no-untyped-def]
    receiver, enqueued, newsroom, claim, editor, django_capture_on_commit_callbacks
):
    _, secret = webhook_register(key=newsroom, url=receiver.url(), follows_kind="all_status_changes")
    _change_status(claim, editor, django_capture_on_commit_callbacks)
    _deliver(enqueued[0])
    (received,) = receiver.received
    timestamp = received.headers["X-Accountability-Timestamp"]
    signature = received.headers["X-Accountability-Signature"]

    assert verify_signature(secret, timestamp, received.body, signature)
    assert not verify_signature(secret, timestamp, received.body.replace(b"disputed", b"confirmed"), signature)
    assert not verify_signature(secret, str(int(timestamp) + 1), received.body, signature)
    assert not verify_signature("0" * 64, timestamp, received.body, signature)
    assert not verify_signature(secret, timestamp, received.body, signature, now=time.time() + 301)


def test_status_change_of_unfollowed_or_unpublished_claim_is_not_delivered(  # type: ignore[no-untyped-def]
    receiver, enqueued, newsroom, claim, editor, django_capture_on_commit_callbacks
):
    webhook_register(key=newsroom, url=receiver.url(), follows_kind="claim", follows_id=claim.pk)
    webhook_register(key=newsroom, url=receiver.url(), follows_kind="all_status_changes")
    other = ClaimFactory(is_published=True, published_at="2024-01-01T00:00:00Z")
    hidden = ClaimFactory(is_published=False)

    _change_status(other, editor, django_capture_on_commit_callbacks)
    _change_status(hidden, editor, django_capture_on_commit_callbacks)

    deliveries = WebhookDelivery.objects.all()
    assert [delivery.webhook.follows_kind for delivery in deliveries] == [WebhookFollows.ALL_STATUS_CHANGES]
    assert deliveries.get().payload["data"]["claim"]["id"] == other.pk


def test_person_follow_matches_claims_about_them_and_their_publication(  # type: ignore[no-untyped-def]
    receiver, enqueued, newsroom, claim, editor, django_capture_on_commit_callbacks
):
    person = PersonFactory(is_published=True, published_at="2024-01-01T00:00:00Z")
    claim.subject_people.add(person)
    webhook, _ = webhook_register(key=newsroom, url=receiver.url(), follows_kind="person", follows_id=person.pk)

    _change_status(claim, editor, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        publication_set(record=person, is_published=False, actor=editor)

    assert sorted(webhook.deliveries.values_list("event_type", flat=True)) == [
        "claim.status_changed",
        "record.unpublished",
    ]
    unpublished = webhook.deliveries.get(event_type="record.unpublished")
    assert unpublished.payload["data"] == {"model": "person", "id": person.pk, "slug": person.slug}


def test_server_error_is_retried_until_success(receiver, enqueued, newsroom, claim):  # type: ignore[no-untyped-def]
    webhook, _ = webhook_register(key=newsroom, url=receiver.url(), follows_kind="all_status_changes")
    receiver.statuses = [500, 503]

    delivery = _deliver(_pending_delivery(webhook, claim).pk)

    assert delivery.state == DeliveryState.DELIVERED
    assert list(delivery.attempt_log.values_list("number", "status_code")) == [(1, 500), (2, 503), (3, 200)]
    assert len(receiver.received) == 3
    assert len({received.headers["X-Accountability-Delivery"] for received in receiver.received}) == 1


def test_server_errors_stop_after_five_attempts(receiver, enqueued, newsroom, claim):  # type: ignore[no-untyped-def]
    webhook, _ = webhook_register(key=newsroom, url=receiver.url(), follows_kind="all_status_changes")
    receiver.statuses = [500] * 10

    delivery = _deliver(_pending_delivery(webhook, claim).pk)

    assert delivery.state == DeliveryState.FAILED
    assert delivery.attempts == 5
    assert len(receiver.received) == 5
    webhook.refresh_from_db()
    assert webhook.consecutive_failures == 1


def test_client_error_is_not_retried(receiver, enqueued, newsroom, claim):  # type: ignore[no-untyped-def]
    webhook, _ = webhook_register(key=newsroom, url=receiver.url(), follows_kind="all_status_changes")
    receiver.statuses = [400]

    delivery = _deliver(_pending_delivery(webhook, claim).pk)

    assert delivery.state == DeliveryState.FAILED
    assert (delivery.attempts, delivery.last_status_code) == (1, 400)
    assert len(receiver.received) == 1


def test_webhook_is_disabled_after_consecutive_failed_deliveries(  # type: ignore[no-untyped-def]
    receiver, enqueued, newsroom, claim, settings
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    webhook, _ = webhook_register(key=newsroom, url=receiver.url(), follows_kind="all_status_changes")
    receiver.statuses = [410, 410, 410]

    for _ in range(3):
        _deliver(_pending_delivery(webhook, claim).pk)

    webhook.refresh_from_db()
    assert (webhook.is_active, webhook.consecutive_failures) == (False, 3)
    assert webhook.disabled_at is not None
    assert webhooks_notify(event_type=CLAIM_STATUS_CHANGED, record=claim) == []


def test_success_resets_the_failure_count(receiver, enqueued, newsroom, claim):  # type: ignore[no-untyped-def]
    webhook, _ = webhook_register(key=newsroom, url=receiver.url(), follows_kind="all_status_changes")
    receiver.statuses = [400]

    _deliver(_pending_delivery(webhook, claim).pk)
    _deliver(_pending_delivery(webhook, claim).pk)

    webhook.refresh_from_db()
    assert (webhook.is_active, webhook.consecutive_failures) == (True, 0)


def test_running_a_delivery_again_sends_nothing_twice(receiver, enqueued, newsroom, claim):  # type: ignore[no-untyped-def]
    webhook, _ = webhook_register(key=newsroom, url=receiver.url(), follows_kind="all_status_changes")
    delivery = _pending_delivery(webhook, claim)

    _deliver(delivery.pk)
    again = _deliver(delivery.pk)

    assert again.state == DeliveryState.DELIVERED
    assert again.attempts == 1
    assert len(receiver.received) == 1


def test_one_event_makes_one_delivery_per_webhook(receiver, enqueued, newsroom, claim):  # type: ignore[no-untyped-def]
    webhook, _ = webhook_register(key=newsroom, url=receiver.url(), follows_kind="all_status_changes")
    delivery = _pending_delivery(webhook, claim)

    duplicate = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(webhook=webhook, event_id=delivery.event_id, event_type="x", payload={})],
        ignore_conflicts=True,
    )

    assert duplicate[0].pk is None
    assert WebhookDelivery.objects.filter(webhook=webhook).count() == 1


# The private-address guard -----------------------------------------------------------------------------------


def _fake_getaddrinfo(answers: dict[str, str]):  # type: ignore[no-untyped-def]
    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (answers[host], int(port)))]

    return getaddrinfo


def test_webhook_to_a_host_resolving_to_a_private_address_never_connects(  # type: ignore[no-untyped-def]
    enqueued, newsroom, claim, monkeypatch
):
    webhook, _ = webhook_register(key=newsroom, url="https://hooks.example.org/in", follows_kind="all_status_changes")
    delivery = _pending_delivery(webhook, claim)
    monkeypatch.setattr(socket, "getaddrinfo", _fake_getaddrinfo({"hooks.example.org": "10.0.0.1"}))
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise ConnectionRefusedError(f"test guard: refused connection {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)

    delivery = _deliver(delivery.pk)

    assert attempts == []
    assert delivery.state == DeliveryState.FAILED
    (attempt,) = delivery.attempt_log.all()
    assert attempt.reason_code == "address_forbidden"
    assert attempt.status_code is None
