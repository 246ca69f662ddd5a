"""Webhooks for newsrooms: registration, fan-out of events to the webhooks that follow them, signed delivery.

Events are built after the editorial transaction commits (``webhooks_notify`` is called from ``on_commit``), about
published records only. Each (webhook, event) becomes one ``WebhookDelivery`` row, unique by event id, delivered by
``claims.api.tasks.deliver_webhook`` through ``post_json``: the same private-address guard and pinned connections
as article fetching. Receivers check a delivery with ``verify_signature``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from accountability.models import Incident, Person
from accountability.recording import save_validated
from claims.api.models import (
    DeliveryState,
    NewsroomKey,
    Webhook,
    WebhookDelivery,
    WebhookDeliveryAttempt,
    WebhookFollows,
)
from claims.ingestion.errors import FetchError, FetchFailed, FetchRefused
from claims.ingestion.fetch import post_json
from claims.ingestion.policy import FetchPolicy
from claims.ingestion.urls import vet_url
from claims.models import Claim

MAX_ATTEMPTS: Final = 5
MAX_WEBHOOKS_PER_KEY: Final = 50
DEFAULT_DISABLE_AFTER_FAILURES: Final = 10
SIGNATURE_TOLERANCE_SECONDS: Final = 300
USER_AGENT: Final = "AccountabilityTracker-Webhooks/1.0"

CLAIM_STATUS_CHANGED: Final = "claim.status_changed"
RECORD_PUBLISHED: Final = "record.published"
RECORD_UNPUBLISHED: Final = "record.unpublished"

_FOLLOWED_MODELS: Final[dict[str, type[models.Model]]] = {
    WebhookFollows.CLAIM: Claim,
    WebhookFollows.PERSON: Person,
    WebhookFollows.INCIDENT: Incident,
}


# Signing -------------------------------------------------------------------------------------------------------


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">``, the value of ``X-Accountability-Signature``."""
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str,
    timestamp: int | str,
    body: bytes | str,
    signature: str,
    tolerance: int = SIGNATURE_TOLERANCE_SECONDS,
    *,
    now: float | None = None,
) -> bool:
    """For receivers: is ``signature`` (``X-Accountability-Signature``) ours for this exact ``body`` and
    ``timestamp`` (``X-Accountability-Timestamp``), and is the timestamp within ``tolerance`` seconds of now?
    Pass the raw request body, before any JSON parsing. Compares in constant time."""
    try:
        sent_at = int(str(timestamp))
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent_at) > tolerance:
        return False
    raw = body.encode() if isinstance(body, str) else body
    return hmac.compare_digest(sign(secret, sent_at, raw), signature or "")


# Registration --------------------------------------------------------------------------------------------------


def webhook_url_vet(url: str) -> str:
    """An https URL without credentials, on an allowed port, whose host is not a private or reserved address
    literal. http://127.0.0.1 is accepted only when ``INGESTION_ALLOW_LOOPBACK`` is on (tests)."""
    policy = delivery_policy()
    try:
        target = vet_url(
            url,
            allowed_schemes=policy.allowed_schemes,
            allowed_ports=policy.allowed_ports,
            allow_loopback=policy.allow_loopback,
        )
    except FetchRefused as exc:
        raise ValidationError({"url": exc.message}, code=exc.reason_code) from exc
    if target.scheme != "https" and not (policy.allow_loopback and target.host in ("127.0.0.1", "[::1]", "::1")):
        raise ValidationError({"url": "A webhook URL must use https."}, code="scheme_not_allowed")
    return target.url


def webhook_register(
    *, key: NewsroomKey, url: str, follows_kind: str, follows_id: int | None = None
) -> tuple[Webhook, str]:
    """Register a webhook for ``key``; returns it and its secret, which is shown this once."""
    if follows_kind == WebhookFollows.ALL_STATUS_CHANGES:
        if follows_id is not None:
            raise ValidationError({"follows_id": "Following every status change takes no id."})
    else:
        model = _FOLLOWED_MODELS.get(follows_kind)
        if model is None:
            raise ValidationError({"follows_kind": f"Unknown kind {follows_kind!r}."})
        if follows_id is None:
            raise ValidationError({"follows_id": f"Name the {follows_kind} to follow."})
        if not model._default_manager.filter(pk=follows_id, is_published=True).exists():
            raise ValidationError({"follows_id": f"No published {follows_kind} has the id {follows_id}."})
    vetted_url = webhook_url_vet(url)
    secret = secrets.token_hex(32)
    with transaction.atomic():
        NewsroomKey.objects.select_for_update().get(pk=key.pk)
        if Webhook.objects.filter(key=key).count() >= MAX_WEBHOOKS_PER_KEY:
            raise ValidationError({"url": f"A key may register at most {MAX_WEBHOOKS_PER_KEY} webhooks."})
        webhook = save_validated(
            Webhook(key=key, url=vetted_url, secret=secret, follows_kind=follows_kind, follows_id=follows_id)
        )
    return webhook, secret


