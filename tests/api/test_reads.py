"""The read API: published records only, details by id or slug, the demo story as newsrooms see it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accountability.models import EventKind
from claims.models import LinkReviewState, Stance
from tests.api.data import hidden_event_states, published, published_world
from tests.factories import ClaimFactory, ClaimLinkFactory, PersonFactory, SourceFactory

WARNING_CLAIM = "belgium-ignored-turkeys-warning-about-ibrahim-al-bakrawi"
LIST_ENDPOINTS = [
    "claims",
    "people",
    "organisations",
    "posts",
    "terms",
    "incidents",
    "events",
    "resignation-offers",
    "sources",
]


def test_claim_detail_by_slug_has_status_history_and_confirmed_link_with_source_and_quote(api, demo_story):
    response = api.get(f"/api/v1/claims/{WARNING_CLAIM}/")

    assert response.status_code == 200
    claim = response.json()
    assert claim["claimant_organisation"]["slug"] == "government-of-turkey"
    assert [person["slug"] for person in claim["subject_people"]] == ["ibrahim-el-bakraoui"]
    assert [change["to_status"] for change in claim["status_history"]] == ["unverified"]
    assert claim["status_history"][0]["evidence"][0]["id"] == demo_story.article.pk
    (link,) = claim["links"]
    assert link["review_state"] == "confirmed"
    assert link["source"]["id"] == demo_story.article.pk
    assert link["quote"]["text"] == "Belgium ignored Turkey's warning that Bakrawi was a militant"


def test_claim_detail_by_id_equals_detail_by_slug(api, demo_story):
    by_slug = api.get(f"/api/v1/claims/{WARNING_CLAIM}/").json()

    by_id = api.get(f"/api/v1/claims/{by_slug['id']}/").json()

    assert by_id == by_slug


def test_suggested_and_rejected_links_never_appear(api, demo_story, editor):
    claim = ClaimFactory(**published())
    ClaimLinkFactory(claim=claim, source=SourceFactory(**published()), review_state=LinkReviewState.SUGGESTED)
    ClaimLinkFactory(
        claim=claim,
        source=SourceFactory(**published()),
        review_state=LinkReviewState.REJECTED,
        reviewed_by=editor,
        reviewed_at=timezone.now(),
    )
    matcher_link = ClaimLinkFactory(
        claim=claim, source=SourceFactory(**published()), review_state=LinkReviewState.AUTO_CONFIRMED
    )

    links = api.get(f"/api/v1/claims/{claim.slug}/").json()["links"]

    assert [link["id"] for link in links] == [matcher_link.pk]
    assert links[0]["reviewed_by"] is None


def test_unpublished_claim_is_not_listed_and_its_detail_is_404(api, demo_story):
    draft = ClaimFactory(slug="a-draft-claim")

    listed = {claim["slug"] for claim in api.get("/api/v1/claims/?page_size=100").json()["results"]}
    detail = api.get(f"/api/v1/claims/{draft.slug}/")

    assert draft.slug not in listed
    assert WARNING_CLAIM in listed
    assert detail.status_code == 404
    assert detail.json()["error"]["code"] == "not_found"


def test_merged_claim_redirects_permanently_to_the_survivor(api, demo_story):
    survivor = ClaimFactory(**published())
    ClaimFactory(slug="old-duplicate", merged_into=survivor, **published())

    response = api.get("/api/v1/claims/old-duplicate/")

    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/claims/{survivor.slug}/"


@pytest.mark.parametrize("key", ["999999", "no-such-slug", "99999999999999999999999", "%C2%B2"])
def test_unknown_ids_and_slugs_answer_404(api, demo_story, key):
    response = api.get(f"/api/v1/people/{key}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_person_has_name_variants_identifiers_and_terms(api, demo_story):
    jambon = api.get("/api/v1/people/jan-jambon/").json()

    assert jambon["identifiers"] == [{"scheme": "wikidata", "value": "Q1977542"}]
    assert jambon["terms"][0]["post"]["slug"] == "minister-of-security-and-the-interior-belgium"
    assert jambon["terms"][0]["end_reason"] == "resigned"
    bakraoui = api.get("/api/v1/people/ibrahim-el-bakraoui/").json()
    assert {"Bakrawi", "Ibrahim al-Bakrawi", "El Bakraoui"} <= {name["name"] for name in bakraoui["names"]}


@pytest.mark.parametrize("query", ["Bakrawi", "bakraoui", "al-Bakrawi", "Bakrawy"])
def test_people_q_finds_a_person_by_any_spelling_variant(api, demo_story, query):
    results = api.get("/api/v1/people/", {"q": query}).json()["results"]

    assert [person["slug"] for person in results] == ["ibrahim-el-bakraoui"]


def test_refused_resignation_offers_in_belgium_in_2016(api, demo_story):
    offers = api.get(
        "/api/v1/resignation-offers/", {"outcome": "resignation_refused", "country": "BE", "year": 2016}
    ).json()["results"]

    assert {offer["person"]["slug"] for offer in offers} == {"jan-jambon", "koen-geens"}
    for offer in offers:
        assert offer["outcome"] == "resignation_refused"
        assert offer["decided_by_slug"] == "charles-michel"
        assert offer["left_post"] is False
    assert api.get("/api/v1/resignation-offers/", {"country": "TR"}).json()["results"] == []
    assert api.get("/api/v1/resignation-offers/", {"year": 2017}).json()["results"] == []


def test_events_filter_refused_offers_and_embed_their_outcome(api, demo_story):
    events = api.get(
        "/api/v1/events/",
        {"kind": "resignation_offered", "outcome": "resignation_refused", "country": "be", "year": 2016},
    ).json()["results"]

    assert {event["person"]["slug"] for event in events} == {"jan-jambon", "koen-geens"}
    for event in events:
        (outcome,) = event["outcomes"]
        assert outcome["kind"] == EventKind.RESIGNATION_REFUSED
        assert outcome["decided_by"]["slug"] == "charles-michel"
    assert api.get("/api/v1/events/", {"outcome": "resignation_accepted"}).json()["results"] == []


def test_proposed_and_rejected_events_never_appear(api, demo_story):
    hidden = hidden_event_states(demo_story.jambon, demo_story.jambon_offer.occurred_on)

    listed = {event["id"] for event in api.get("/api/v1/events/?page_size=100").json()["results"]}

    assert listed
    assert not listed & {event.pk for event in hidden}
    assert api.get(f"/api/v1/events/{hidden[0].pk}/").status_code == 404


def test_claims_about_a_person_with_a_status(api, demo_story):
    about_bakraoui = api.get("/api/v1/claims/", {"person": "ibrahim-el-bakraoui", "status": "unverified"}).json()

    assert len(about_bakraoui["results"]) == 3
    assert api.get("/api/v1/claims/", {"person": "ibrahim-el-bakraoui", "status": "refuted"}).json()["results"] == []
    by_id = api.get("/api/v1/claims/", {"person": demo_story.bakraoui.pk}).json()["results"]
    assert len(by_id) == 3


def test_claims_q_is_full_text_and_accent_insensitive(api, demo_story):
    results = api.get("/api/v1/claims/", {"q": "déported"}).json()["results"]

    assert [claim["slug"] for claim in results] == ["turkey-twice-deported-ibrahim-al-bakrawi"]


def test_sources_linked_to_an_incident(api, demo_story):
    unrelated = SourceFactory(**published())

    by_slug = api.get("/api/v1/sources/", {"incident": "brussels-bombings-2016"}).json()["results"]
    by_id = api.get("/api/v1/sources/", {"incident": demo_story.incident.pk}).json()["results"]

    assert [source["id"] for source in by_slug] == [demo_story.article.pk]
    assert by_id == by_slug
    assert unrelated.pk in {source["id"] for source in api.get("/api/v1/sources/").json()["results"]}


def test_source_detail_has_its_text_and_lists_do_not(api, demo_story):
    detail = api.get(f"/api/v1/sources/{demo_story.article.pk}/").json()
    listed = api.get("/api/v1/sources/").json()["results"][0]

    assert "Jambon" in detail["text"]
    assert "text" not in listed


def test_unpublished_sources_and_people_are_hidden(api, demo_story):
    draft_source = SourceFactory()
    draft_person = PersonFactory(slug="draft-person")

    assert api.get(f"/api/v1/sources/{draft_source.pk}/").status_code == 404
    assert api.get(f"/api/v1/people/{draft_person.slug}/").status_code == 404


def test_organisations_posts_terms_and_incidents_filter_by_country_and_parent(api, demo_story):
    children = api.get("/api/v1/organisations/", {"parent": "government-of-belgium"}).json()["results"]
    assert {organisation["slug"] for organisation in children} == {
        "belgian-federal-police",
        "belgian-justice-ministry",
    }
    assert api.get("/api/v1/organisations/", {"q": "Ankara"}).json()["results"][0]["slug"] == "government-of-turkey"
    posts = api.get("/api/v1/posts/", {"country": "BE"}).json()["results"]
    assert len(posts) == 3
    terms = api.get("/api/v1/terms/", {"person": "koen-geens", "held_on": "2016-03-24"}).json()["results"]
    assert [term["post"]["slug"] for term in terms] == ["minister-of-justice-belgium"]
    assert api.get("/api/v1/terms/", {"person": "koen-geens", "held_on": "2021-01-01"}).json()["results"] == []
    incidents = api.get("/api/v1/incidents/", {"q": "Maelbeek", "year": 2016}).json()["results"]
    assert [incident["slug"] for incident in incidents] == ["brussels-bombings-2016"]


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_list_query_count_does_not_grow_with_page_size(db, api, endpoint, django_assert_max_num_queries):
    published_world(12)
    budget = {"claims": 5, "people": 4, "terms": 2, "incidents": 2, "events": 3, "resignation-offers": 2}

    for page_size in (2, 12):
        with django_assert_max_num_queries(budget.get(endpoint, 1)):
            response = api.get(f"/api/v1/{endpoint}/", {"page_size": page_size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == page_size


def test_claim_link_stance_is_one_of_the_domain_words(api, demo_story):
    links = api.get(f"/api/v1/claims/{WARNING_CLAIM}/").json()["links"]

    assert {link["stance"] for link in links} <= set(Stance.values)


@pytest.mark.django_db
def test_claim_headline_is_in_the_list_and_the_detail(api):
    claim = ClaimFactory(text="Turkey warned Belgium.", headline="Did Turkey warn Belgium?", **published())
    listed = api.get("/api/v1/claims/").json()["results"]
    assert [item["headline"] for item in listed] == ["Did Turkey warn Belgium?"]
    assert api.get(f"/api/v1/claims/{claim.slug}/").json()["headline"] == "Did Turkey warn Belgium?"
