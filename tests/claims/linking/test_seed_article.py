"""The seed article, fetched from a local server as if it were live, ends linked and with events proposed."""

from __future__ import annotations

import pytest

from accountability.models import AccountabilityEvent, EventKind, ReviewState
from claims.intake import source_fetch, source_submit
from claims.linking.batches import source_link_by_id
from claims.models import FetchState, LinkReviewState

pytestmark = pytest.mark.django_db


@pytest.fixture
def ingested(known_world, article_server, editor):
    submission = source_submit(url=article_server.url("/world/belgium-ministers?utm_source=rss"), actor=editor)
    source = source_fetch(source_id=submission.source.pk)
    result = source_link_by_id(source_id=source.pk)
    source.refresh_from_db()
    return source, result


def test_fetched_article_keeps_its_metadata(ingested):
    source, _ = ingested
    assert source.fetch_state == FetchState.FETCHED
    assert source.title.startswith("Belgian ministers offered to resign")
    assert source.publisher_name == "World News"
    assert source.language == "en"
    assert source.published_at.isoformat().startswith("2016-03-24")
    assert "Prime Minister Charles Michel" in source.text
    assert "Copyright" not in source.text
    assert source.canonical_url.endswith("/world/belgium-ministers")


def test_every_claim_of_the_article_is_linked_with_its_sentence(ingested, known_world):
    source, result = ingested
    links = {link.claim.slug: link for link in source.claim_links.select_related("claim")}
    assert set(links) == {
        "belgium-ignored-turkeys-warning-about-ibrahim-al-bakrawi",
        "the-three-brussels-bombers-were-known-to-police",
        "bakraoui-was-on-parole-half-way-through-a-nine-year-sentence",
        "turkey-twice-deported-ibrahim-al-bakrawi",
    }
    warning = links["belgium-ignored-turkeys-warning-about-ibrahim-al-bakrawi"]
    assert warning.explanation["sentence"].startswith("Ankara said Belgium ignored")
    assert set(warning.explanation["signals"]) == {"text_cosine", "lexical_coverage", "entity_overlap", "date_window"}
    assert known_world.bakraoui.pk in warning.explanation["shared_people"]
    police = links["the-three-brussels-bombers-were-known-to-police"]
    assert "were known to police" in police.explanation["sentence"]
    for link in links.values():
        assert link.origin == "matcher"
        assert link.matcher_version
        assert link.review_state in (LinkReviewState.SUGGESTED, LinkReviewState.AUTO_CONFIRMED)
    assert result.links_suggested + result.links_auto_confirmed == 4


def test_offers_refusals_and_responsibility_are_proposed_for_review(ingested, known_world):
    source, _ = ingested
    proposed = AccountabilityEvent.objects.filter(review_state=ReviewState.PROPOSED, sources=source)
    summary = {(event.kind, event.person.name, getattr(event.decided_by, "name", None)) for event in proposed}
    assert summary == {
        (EventKind.RESIGNATION_OFFERED, "Jan Jambon", None),
        (EventKind.RESIGNATION_OFFERED, "Koen Geens", None),
        (EventKind.RESIGNATION_REFUSED, "Jan Jambon", "Charles Michel"),
        (EventKind.RESIGNATION_REFUSED, "Koen Geens", "Charles Michel"),
        (EventKind.RESPONSIBILITY_ACCEPTED, "Jan Jambon", None),
    }
    refusal = proposed.get(kind=EventKind.RESIGNATION_REFUSED, person=known_world.jambon)
    assert refusal.responds_to.kind == EventKind.RESIGNATION_OFFERED
    assert refusal.post.title == "Minister of Security and the Interior"
    assert "turned down by Prime Minister Charles Michel" in refusal.evidence_sentence
    assert not proposed.filter(is_published=True).exists()


def test_linking_again_stores_nothing_new(ingested):
    source, _ = ingested
    links_before = source.claim_links.count()
    events_before = AccountabilityEvent.objects.count()
    again = source_link_by_id(source_id=source.pk)
    assert (again.links_suggested, again.links_auto_confirmed, again.events_proposed) == (0, 0, 0)
    assert source.claim_links.count() == links_before
    assert AccountabilityEvent.objects.count() == events_before


def test_the_same_article_submitted_again_is_the_same_source(ingested, article_server, editor):
    source, _ = ingested
    again = source_submit(url=article_server.url("/world/belgium-ministers/"), actor=editor)
    assert again.source.pk == source.pk
    assert again.is_new is False
