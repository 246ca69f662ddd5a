"""Polling RSS and Atom feeds: conditional requests, back-off after failures, one log row per poll."""

from __future__ import annotations

import datetime

from django.db.models import F, QuerySet
from django.utils import timezone

from claims.ingestion.errors import FetchFailed, FetchRefused
from claims.ingestion.extract import extract_feed
from claims.ingestion.fetch import fetch_url
from claims.intake import source_submit
from claims.models import Feed, FeedPoll

MAX_BACKOFF = datetime.timedelta(hours=24)


def feeds_due(*, now: datetime.datetime | None = None) -> QuerySet[Feed, int]:
    return Feed.objects.filter(is_active=True, next_poll_at__lte=now or timezone.now()).values_list("id", flat=True)


def feed_backoff(feed: Feed) -> datetime.timedelta:
    """Doubling after each consecutive failure, capped at a day."""
    return min(feed.poll_interval * (2 ** min(feed.consecutive_failures, 16)), MAX_BACKOFF)


def feed_poll(*, feed_id: int) -> FeedPoll:
    """Poll one feed and submit its new entries. A broken feed records its error and backs off; it never
    raises, so one bad feed cannot stop the others."""
    feed = Feed.objects.get(pk=feed_id)
    started = timezone.now()
    poll = FeedPoll(feed=feed, started_at=started)
    try:
        document = fetch_url(feed.url, etag=feed.etag or None, last_modified=feed.last_modified or None)
    except (FetchRefused, FetchFailed) as problem:
        poll.outcome = FeedPoll.Outcome.REFUSED if isinstance(problem, FetchRefused) else FeedPoll.Outcome.FAILED
        poll.http_status = getattr(problem, "status", None)
        poll.error = str(problem)
        return _finish(feed, poll, failed=True)
    poll.http_status = document.status
    if document.is_not_modified:
        poll.outcome = FeedPoll.Outcome.NOT_MODIFIED
        return _finish(feed, poll, failed=False)
    try:
        entries = extract_feed(document.text)
    except Exception as problem:
        poll.outcome, poll.error = FeedPoll.Outcome.FAILED, f"unreadable feed: {problem}"
        return _finish(feed, poll, failed=True)
    poll.entries_seen = len(entries)
    for entry in entries:
        if not entry.link:
            continue
        try:
            submission = source_submit(
                actor=None,
                url=entry.link,
                title=entry.title or "",
                published_at=entry.published,
                language=feed.language,
            )
        except Exception as problem:
            poll.error += f"{entry.link}: {problem}\n"
            continue
        poll.sources_added += submission.is_new
    poll.outcome = FeedPoll.Outcome.NEW_ENTRIES if poll.sources_added else FeedPoll.Outcome.NO_NEW_ENTRIES
    feed.etag, feed.last_modified = document.etag or "", document.last_modified or ""
    return _finish(feed, poll, failed=False)


def _finish(feed: Feed, poll: FeedPoll, *, failed: bool) -> FeedPoll:
    now = timezone.now()
    poll.finished_at = now
    poll.save()
    feed.last_polled_at = now
    if failed:
        feed.consecutive_failures = F("consecutive_failures") + 1
        feed.save(update_fields=["last_polled_at", "consecutive_failures"])
        feed.refresh_from_db()
        feed.last_error = poll.error
        feed.next_poll_at = now + feed_backoff(feed)
    else:
        feed.consecutive_failures = 0
        feed.last_error = ""
        feed.next_poll_at = now + feed.poll_interval
    feed.save()
    return poll
