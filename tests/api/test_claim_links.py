"""A claim's links to sources: counted by stance in lists, the strongest embedded in the detail, every one of them
in the claim's ``links/`` list, page by page."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from claims.models import LinkReviewState, Stance
from claims.selectors import API_DETAIL_LINKS_PER_STANCE
from tests.api.data import published
from tests.factories import ClaimFactory, ClaimLinkFactory, QuoteFactory, SourceFactory

pytestmark = pytest.mark.django_db


def public_link(claim, **fields):  # type: ignore[no-untyped-def]
    """A link the public may see: confirmed by the matcher, to a published source."""
    fields.setdefault("source", SourceFactory(**published()))
    return ClaimLinkFactory(claim=claim, review_state=LinkReviewState.AUTO_CONFIRMED, **fields)


@pytest.fixture
def claim_with_links(editor):  # type: ignore[no-untyped-def]
    """A published claim with three supporting links, one contradicting, one mentioning, and links the public may
    not see: suggested, rejected, and confirmed to an unpublished source."""
    claim = ClaimFactory(**published())
    visible = [public_link(claim, stance=Stance.SUPPORTS, confidence=c) for c in (0.9, 0.6, 0.8)]
    visible.append(public_link(claim, stance=Stance.CONTRADICTS, confidence=0.7))
    visible.append(public_link(claim, stance=Stance.MENTIONS, confidence=0.5))
    ClaimLinkFactory(claim=claim, source=SourceFactory(**published()), review_state=LinkReviewState.SUGGESTED)
    ClaimLinkFactory(
        claim=claim,
        source=SourceFactory(**published()),
        review_state=LinkReviewState.REJECTED,
        reviewed_by=editor,
        reviewed_at=timezone.now(),
    )
    public_link(claim, source=SourceFactory(), stance=Stance.SUPPORTS)
    claim.visible_links = visible
    return claim


def test_a_listed_claim_counts_its_public_links_by_stance_instead_of_embedding_them(api, claim_with_links):
    (listed,) = api.get("/api/v1/claims/").json()["results"]

    assert "links" not in listed
    assert listed["link_counts"] == {"supports": 3, "contradicts": 1, "mentions": 1, "total": 5}
    assert listed["links_url"] == f"http://testserver/api/v1/claims/{claim_with_links.slug}/links/"


def test_a_claim_without_public_links_counts_zero(api, db):
    claim = ClaimFactory(**published())
    ClaimLinkFactory(claim=claim, source=SourceFactory(**published()), review_state=LinkReviewState.SUGGESTED)

    (listed,) = api.get("/api/v1/claims/").json()["results"]

    assert listed["link_counts"] == {"supports": 0, "contradicts": 0, "mentions": 0, "total": 0}


def test_the_links_list_has_every_public_link_with_source_and_quote_newest_first(api, claim_with_links):
    quote = QuoteFactory(source=claim_with_links.visible_links[0].source, text="They were warned.", **published())
    claim_with_links.visible_links[0].quote = quote
    claim_with_links.visible_links[0].save()

    body = api.get(f"/api/v1/claims/{claim_with_links.slug}/links/").json()

    assert [link["id"] for link in body["results"]] == sorted(
        (link.pk for link in claim_with_links.visible_links), reverse=True
    )
    by_id = {link["id"]: link for link in body["results"]}
    first = by_id[claim_with_links.visible_links[0].pk]
    assert first["source"]["id"] == claim_with_links.visible_links[0].source_id
    assert first["quote"]["text"] == "They were warned."
    assert body["next"] is None


def test_the_links_list_answers_to_the_claim_id_as_to_its_slug(api, claim_with_links):
    by_slug = api.get(f"/api/v1/claims/{claim_with_links.slug}/links/").json()

    by_id = api.get(f"/api/v1/claims/{claim_with_links.pk}/links/").json()

    assert by_id == by_slug


def test_the_links_list_filters_by_stance_and_orders_by_confidence(api, claim_with_links):
    strongest_first = api.get(
        f"/api/v1/claims/{claim_with_links.slug}/links/", {"stance": "supports", "ordering": "-confidence"}
    ).json()["results"]

    assert [link["confidence"] for link in strongest_first] == [0.9, 0.8, 0.6]
    assert {link["stance"] for link in strongest_first} == {"supports"}


def test_the_links_list_comes_in_cursor_pages_that_visit_each_link_once(api, claim_with_links):
    seen, url, pages = [], f"/api/v1/claims/{claim_with_links.slug}/links/?page_size=2", 0
    while url:
        body = api.get(url).json()
        seen += [link["id"] for link in body["results"]]
        url, pages = body["next"], pages + 1

    assert pages == 3
    assert sorted(seen) == sorted(link.pk for link in claim_with_links.visible_links)


def test_the_links_list_of_a_merged_claim_redirects_to_the_survivors(api, db):
    survivor = ClaimFactory(**published())
    ClaimFactory(slug="merged-duplicate", merged_into=survivor, **published())

    response = api.get("/api/v1/claims/merged-duplicate/links/")

    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/claims/{survivor.slug}/links/"


@pytest.mark.parametrize("key", ["no-such-claim", "999999", "99999999999999999999999", "a-draft"])
def test_the_links_list_of_an_unknown_or_unpublished_claim_answers_404(api, db, key):
    ClaimFactory(slug="a-draft")

    response = api.get(f"/api/v1/claims/{key}/links/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_detail_embeds_the_strongest_links_of_each_stance_up_to_the_bound(api, db):
    claim = ClaimFactory(**published())
    supports = [
        public_link(claim, stance=Stance.SUPPORTS, confidence=round(0.3 + n / 100, 2))
        for n in range(API_DETAIL_LINKS_PER_STANCE + 3)
    ]
    contradicts = [public_link(claim, stance=Stance.CONTRADICTS, confidence=0.2)]

    detail = api.get(f"/api/v1/claims/{claim.slug}/").json()

    strongest = sorted(supports, key=lambda link: -link.confidence)[:API_DETAIL_LINKS_PER_STANCE]
    assert [link["id"] for link in detail["links"]] == [contradicts[0].pk] + [link.pk for link in strongest]
    assert detail["link_counts"]["supports"] == API_DETAIL_LINKS_PER_STANCE + 3
    assert detail["links_url"].endswith(f"/api/v1/claims/{claim.slug}/links/")


def test_the_claim_list_as_csv_has_a_column_per_stance_count(api, claim_with_links):
    response = api.get("/api/v1/claims/", HTTP_ACCEPT="text/csv")

    (row,) = csv.DictReader(io.StringIO(response.content.decode()))
    assert (row["link_counts.supports"], row["link_counts.total"]) == ("3", "5")


@pytest.mark.parametrize("endpoint", ["list", "detail", "links"])
def test_query_count_does_not_grow_with_the_number_of_links(api, db, endpoint, django_assert_max_num_queries):
    claims = [ClaimFactory(**published()) for _ in range(3)]
    paths = {
        "list": "/api/v1/claims/",
        "detail": f"/api/v1/claims/{claims[0].slug}/",
        "links": f"/api/v1/claims/{claims[0].slug}/links/",
    }
    budget = {"list": 5, "detail": 7, "links": 3}
    for count in (1, 8):
        for claim in claims:
            for _ in range(count):
                public_link(claim, quote=QuoteFactory(**published()))
        with django_assert_max_num_queries(budget[endpoint]):
            response = api.get(paths[endpoint])
        assert response.status_code == 200
