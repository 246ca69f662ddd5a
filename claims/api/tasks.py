"""Webhook delivery: one task per (webhook, event), retried with exponential backoff on transient failures."""

from __future__ import annotations

from celery import shared_task

from claims.api.webhooks import MAX_ATTEMPTS


@shared_task(name="claims.api.tasks.deliver_webhook", bind=True, max_retries=MAX_ATTEMPTS - 1)
def deliver_webhook(self, delivery_id: int) -> str:  # type: ignore[no-untyped-def]
    from claims.api.webhooks import retry_countdown, webhook_deliver

    outcome = webhook_deliver(delivery_id=delivery_id)
    if outcome.should_retry:
        raise self.retry(countdown=retry_countdown(outcome.attempt))
    return outcome.state