def webhooks_of_key(*, key: NewsroomKey) -> models.QuerySet[Webhook]:
    return Webhook.objects.filter(key=key).order_by("id")


def webhook_delete(*, key: NewsroomKey, webhook_id: int) -> bool:
    """Delete one of ``key``'s webhooks; False when it has none with this id (another newsroom's included)."""
    deleted, _ = Webhook.objects.filter(key=key, pk=webhook_id).delete()
    return deleted > 0


# Events and fan-out --------------------------------------------------------------------------------------------


def _followers(record: models.Model, *, event_type: str) -> Q | None:
    """Which follows match an event about ``record``; None when nothing can follow it."""
    if isinstance(record, Claim):
        people = {record.claimant_person_id, *record.subject_people.values_list("pk", flat=True)} - {None}
        match = Q(follows_kind=WebhookFollows.CLAIM, follows_id=record.pk)
        if people:
            match |= Q(follows_kind=WebhookFollows.PERSON, follows_id__in=people)
        if record.incident_id is not None:
            match |= Q(follows_kind=WebhookFollows.INCIDENT, follows_id=record.incident_id)
        if event_type == CLAIM_STATUS_CHANGED:
            match |= Q(follows_kind=WebhookFollows.ALL_STATUS_CHANGES)
        return match
    if isinstance(record, Person):
        return Q(follows_kind=WebhookFollows.PERSON, follows_id=record.pk)
    if isinstance(record, Incident):
        return Q(follows_kind=WebhookFollows.INCIDENT, follows_id=record.pk)
    return None


def _is_announceable(record: models.Model, event_type: str) -> bool:
    """Only published records are announced; an unpublication only for a record that was public once."""
    if event_type == RECORD_UNPUBLISHED:
        return getattr(record, "published_at", None) is not None
    return bool(getattr(record, "is_published", False))


def _event_data(record: models.Model, event_type: str, extra: dict[str, Any]) -> dict[str, Any]:
    if event_type == CLAIM_STATUS_CHANGED:
        return {"claim": {"id": record.pk, "slug": record.slug}, **extra}  # type: ignore[attr-defined]
    return {"model": record._meta.model_name, "id": record.pk, "slug": getattr(record, "slug", None)}


def webhooks_notify(*, event_type: str, record: models.Model, **extra: Any) -> list[int]:
    """Create one delivery per active webhook following ``record`` and enqueue them after commit. Call it after
    the change committed (``on_commit``). Returns the delivery ids."""
    fresh = type(record)._default_manager.filter(pk=record.pk).first()
    if fresh is None or not _is_announceable(fresh, event_type):
        return []
    match = _followers(fresh, event_type=event_type)
    if match is None:
        return []
    now = timezone.now()
    webhooks = Webhook.objects.filter(match, is_active=True, key__revoked=False).filter(
        Q(key__expiry_date__isnull=True) | Q(key__expiry_date__gt=now)
    )
    event_id = uuid.uuid4()
    payload = {
        "id": str(event_id),
        "type": event_type,
        "created_at": now.isoformat(),
        "data": _event_data(fresh, event_type, _jsonable(extra)),
    }
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(webhook=webhook, event_id=event_id, event_type=event_type, payload=payload)
                for webhook in webhooks.distinct()
            ],
            ignore_conflicts=True,
        )
        delivery_ids = list(
            WebhookDelivery.objects.filter(event_id=event_id, state=DeliveryState.PENDING).values_list("pk", flat=True)
        )
        if deliveries:
            transaction.on_commit(lambda: _enqueue(delivery_ids))
    return delivery_ids


def _enqueue(delivery_ids: list[int]) -> None:
    from claims.api.tasks import deliver_webhook

    for delivery_id in delivery_ids:
        deliver_webhook.delay(delivery_id)


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value.isoformat() if isinstance(value, datetime) else value for name, value in values.items()}


# Delivery ------------------------------------------------------------------------------------------------------


