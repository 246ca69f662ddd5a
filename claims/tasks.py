"""Thin Celery tasks: take ids, call one service, return a small summary. Safe to run twice."""

from __future__ import annotations

from celery import shared_task

from config.celery_app import database_task_retry

# A fetch retries any error (a remote server or the database down for a moment) with a slower back-off than the
# database-only tasks: remote sites come back in minutes, not seconds.
FETCH_RETRY = {**database_task_retry(), "retry_backoff": 5, "retry_backoff_max": 600}
DATABASE_RETRY = database_task_retry()


@shared_task(name="claims.tasks.fetch_source", bind=True, **FETCH_RETRY)
def fetch_source(self, source_id: int) -> str:  # type: ignore[no-untyped-def]
    from claims.intake import source_fetch
    from claims.models import FetchState

    source = source_fetch(source_id=source_id)
    if source.fetch_state == FetchState.FETCHED:
        link_source.delay(source_id)
    return source.fetch_state


@shared_task(name="claims.tasks.link_source", acks_late=True, **DATABASE_RETRY)
def link_source(source_id: int) -> dict:
    from claims.linking.batches import source_link_by_id

    result = source_link_by_id(source_id=source_id)
    return {
        "sentences": result.sentences,
        "links_suggested": result.links_suggested,
        "links_auto_confirmed": result.links_auto_confirmed,
        "events_proposed": result.events_proposed,
    }


@shared_task(name="claims.tasks.scan_sources_for_claim", **DATABASE_RETRY)
def scan_sources_for_claim(claim_id: int) -> int:
    from claims.linking.rescan import claim_scan_recent_sources

    return claim_scan_recent_sources(claim_id=claim_id)


@shared_task(name="claims.tasks.poll_due_feeds", **DATABASE_RETRY)
def poll_due_feeds() -> int:
    from claims.feeds import feeds_due

    due = list(feeds_due())
    for feed_id in due:
        poll_feed.delay(feed_id)
    return len(due)


@shared_task(name="claims.tasks.poll_feed", **DATABASE_RETRY)
def poll_feed(feed_id: int) -> str:
    from claims.feeds import feed_poll

    return feed_poll(feed_id=feed_id).outcome
