"""Incremental sync: a mirror reads `updated_since` and the list's `tombstones/`, and ends up equal to the API."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accountability.models import EventKind
from accountability.recording import publication_set
from tests.api.data import published
from tests.factories import (
    AccountabilityEventFactory,
    ClaimFactory,
    PersonFactory,
    PostFactory,
    TermFactory,
)

LISTS = ["claims", "people", "organisations", "posts", "terms", "incidents", "events", "resignation-offers", "sources"]


def moment() -> str:
    return timezone.now().isoformat()


def tombstones(api, endpoint: str, **params) -> list[dict]:  # type: ignore[no-untyped-def]
    response = api.get(f"/api/v1/{endpoint}/tombstones/", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("endpoint", LISTS)
def test_every_list_has_tombstones_and_none_while_nothing_left(api, db, endpoint):
    body = api.get(f"/api/v1/{endpoint}/tombstones/").json()

    assert body == {"next": None, "results": []}


def test_an_unpublished_claim_becomes_a_tombstone_for_mirrors_that_synced_before(api, db):
    kept, withdrawn = ClaimFactory(**published()), ClaimFactory(**published())
    synced_at = moment()

    publication_set(record=withdrawn, is_published=False, actor=None)

    assert [claim["id"] for claim in api.get("/api/v1/claims/").json()["results"]] == [kept.pk]
    [tombstone] = tombstones(api, "claims", updated_since=synced_at)
    assert tombstone["id"] == withdrawn.pk
    assert tombstone["slug"] == withdrawn.slug
    assert tombstone["reason"] == "unpublished"
    assert tombstone["merged_into"] is None
    assert tombstone["removed_at"] >= synced_at


def test_a_tombstone_is_not_repeated_to_mirrors_that_synced_after_the_removal(api, db):
    withdrawn = ClaimFactory(**published())
    publication_set(record=withdrawn, is_published=False, actor=None)

    assert tombstones(api, "claims", updated_since=moment()) == []


def test_drafts_that_were_never_published_have_no_tombstone(api, db):
    ClaimFactory()

    assert tombstones(api, "claims") == []


def test_a_merged_person_names_the_survivor_and_its_old_address_redirects(api, db):
    survivor = PersonFactory(slug="ibrahim-el-bakraoui", **published())
    duplicate = PersonFactory(slug="ibrahim-bakraoui", **published())
    synced_at = moment()

    duplicate.merged_into = survivor
    duplicate.save()
    publication_set(record=duplicate, is_published=False, actor=None)

    [tombstone] = tombstones(api, "people", updated_since=synced_at)
    assert tombstone["reason"] == "merged"
    assert tombstone["merged_into"]["id"] == survivor.pk
    assert tombstone["merged_into"]["url"].endswith("/api/v1/people/ibrahim-el-bakraoui/")
    redirect = api.get(f"/api/v1/people/{duplicate.pk}/")
    assert redirect.status_code == 301
    assert redirect["Location"] == "/api/v1/people/ibrahim-el-bakraoui/"


@pytest.mark.django_db(transaction=True)  # history rows take the time their transaction started
def test_a_record_deleted_outright_leaves_a_tombstone_from_its_history(api):
    claim = ClaimFactory(**published())
    claim_id, synced_at = claim.pk, moment()

    claim.delete()

    [tombstone] = tombstones(api, "claims", updated_since=synced_at)
    assert (tombstone["id"], tombstone["reason"]) == (claim_id, "deleted")


def test_unpublishing_a_person_removes_their_terms_and_events_and_republishing_brings_them_back(api, db):
    person = PersonFactory(**published())
    term = TermFactory(person=person, post=PostFactory(**published()), **published())
    offer = AccountabilityEventFactory(person=person, kind=EventKind.RESIGNATION_OFFERED, **published())
    synced_at = moment()

    publication_set(record=person, is_published=False, actor=None)

    assert [t["id"] for t in tombstones(api, "terms", updated_since=synced_at)] == [term.pk]
    assert [t["id"] for t in tombstones(api, "events", updated_since=synced_at)] == [offer.pk]
    assert [t["id"] for t in tombstones(api, "resignation-offers", updated_since=synced_at)] == [offer.pk]

    republished_at = moment()
    publication_set(record=person, is_published=True, actor=None)

    changed_terms = api.get("/api/v1/terms/", {"updated_since": republished_at}).json()["results"]
    changed_offers = api.get("/api/v1/resignation-offers/", {"updated_since": republished_at}).json()["results"]
    assert [t["id"] for t in changed_terms] == [term.pk]
    assert [o["id"] for o in changed_offers] == [offer.pk]


def test_a_new_outcome_makes_its_offer_count_as_changed(api, db):
    person = PersonFactory(**published())
    offer = AccountabilityEventFactory(person=person, kind=EventKind.RESIGNATION_OFFERED, **published())
    synced_at = moment()

    AccountabilityEventFactory(
        person=person,
        kind=EventKind.RESIGNATION_REFUSED,
        responds_to=offer,
        decided_by=PersonFactory(**published()),
        **published(),
    )

    changed = api.get("/api/v1/resignation-offers/", {"updated_since": synced_at}).json()["results"]
    assert [o["id"] for o in changed] == [offer.pk]
    assert changed[0]["outcome"] == "resignation_refused"


def test_a_newly_confirmed_link_makes_its_claim_count_as_changed(api, db, editor):
    from claims.models import LinkReviewState
    from claims.services import claim_link_review
    from tests.factories import ClaimLinkFactory, SourceFactory

    claim = ClaimFactory(**published())
    link = ClaimLinkFactory(claim=claim, source=SourceFactory(**published()), review_state=LinkReviewState.SUGGESTED)
    synced_at = moment()

    claim_link_review(link=link, is_accepted=True, actor=editor)

    changed = api.get("/api/v1/claims/", {"updated_since": synced_at}).json()["results"]
    assert [c["id"] for c in changed] == [claim.pk]
    assert changed[0]["link_counts"]["total"] == 1
    links = api.get(changed[0]["links_url"]).json()["results"]
    assert [synced["id"] for synced in links] == [link.pk]


def test_other_event_kinds_never_show_in_the_resignation_offers_tombstones(api, db):
    person = PersonFactory(**published())
    apology = AccountabilityEventFactory(person=person, kind=EventKind.APOLOGY, **published())
    publication_set(record=apology, is_published=False, actor=None)

    assert [t["id"] for t in tombstones(api, "events")] == [apology.pk]
    assert tombstones(api, "resignation-offers") == []


def test_tombstones_come_in_pages_that_visit_each_once(api, db):
    claims = [ClaimFactory(**published()) for _ in range(7)]
    for claim in claims:
        publication_set(record=claim, is_published=False, actor=None)

    seen, url, pages = [], "/api/v1/claims/tombstones/?page_size=3", 0
    while url:
        body = api.get(url).json()
        seen += [tombstone["id"] for tombstone in body["results"]]
        url, pages = body["next"], pages + 1

    assert pages == 3
    assert sorted(seen) == sorted(claim.pk for claim in claims)
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize("cursor", ["nonsense", "bm9uc2Vuc2U", "MjAxNi0wMy0yMnwxMg", "%00", "a" * 500])
def test_bad_tombstone_cursors_answer_400(api, db, cursor):
    response = api.get("/api/v1/claims/tombstones/", {"cursor": cursor})

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["cursor"]


@pytest.mark.parametrize("page_size", ["0", "-5", "x", str(10**12)])
def test_absurd_tombstone_page_sizes_still_answer_a_page(api, db, page_size):
    response = api.get("/api/v1/claims/tombstones/", {"page_size": page_size})

    assert response.status_code == 200


def test_bad_updated_since_on_tombstones_answers_400(api, db):
    response = api.get("/api/v1/claims/tombstones/", {"updated_since": "yesterday"})

    assert response.status_code == 400
    assert "ISO 8601" in response.json()["error"]["fields"]["updated_since"][0]


def test_a_mirror_replaying_lists_and_tombstones_equals_the_api(api, db):
    claims = [ClaimFactory(**published()) for _ in range(4)]
    mirror = {claim["id"]: claim for claim in api.get("/api/v1/claims/").json()["results"]}
    synced_at = moment()

    publication_set(record=claims[0], is_published=False, actor=None)
    claims[1].text = "Belgium ignored Turkey's warning about one of the bombers."
    claims[1].save()
    added = ClaimFactory(**published())

    for claim in api.get("/api/v1/claims/", {"updated_since": synced_at}).json()["results"]:
        mirror[claim["id"]] = claim
    for tombstone in tombstones(api, "claims", updated_since=synced_at):
        mirror.pop(tombstone["id"], None)

    current = {claim["id"]: claim for claim in api.get("/api/v1/claims/").json()["results"]}
    assert mirror == current
    assert added.pk in mirror
    assert mirror[claims[1].pk]["text"].startswith("Belgium ignored")


@pytest.mark.parametrize("endpoint", ["claims/tombstones", "people"])
@pytest.mark.parametrize(
    "value", ["3238-03-11T17:45:09.0-21:47", "9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00"]
)
def test_updated_since_with_any_iso_offset_answers_without_a_server_error(api, db, endpoint, value):
    response = api.get(f"/api/v1/{endpoint}/", {"updated_since": value})

    if response.status_code == 200:
        assert response.json()["results"] == []
    else:
        assert response.status_code == 400
        assert response.json()["error"]["fields"]["updated_since"]