def delivery_policy() -> FetchPolicy:
    """The ingestion policy (addresses, ports, timeouts, caps), https only unless loopback is allowed (tests)."""
    base = FetchPolicy.from_settings()
    schemes = frozenset({"http", "https"}) if base.allow_loopback else frozenset({"https"})
    return FetchPolicy(
        allowed_schemes=schemes,
        allowed_ports=base.allowed_ports,
        allow_loopback=base.allow_loopback,
        max_redirects=0,
        max_body_bytes=min(base.max_body_bytes, 64 * 1024),
        total_timeout=min(base.total_timeout, 15.0),
        connect_timeout=base.connect_timeout,
        read_timeout=base.read_timeout,
        user_agent=USER_AGENT,
    )


def retry_countdown(attempt: int) -> int:
    """Seconds before the next try after failed attempt number ``attempt``: by default 30 s, 2 min, 8 min, 32 min
    (``WEBHOOK_RETRY_BASE_SECONDS`` times 4 to the power of the attempts before)."""
    return int(settings.WEBHOOK_RETRY_BASE_SECONDS * 4 ** (attempt - 1))


@dataclass(frozen=True)
class DeliveryOutcome:
    state: str
    attempt: int
    should_retry: bool = False


def webhook_deliver(*, delivery_id: int) -> DeliveryOutcome:
    """Try one delivery once. A delivered or finally failed delivery is left alone (safe to run twice); a
    delivery another worker is sending is skipped. Network errors, 429 and 5xx ask for a retry until
    ``MAX_ATTEMPTS``; refusals (a private address) and other 4xx fail at once."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("webhook")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return DeliveryOutcome(state="skipped", attempt=0)
        if delivery.state != DeliveryState.PENDING:
            return DeliveryOutcome(state=delivery.state, attempt=delivery.attempts)
        webhook = delivery.webhook
        if not webhook.is_active:
            delivery.state = DeliveryState.CANCELLED
            delivery.save(update_fields=["state"])
            return DeliveryOutcome(state=delivery.state, attempt=delivery.attempts)

        attempt = delivery.attempts + 1
        body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
        timestamp = int(time.time())
        headers = {
            "X-Accountability-Timestamp": str(timestamp),
            "X-Accountability-Signature": sign(webhook.secret, timestamp, body),
            "X-Accountability-Event": delivery.event_type,
            "X-Accountability-Delivery": str(delivery.uuid),
        }
        started = time.monotonic()
        status_code: int | None = None
        failure: FetchError | None = None
        try:
            status_code = post_json(webhook.url, body, headers, policy=delivery_policy()).status
        except FetchError as exc:
            failure = exc
            status_code = getattr(exc, "status", None)
        duration_ms = int((time.monotonic() - started) * 1000)
        WebhookDeliveryAttempt.objects.create(
            delivery=delivery,
            number=attempt,
            status_code=status_code,
            reason_code=failure.reason_code if failure else "",
            error=failure.message if failure else "",
            duration_ms=duration_ms,
            attempted_at=timezone.now(),
        )
        delivery.attempts = attempt
        delivery.last_status_code = status_code
        delivery.last_error = str(failure) if failure else ""
        if failure is None:
            delivery.state = DeliveryState.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.save()
            Webhook.objects.filter(pk=webhook.pk).update(consecutive_failures=0)
            return DeliveryOutcome(state=delivery.state, attempt=attempt)
        is_transient = isinstance(failure, FetchFailed) and failure.is_transient
        if is_transient and attempt < MAX_ATTEMPTS:
            delivery.save()
            return DeliveryOutcome(state=delivery.state, attempt=attempt, should_retry=True)
        delivery.state = DeliveryState.FAILED
        delivery.save()
        _count_failure(webhook.pk)
        return DeliveryOutcome(state=delivery.state, attempt=attempt)


def _count_failure(webhook_id: int) -> None:
    """One more delivery failed for good; past the limit the webhook is switched off."""
    limit = int(getattr(settings, "WEBHOOK_DISABLE_AFTER_FAILURES", DEFAULT_DISABLE_AFTER_FAILURES))
    webhook = Webhook.objects.select_for_update().get(pk=webhook_id)
    webhook.consecutive_failures += 1
    fields = ["consecutive_failures"]
    if webhook.is_active and webhook.consecutive_failures >= limit:
        webhook.is_active = False
        webhook.disabled_at = timezone.now()
        fields += ["is_active", "disabled_at"]
    webhook.save(update_fields=fields)
