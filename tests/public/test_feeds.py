"""Atom feeds, read with feedparser as a feed reader would."""

from __future__ import annotations

import feedparser
import pytest

from claims.models import Claim

pytestmark = pytest.mark.django_db


def _feed(client, url: str):  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def test_new_claims_feed_lists_published_claims(client, demo_story):
    Claim.objects.filter(slug="turkey-twice-deported-ibrahim-al-bakrawi").update(is_published=False, published_at=None)
    feed = _feed(client, "/feeds/claims/")
    assert feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert len(titles) == 3
    assert "The three bombers who carried out the Brussels attacks were known to police." in titles
    assert "Turkey deported Ibrahim al-Bakrawi twice in 2015." not in titles
    assert all(entry.link.startswith("http://testserver/claims/") for entry in feed.entries)


def test_official_feed_lists_events_and_claims(client, demo_story):
    feed = _feed(client, "/feeds/people/koen-geens/")
    titles = [entry.title for entry in feed.entries]
    assert "Koen Geens: Offered to resign" in titles
    assert "Koen Geens: Resignation offer refused" in titles
    assert any(title.startswith("Ibrahim El Bakraoui was on parole") for title in titles)


def test_incident_feed_lists_events_and_claims(client, demo_story):
    feed = _feed(client, "/feeds/incidents/brussels-bombings-2016/")
    titles = [entry.title for entry in feed.entries]
    assert "Jan Jambon: Accepted responsibility" in titles
    assert "Turkey deported Ibrahim al-Bakrawi twice in 2015." in titles


def test_feeds_of_unpublished_records_answer_404(client, demo_story):
    from accountability.models import Person

    Person.objects.filter(slug="koen-geens").update(is_published=False, published_at=None)
    assert client.get("/feeds/people/koen-geens/").status_code == 404
    assert client.get("/feeds/incidents/no-such-incident/").status_code == 404
