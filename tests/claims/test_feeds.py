"""Feed polling: new entries become sources, 304s are cheap, broken feeds back off without stopping others."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from claims.feeds import feed_backoff, feed_poll, feeds_due
from claims.models import Feed, FeedPoll, Source
from tests.support.local_http import send

pytestmark = pytest.mark.django_db

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>World News</title>
<item><title>Ministers offered to resign</title><link>{base}/world/1</link><guid>1</guid>
<pubDate>Thu, 24 Mar 2016 18:00:00 GMT</pubDate></item>
<item><title>Inquiry opened</title><link>{base}/world/2?utm_source=rss</link><guid>2</guid></item>
</channel></rss>"""


@pytest.fixture
def feed_server(loopback_fetching):
    server = loopback_fetching

    def rss(handler) -> None:  # type: ignore[no-untyped-def]
        if handler.headers.get("If-None-Match") == '"v1"':
            send(handler, 304, content_type="")
            return
        body = RSS.format(base=server.url("").rstrip("/")).encode()
        send(handler, 200, body, content_type="application/rss+xml", headers={"ETag": '"v1"'})

    server.routes["/feed.xml"] = rss
    server.routes["/broken.xml"] = lambda handler: send(handler, 500, b"down")
    return server


def test_new_entries_become_pending_sources_and_the_poll_is_logged(feed_server):
    feed = Feed.objects.create(url=feed_server.url("/feed.xml"))
    poll = feed_poll(feed_id=feed.pk)
    assert (poll.outcome, poll.entries_seen, poll.sources_added, poll.http_status) == ("new_entries", 2, 2, 200)
    assert Source.objects.filter(canonical_url__endswith="/world/2").exists()
    feed.refresh_from_db()
    assert feed.etag == '"v1"'
    assert feed.next_poll_at > timezone.now()


def test_unchanged_feed_answers_not_modified(feed_server):
    feed = Feed.objects.create(url=feed_server.url("/feed.xml"))
    feed_poll(feed_id=feed.pk)
    second = feed_poll(feed_id=feed.pk)
    assert second.outcome == FeedPoll.Outcome.NOT_MODIFIED
    assert Source.objects.count() == 2


def test_broken_feed_records_its_error_backs_off_and_others_still_poll(feed_server):
    broken = Feed.objects.create(url=feed_server.url("/broken.xml"))
    healthy = Feed.objects.create(url=feed_server.url("/feed.xml"))
    for feed_id in list(feeds_due()):
        feed_poll(feed_id=feed_id)
    broken.refresh_from_db()
    assert broken.consecutive_failures == 1
    assert "500" in broken.last_error or "http_error" in broken.last_error
    assert broken.next_poll_at >= timezone.now() + datetime.timedelta(minutes=59)
    assert healthy.polls.get().outcome == "new_entries"


def test_backoff_doubles_and_is_capped_at_a_day():
    feed = Feed(poll_interval=datetime.timedelta(minutes=30))
    delays = []
    for failures in (0, 1, 2, 10):
        feed.consecutive_failures = failures
        delays.append(feed_backoff(feed))
    assert delays[:3] == [datetime.timedelta(minutes=30), datetime.timedelta(hours=1), datetime.timedelta(hours=2)]
    assert delays[3] == datetime.timedelta(hours=24)


def test_a_feed_at_a_private_address_is_refused_and_logged(settings):
    feed = Feed.objects.create(url="http://192.168.1.10/feed.xml")
    poll = feed_poll(feed_id=feed.pk)
    assert poll.outcome == FeedPoll.Outcome.REFUSED
    assert "ip_literal_not_allowed" in poll.error or "address_forbidden" in poll.error
