"""Public pages and API reads come from the cache for anonymous readers and change the moment a record changes.

These tests commit (``transaction=True``): the cache is invalidated when a write commits, as in production.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection

from accountability.recording import publication_set
from claims.models import ClaimStatus
from claims.services import claim_status_change
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def public_cache(settings):  # type: ignore[no-untyped-def]
    settings.PUBLIC_CACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def claim(published):  # type: ignore[no-untyped-def]
    return ClaimFactory(text="The minister ignored the flood warnings.", slug="flood-warnings", **published)


@pytest.fixture
def published():  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return {"is_published": True, "published_at": timezone.now()}


def test_a_second_anonymous_read_of_a_page_runs_no_query(client, claim, django_assert_num_queries):
    assert client.get("/claims/flood-warnings/").status_code == 200
    with django_assert_num_queries(0):
        again = client.get("/claims/flood-warnings/")
    assert again.status_code == 200
    assert "The minister ignored the flood warnings." in again.content.decode()


def test_an_edit_shows_on_the_cached_page_at_once(client, claim, editor):
    client.get("/claims/flood-warnings/")
    claim.text = "The minister ignored three flood warnings."
    claim.save()
    assert "three flood warnings" in client.get("/claims/flood-warnings/").content.decode()


def test_a_status_change_shows_on_the_cached_page_at_once(client, claim, editor):
    assert "Refuted" not in client.get("/claims/flood-warnings/").content.decode()
    claim_status_change(
        claim=claim, to_status=ClaimStatus.REFUTED, reason="The warnings never reached him.",
        evidence=[SourceFactory()], actor=editor,
    )  # fmt: skip
    assert "Refuted" in client.get("/claims/flood-warnings/").content.decode()


def test_unpublishing_takes_the_cached_page_down_at_once(client, claim, editor):
    assert client.get("/claims/flood-warnings/").status_code == 200
    publication_set(record=claim, is_published=False, actor=editor)
    assert client.get("/claims/flood-warnings/").status_code == 404


def test_publishing_puts_a_claim_on_the_cached_search_and_api_list(client, editor):
    draft = ClaimFactory(text="Turkey warned about the bomber twice.", slug="turkey-warned")
    assert "Turkey warned" not in client.get("/search/", {"q": "Turkey"}).content.decode()
    assert client.get("/api/v1/claims/").json()["results"] == []
    publication_set(record=draft, is_published=True, actor=editor)
    assert "Turkey warned" in client.get("/search/", {"q": "Turkey"}).content.decode()
    assert [row["slug"] for row in client.get("/api/v1/claims/").json()["results"]] == ["turkey-warned"]


def test_a_change_written_without_the_orm_is_not_seen_by_anonymous_readers_until_expiry_but_is_by_editors(
    client, claim, editor
):
    client.get("/claims/flood-warnings/")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE claims_claim SET text = 'Rewritten in SQL.' WHERE id = %s", [claim.pk])
    assert "Rewritten in SQL." not in client.get("/claims/flood-warnings/").content.decode()
    client.force_login(editor)
    assert "Rewritten in SQL." in client.get("/claims/flood-warnings/").content.decode()


def test_pages_for_a_signed_in_editor_are_never_stored(client, claim, editor):
    client.force_login(editor)
    client.get("/claims/flood-warnings/")
    client.logout()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE claims_claim SET text = 'Rewritten in SQL.' WHERE id = %s", [claim.pk])
    assert "Rewritten in SQL." in client.get("/claims/flood-warnings/").content.decode()


def test_cached_pages_carry_no_csrf_token_and_switch_language_by_links(client, claim):
    client.get("/claims/flood-warnings/")
    page = client.get("/claims/flood-warnings/").content.decode()
    assert "csrfmiddlewaretoken" not in page
    assert 'href="http://testserver/fr/claims/flood-warnings/"' in page
    assert 'href="http://testserver/nl/claims/flood-warnings/"' in page
    assert "Set-Cookie" not in client.get("/claims/flood-warnings/").headers


def test_each_language_has_its_own_cached_page(client, claim):
    client.get("/claims/flood-warnings/")
    assert '<html lang="fr">' in client.get("/fr/claims/flood-warnings/").content.decode()
    assert '<html lang="en">' in client.get("/claims/flood-warnings/").content.decode()


def test_api_etag_and_not_modified_work_on_cached_answers(client, claim, editor, django_assert_num_queries):
    first = client.get("/api/v1/claims/")
    etag = first["ETag"]
    with django_assert_num_queries(0):
        cached = client.get("/api/v1/claims/")
    assert cached["ETag"] == etag
    assert client.get("/api/v1/claims/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    claim.text = "The minister ignored four flood warnings."
    claim.save()
    changed = client.get("/api/v1/claims/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["results"][0]["text"] == "The minister ignored four flood warnings."


def test_api_detail_is_cached_and_invalidated(client, claim, editor):
    assert client.get("/api/v1/claims/flood-warnings/").status_code == 200
    publication_set(record=claim, is_published=False, actor=editor)
    assert client.get("/api/v1/claims/flood-warnings/").status_code == 404


def test_saving_a_draft_leaves_cached_pages_in_place(client, claim):
    from accountability.caching import content_generation

    client.get("/claims/flood-warnings/")
    before = content_generation()
    ClaimFactory(text="A draft nobody sees yet.", slug="draft")
    assert content_generation() == before


def test_a_link_the_matcher_confirms_shows_on_the_cached_page_at_once(client, claim, published):
    from accountability.models import RecordOrigin
    from claims.models import ClaimLink, LinkReviewState, Stance
    from claims.services import claim_links_store_from_matcher

    source = SourceFactory(title="Flood report from the river authority", **published)
    assert "Flood report from the river authority" not in client.get("/claims/flood-warnings/").content.decode()

    claim_links_store_from_matcher(
        links=[
            ClaimLink(
                claim=claim,
                source=source,
                stance=Stance.SUPPORTS,
                confidence=0.95,
                origin=RecordOrigin.MATCHER,
                matcher_version="test",
                review_state=LinkReviewState.AUTO_CONFIRMED,
            )
        ]
    )

    assert "Flood report from the river authority" in client.get("/claims/flood-warnings/").content.decode()


def test_a_claims_links_list_is_cached_and_shows_a_newly_confirmed_link_at_once(
    client, claim, published, editor, django_assert_num_queries
):
    from claims.models import LinkReviewState
    from claims.services import claim_link_review
    from tests.factories import ClaimLinkFactory

    link = ClaimLinkFactory(claim=claim, source=SourceFactory(**published), review_state=LinkReviewState.SUGGESTED)
    assert client.get("/api/v1/claims/flood-warnings/links/").json()["results"] == []
    with django_assert_num_queries(0):
        assert client.get("/api/v1/claims/flood-warnings/links/").json()["results"] == []

    claim_link_review(link=link, is_accepted=True, actor=editor)

    links = client.get("/api/v1/claims/flood-warnings/links/").json()["results"]
    assert [listed["id"] for listed in links] == [link.pk]
    assert client.get("/api/v1/claims/").json()["results"][0]["link_counts"]["total"] == 1


def test_a_person_page_is_cached_per_page_of_claims(client, published, django_assert_num_queries):
    from accountability.views import CLAIMS_PER_PAGE
    from tests.factories import PersonFactory

    person = PersonFactory(slug="busy-minister", **published)
    for number in range(CLAIMS_PER_PAGE + 1):
        ClaimFactory(text=f"Claim {number} by the minister", claimant_person=person, **published)

    first = client.get("/people/busy-minister/", {"page": 1}).content.decode()
    client.get("/people/busy-minister/", {"page": 2})
    with django_assert_num_queries(0):
        second = client.get("/people/busy-minister/", {"page": 2}).content.decode()
    assert "Claim 0 by the minister" in second
    assert "Claim 0 by the minister" not in first


def test_a_transaction_changing_many_public_records_makes_the_cache_out_of_date_once(published):
    from django.db import transaction

    from accountability.caching import content_generation

    before = content_generation()
    with transaction.atomic():
        for number in range(5):
            ClaimFactory(text=f"Published claim {number}.", slug=f"published-{number}", **published)
        assert content_generation() == before  # not before the commit
    assert content_generation() == before + 1


def test_a_change_rolled_back_in_a_savepoint_does_not_hide_a_later_change_from_the_cache(published):
    from django.db import transaction

    from accountability.caching import content_generation

    before = content_generation()
    with transaction.atomic():
        try:
            with transaction.atomic():
                ClaimFactory(text="Rolled back.", slug="rolled-back", **published)
                raise RuntimeError("abandon the savepoint")
        except RuntimeError:
            pass
        ClaimFactory(text="Kept.", slug="kept", **published)
    assert content_generation() == before + 1


def test_an_answer_computed_while_a_write_committed_is_not_served_after_that_write(published):
    from django.test import RequestFactory

    from accountability.caching import content_changed, look_up, store

    request = RequestFactory().get("/api/v1/claims/")
    slot = look_up("api", request, "json")  # a slow request starts here...
    ClaimFactory(**published)  # ...a claim is published meanwhile...
    content_changed()
    store(slot, (b"[]", {}))  # ...and the slow request stores the list it read before the claim was there

    assert look_up("api", request, "json").held is None
