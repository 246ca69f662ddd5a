"""Recording the story by hand: adding a source and following it, a claim from one of its sentences, a resignation
offer and its outcome from the official's page; bad input gets a clear error and loses nothing typed."""

from __future__ import annotations

import datetime
import json

import pytest

from accountability.models import AccountabilityEvent, EventKind, ReviewState
from claims.models import Claim, ClaimLink, FetchState, LinkReviewState, Quote, Source
from tests.editorial.conftest import ADMIN, proposed_event, proposed_link, signed_in
from tests.factories import (
    AccountabilityEventFactory,
    OrganisationFactory,
    PersonFactory,
    PostFactory,
    SourceFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
EDITORIAL = ADMIN + "editorial/"
ARTICLE = (
    "Belgian media reports said on Thursday that Interior Minister Jan Jambon and Justice Minister Koen Geens "
    "offered their resignations which were turned down by Prime Minister Charles Michel. "
    "Ankara said Belgium ignored Turkey's warning that Bakrawi was a militant."
)


def _queues_processing(callbacks) -> bool:  # type: ignore[no-untyped-def]
    return any(callback.__qualname__.startswith("source_schedule_processing") for callback in callbacks)


def test_adding_a_source_by_url_shows_its_progress(reviewer_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = reviewer_client.post(EDITORIAL + "sources/add/", {"url": "https://news.example.org/belgium"})
    source = Source.objects.get(canonical_url="https://news.example.org/belgium")
    assert response.status_code == 302
    assert response["Location"] == f"{EDITORIAL}sources/{source.pk}/"
    assert _queues_processing(callbacks)  # the fetch is queued once the source is committed
    assert source.fetch_state == FetchState.PENDING
    page = reviewer_client.get(response["Location"]).content.decode()
    assert "Waiting to be fetched" in page
    assert "this page updates by itself" in page
    assert 'src="/static/editorial/source_progress.js"' in page
    status = reviewer_client.get(f"{EDITORIAL}sources/{source.pk}/status/").json()
    assert status["finished"] is False
    assert status["fetched"] is False


def test_adding_pasted_text_queues_linking(reviewer_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        reviewer_client.post(EDITORIAL + "sources/add/", {"text": ARTICLE, "title": "Ministers offer to resign"})
    source = Source.objects.get(title="Ministers offer to resign")
    assert source.fetch_state == FetchState.PASTED
    assert _queues_processing(callbacks)


def test_adding_a_source_twice_leads_to_the_one_already_recorded(reviewer_client):
    existing = SourceFactory(url="https://news.example.org/belgium", canonical_url="https://news.example.org/belgium")
    response = reviewer_client.post(
        EDITORIAL + "sources/add/", {"url": "https://www.news.example.org/belgium/?utm_source=rss"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{EDITORIAL}sources/{existing.pk}/"
    assert "already recorded" in response.content.decode()
    assert Source.objects.count() == 1


def test_adding_a_source_without_url_or_text_says_what_is_missing(reviewer_client):
    response = reviewer_client.post(EDITORIAL + "sources/add/", {"title": "Kept title"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the address of the article or paste its text." in html
    assert 'value="Kept title"' in html
    assert not Source.objects.exists()


def test_a_malformed_url_is_refused_and_the_typed_text_kept(reviewer_client):
    response = reviewer_client.post(EDITORIAL + "sources/add/", {"url": "http://exa mple", "text": "Some words."})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid URL." in html
    assert "Some words." in html
    assert not Source.objects.exists()


def test_a_refused_fetch_shows_its_reason(reviewer_client):
    source = SourceFactory(
        text="",
        fetch_state=FetchState.REFUSED,
        fetch_error_code="private_address",
        fetch_error="The address resolves to a private network.",
    )
    status = reviewer_client.get(f"{EDITORIAL}sources/{source.pk}/status/").json()
    assert status["finished"] is True
    assert status["refusal_code"] == "private_address"
    page = reviewer_client.get(f"{EDITORIAL}sources/{source.pk}/").content.decode()
    assert "The address resolves to a private network." in page
    assert "Finished." in page


def test_a_linked_source_reports_its_proposals(reviewer_client):
    source = SourceFactory(text=ARTICLE)
    Source.objects.filter(pk=source.pk).update(linked_at=datetime.datetime(2016, 3, 24, tzinfo=datetime.UTC))
    proposed_link(source=source)
    proposed_link(source=source, review_state=LinkReviewState.AUTO_CONFIRMED)
    proposed_event(source=source)
    proposed_event(source=source)
    status = reviewer_client.get(f"{EDITORIAL}sources/{source.pk}/status/").json()
    assert status == {
        **status,
        "finished": True,
        "fetched": True,
        "extracted": True,
        "linked": True,
        "sentences": 2,
        "links_proposed": 1,
        "links_confirmed": 1,
        "events_proposed": 2,
        "proposals": 3,
    }


def test_source_screens_need_their_permissions(db):
    outsider = signed_in(UserFactory(username="no-permissions"))
    source = SourceFactory()
    assert outsider.post(EDITORIAL + "sources/add/", {"url": "https://news.example.org/x"}).status_code == 403
    assert outsider.get(f"{EDITORIAL}sources/{source.pk}/status/").status_code == 403
    assert not Source.objects.filter(canonical_url="https://news.example.org/x").exists()


def test_claim_from_sentence_lists_the_sources_sentences_and_prefills_the_chosen_one(reviewer_client):
    source = SourceFactory(text=ARTICLE)
    listing = reviewer_client.get(f"{EDITORIAL}sources/{source.pk}/claim/").content.decode()
    assert listing.count('href="?sentence=') == 2
    chosen = reviewer_client.get(f"{EDITORIAL}sources/{source.pk}/claim/", {"sentence": 1}).content.decode()
    assert "Ankara said Belgium ignored Turkey&#x27;s warning that Bakrawi was a militant.</textarea>" in chosen
    assert 'data-field-name="claimant_person"' in chosen


def test_claim_from_sentence_records_claim_quote_and_link(reviewer, reviewer_client):
    source = SourceFactory(text=ARTICLE)
    ankara, government, bakraoui = OrganisationFactory(name="Ankara"), OrganisationFactory(), PersonFactory()
    sentence = "Ankara said Belgium ignored Turkey's warning that Bakrawi was a militant."
    response = reviewer_client.post(
        f"{EDITORIAL}sources/{source.pk}/claim/",
        {
            "sentence": sentence,
            "text": "Belgium ignored Turkey's warning that Ibrahim al-Bakrawi was a militant.",
            "claimant_organisation": ankara.pk,
            "subject_organisations": [government.pk],
            "subject_people": [bakraoui.pk],
            "first_made_on": "2016-03-24",
            "is_quote": "on",
        },
    )
    claim = Claim.objects.get(text__startswith="Belgium ignored")
    assert response.status_code == 302
    assert response["Location"] == f"{ADMIN}claims/claim/{claim.pk}/change/"
    assert claim.claimant_organisation == ankara
    assert list(claim.subject_people.all()) == [bakraoui]
    assert claim.recorded_by == reviewer
    quote = Quote.objects.get(source=source)
    assert (quote.text, quote.speaker_organisation) == (sentence, ankara)
    link = ClaimLink.objects.get(claim=claim, source=source)
    assert (link.quote, link.review_state, link.reviewed_by) == (quote, LinkReviewState.CONFIRMED, reviewer)
    actions = {row.pgh_context.metadata["action"] for row in claim.history.select_related("pgh_context")}
    assert actions == {"claim_from_sentence_create"}


def test_claim_from_sentence_without_claimant_keeps_what_was_typed(reviewer_client):
    source = SourceFactory(text=ARTICLE)
    response = reviewer_client.post(
        f"{EDITORIAL}sources/{source.pk}/claim/",
        {"sentence": "Ankara said Belgium ignored Turkey's warning that Bakrawi was a militant.", "text": "My claim"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Name who made the claim: a person or an organisation." in html
    assert "My claim</textarea>" in html
    assert "nothing you typed is lost" in html
    assert not Claim.objects.exists()


def test_claim_from_a_sentence_not_in_the_source_is_refused(reviewer_client):
    source = SourceFactory(text=ARTICLE)
    response = reviewer_client.post(
        f"{EDITORIAL}sources/{source.pk}/claim/",
        {"sentence": "Words that are not there.", "text": "A claim", "claimant_organisation": OrganisationFactory().pk},
    )
    assert "That sentence is not in this source." in response.content.decode()
    assert not Claim.objects.exists()


@pytest.fixture
def jambon(db):  # type: ignore[no-untyped-def]
    person = PersonFactory(name="Jan Jambon")
    TermFactory(person=person, post=PostFactory(title="Minister of Security and the Interior"))
    return person


def test_recording_a_resignation_offer_from_the_officials_page(reviewer, reviewer_client, jambon):
    source = SourceFactory()
    post = jambon.terms.get().post
    page = reviewer_client.get(f"{EDITORIAL}people/{jambon.pk}/resignation-offers/").content.decode()
    assert "No resignation offer by Jan Jambon is on record." in page
    assert "Minister of Security and the Interior" in page  # the post held, to choose from
    response = reviewer_client.post(
        f"{EDITORIAL}people/{jambon.pk}/resignation-offers/",
        {"occurred_on": "2016-03-24", "post": post.pk, "summary": "Offered to resign.", "sources": [source.pk]},
    )
    assert response.status_code == 302
    offer = AccountabilityEvent.objects.get(person=jambon)
    assert (offer.kind, offer.post, offer.review_state, offer.recorded_by) == (
        EventKind.RESIGNATION_OFFERED,
        post,
        ReviewState.CONFIRMED,
        reviewer,
    )
    assert list(offer.sources.all()) == [source]


def test_an_offer_without_a_source_is_refused_and_the_form_kept(reviewer_client, jambon):
    response = reviewer_client.post(
        f"{EDITORIAL}people/{jambon.pk}/resignation-offers/", {"occurred_on": "2016-03-24", "summary": "Kept words"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html
    assert "Kept words</textarea>" in html
    assert not AccountabilityEvent.objects.exists()


def _offer(person, **fields):  # type: ignore[no-untyped-def]
    offer = AccountabilityEventFactory(person=person, occurred_on=datetime.date(2016, 3, 24), **fields)
    offer.sources.add(SourceFactory())
    return offer


def test_recording_the_refusal_of_an_offer(reviewer_client, jambon):
    michel, source = PersonFactory(name="Charles Michel"), SourceFactory()
    offer = _offer(jambon)
    page = reviewer_client.get(f"{EDITORIAL}people/{jambon.pk}/resignation-offers/").content.decode()
    assert f"{EDITORIAL}offers/{offer.pk}/outcome/" in page
    response = reviewer_client.post(
        f"{EDITORIAL}offers/{offer.pk}/outcome/",
        {
            "outcome": EventKind.RESIGNATION_REFUSED,
            "decided_by": michel.pk,
            "occurred_on": "2016-03-24",
            "sources": [source.pk],
        },
    )
    assert response.status_code == 302
    refusal = offer.outcomes.get()
    assert (refusal.kind, refusal.decided_by, refusal.review_state) == (
        EventKind.RESIGNATION_REFUSED,
        michel,
        ReviewState.CONFIRMED,
    )
    page = reviewer_client.get(f"{EDITORIAL}people/{jambon.pk}/resignation-offers/").content.decode()
    assert "Resignation offer refused by Charles Michel on 24 March 2016" in page


def test_a_refusal_needs_who_refused(reviewer_client, jambon):
    offer = _offer(jambon)
    response = reviewer_client.post(
        f"{EDITORIAL}offers/{offer.pk}/outcome/",
        {"outcome": EventKind.RESIGNATION_REFUSED, "occurred_on": "2016-03-24", "sources": [SourceFactory().pk]},
    )
    assert "Name who refused or accepted the offer." in response.content.decode()
    assert not offer.outcomes.exists()


def test_an_outcome_before_the_offer_is_refused_with_the_offer_date(reviewer_client, jambon):
    offer = _offer(jambon)
    response = reviewer_client.post(
        f"{EDITORIAL}offers/{offer.pk}/outcome/",
        {
            "outcome": EventKind.RESIGNATION_REFUSED,
            "decided_by": PersonFactory().pk,
            "occurred_on": "2016-03-20",
            "sources": [SourceFactory().pk],
        },
    )
    assert "cannot precede the offer it answers (offered on 2016-03-24)" in response.content.decode()
    assert not offer.outcomes.exists()


def test_an_offer_has_one_outcome(reviewer_client, jambon):
    offer = _offer(jambon)
    michel = PersonFactory()
    outcome = {
        "outcome": EventKind.RESIGNATION_REFUSED,
        "decided_by": michel.pk,
        "occurred_on": "2016-03-24",
        "sources": [SourceFactory().pk],
    }
    reviewer_client.post(f"{EDITORIAL}offers/{offer.pk}/outcome/", outcome)
    response = reviewer_client.post(f"{EDITORIAL}offers/{offer.pk}/outcome/", outcome)
    assert "This offer already has an outcome: resignation offer refused." in response.content.decode()
    assert offer.outcomes.count() == 1


def test_an_unreviewed_offer_gets_its_outcome_only_after_review(reviewer_client, jambon):
    offer = _offer(jambon, origin="matcher", review_state=ReviewState.PROPOSED)
    response = reviewer_client.post(
        f"{EDITORIAL}offers/{offer.pk}/outcome/",
        {"outcome": EventKind.RESIGNATION_WITHDRAWN, "occurred_on": "2016-03-25", "sources": [SourceFactory().pk]},
    )
    assert "Accept this offer in the review queue" in response.content.decode()
    assert not offer.outcomes.exists()


def test_admin_pages_link_to_the_editorial_screens(reviewer_client, jambon):
    source = SourceFactory()
    proposed_link()
    proposed_event()
    person_page = reviewer_client.get(f"{ADMIN}accountability/person/{jambon.pk}/change/").content.decode()
    assert f"{EDITORIAL}people/{jambon.pk}/resignation-offers/" in person_page
    source_page = reviewer_client.get(f"{ADMIN}claims/source/{source.pk}/change/").content.decode()
    assert f"{EDITORIAL}sources/{source.pk}/" in source_page
    assert f"{EDITORIAL}sources/{source.pk}/claim/" in source_page
    assert f"{ADMIN}review/?source={source.pk}" in source_page
    index = reviewer_client.get(ADMIN).content.decode()
    assert 'id="review-queue-link"' in index
    assert "<strong>2</strong> proposals waiting" in index
    assert f"{EDITORIAL}sources/add/" in index


def test_the_admin_index_shows_no_queue_to_those_who_cannot_review(contributor):
    index = signed_in(contributor).get(ADMIN).content.decode()
    assert "review-queue-link" not in index
    assert f"{EDITORIAL}sources/add/" in index
    json.dumps(index)  # the page renders whole
