"""Newsroom API keys: the library's key (hashed, prefixed, revocable, expiring) plus what the newsroom may do;
the webhooks a newsroom registered and the log of their deliveries."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from rest_framework_api_key.models import AbstractAPIKey


class NewsroomKey(AbstractAPIKey):
    """An API key given to one newsroom. Every key reads at the newsroom rate; ``can_submit`` also lets it send
    sources in (``POST /api/v1/sources/``)."""

    can_submit = models.BooleanField(default=False, help_text="May submit sources through the API.")
    contact_email = models.EmailField(blank=True, help_text="Who to write to about this key.")

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "newsroom API key"
        verbose_name_plural = "newsroom API keys"


class WebhookFollows(models.TextChoices):
    ALL_STATUS_CHANGES = "all_status_changes", "Every claim status change"
    CLAIM = "claim", "One claim"
    PERSON = "person", "A person (their record, and claims by or about them)"
    INCIDENT = "incident", "An incident (its record, and its claims)"


class Webhook(models.Model):
    """An HTTPS endpoint a newsroom registered to be told about changes to what it follows.

    ``secret`` signs every delivery (HMAC-SHA256). It has to be kept readable to sign with, so it is shown to the
    newsroom once, at registration, and never again (not in the API, not in the admin)."""

    key = models.ForeignKey(NewsroomKey, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=2000)
    secret = models.CharField(max_length=64, editable=False)
    follows_kind = models.CharField(max_length=20, choices=WebhookFollows.choices)
    follows_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The followed claim, person or incident; empty for every status change."
    )
    is_active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(follows_kind=WebhookFollows.ALL_STATUS_CHANGES, follows_id__isnull=True)
                | (~Q(follows_kind=WebhookFollows.ALL_STATUS_CHANGES) & Q(follows_id__isnull=False)),
                name="webhook_follows_id_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(disabled_at__isnull=True) | Q(is_active=False), name="webhook_disabled_is_inactive"
            ),
            models.CheckConstraint(condition=~Q(secret=""), name="webhook_has_secret"),
        ]
        indexes = [models.Index(fields=["follows_kind", "follows_id"], name="webhook_follows_idx")]

    def __str__(self) -> str:
        return f"{self.url} ({self.get_follows_kind_display()})"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled (webhook inactive)"


class WebhookDelivery(models.Model):
    """One event for one webhook. ``(webhook, event_id)`` is unique, so an event is delivered once per webhook
    however often the notification or the task runs; ``uuid`` is sent as ``X-Accountability-Delivery``."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(max_length=40)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event_id"], name="webhook_delivery_once_per_event"),
            models.CheckConstraint(
                condition=Q(state=DeliveryState.DELIVERED, delivered_at__isnull=False)
                | (~Q(state=DeliveryState.DELIVERED) & Q(delivered_at__isnull=True)),
                name="webhook_delivery_delivered_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} to webhook {self.webhook_id}: {self.state}"


class WebhookDeliveryAttempt(models.Model):
    """The log of one try at a delivery: what came back (or why nothing did) and how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    reason_code = models.CharField(max_length=40, blank=True, help_text="Why it failed, as a stable code.")
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField()
    attempted_at = models.DateTimeField()

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="webhook_attempt_number_positive"),
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of delivery {self.delivery_id}"
