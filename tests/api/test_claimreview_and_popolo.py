"""Structured exports: a claim as schema.org ClaimReview (JSON-LD), and the people, organisations, posts and terms
as one Popolo document."""

from __future__ import annotations

import pytest

from accountability.models import Person
from accountability.recording import publication_set

pytestmark = pytest.mark.django_db

CLAIM = "belgium-ignored-turkeys-warning-about-ibrahim-al-bakrawi"


def test_a_claim_is_served_as_a_claimreview_by_slug_and_by_id(api, demo_story):
    response = api.get(f"/api/v1/claims/{CLAIM}/claimreview/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    review = response.json()
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"].startswith("Belgium ignored Turkey's warning")
    assert review["itemReviewed"]["@type"] == "Claim"
    assert review["reviewRating"]["alternateName"]
    assert review["url"].endswith(f"/claims/{CLAIM}/")
    claim_id = api.get(f"/api/v1/claims/{CLAIM}/").json()["id"]
    assert api.get(f"/api/v1/claims/{claim_id}/claimreview/").json() == review


def test_an_unpublished_claim_has_no_claimreview(api, demo_story):
    from claims.models import Claim

    publication_set(record=Claim.objects.get(slug=CLAIM), is_published=False, actor=None)

    assert api.get(f"/api/v1/claims/{CLAIM}/claimreview/").status_code == 404


def test_the_popolo_export_holds_people_posts_organisations_and_memberships(api, demo_story):
    response = api.get("/api/v1/popolo/")

    assert response.status_code == 200
    document = response.json()
    persons = {person["id"]: person for person in document["persons"]}
    assert persons["charles-michel"]["name"] == "Charles Michel"
    bakraoui_names = {name["name"] for name in persons["ibrahim-el-bakraoui"]["other_names"]}
    assert {"Ibrahim al-Bakrawi", "Bakraoui", "El Bakraoui"} <= bakraoui_names
    posts = {post["id"]: post for post in document["posts"]}
    interior = posts["minister-of-security-and-the-interior-belgium"]
    assert interior["label"] == "Minister of Security and the Interior"
    organisations = {organisation["id"] for organisation in document["organizations"]}
    assert interior["organization_id"] in organisations
    jambon_memberships = [m for m in document["memberships"] if m["person_id"] == "jan-jambon"]
    assert [m["post_id"] for m in jambon_memberships] == ["minister-of-security-and-the-interior-belgium"]
    assert jambon_memberships[0]["start_date"].startswith("2014")
    every_reference = {m["person_id"] for m in document["memberships"]} | {
        m["post_id"] for m in document["memberships"]
    }
    assert every_reference <= set(persons) | set(posts)


def test_the_popolo_export_leaves_out_unpublished_people_and_their_memberships(api, demo_story):
    publication_set(record=Person.objects.get(slug="jan-jambon"), is_published=False, actor=None)

    document = api.get("/api/v1/popolo/").json()

    assert "jan-jambon" not in {person["id"] for person in document["persons"]}
    assert all(membership["person_id"] != "jan-jambon" for membership in document["memberships"])


def test_the_popolo_export_answers_304_when_unchanged(api, demo_story):
    first = api.get("/api/v1/popolo/")

    again = api.get("/api/v1/popolo/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
