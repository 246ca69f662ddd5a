"""ClaimReview and Person JSON-LD, escaping, Open Graph, canonical links, the sitemap."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from claims.models import Claim

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.DOTALL)


def _json_ld(page: str) -> list[dict]:
    return [json.loads(block) for block in JSON_LD.findall(page)]


def test_claim_page_carries_a_complete_claim_review(client, demo_story, claim_url):
    (review,) = _json_ld(client.get(claim_url).content.decode())
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"].startswith("Belgium ignored Turkey's warning")
    assert review["url"] == f"http://testserver{claim_url}"
    assert review["datePublished"]
    assert review["author"]["@type"] == "Organization"
    assert review["author"]["name"]
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {
        "@type": "Organization",
        "name": "Government of Turkey",
        "url": "http://testserver/organisations/government-of-turkey/",
    }
    assert item["datePublished"] == "2016-03-24"
    assert item["firstAppearance"]["datePublished"] == "2016-03-24"
    assert review["reviewRating"]["alternateName"] == "Unverified"


@pytest.mark.parametrize(
    ("status", "value", "words"),
    [
        ("refuted", 1, "False"),
        ("disputed", 3, "Disputed"),
        ("corroborated", 4, "Corroborated"),
        ("confirmed", 5, "True"),
    ],
)
def test_claim_review_rating_follows_the_status(client, demo_story, claim_url, status, value, words):
    Claim.objects.filter(slug=claim_url.split("/")[2]).update(status=status)
    (review,) = _json_ld(client.get(claim_url).content.decode())
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": words,
        "ratingValue": value,
        "bestRating": 5,
        "worstRating": 1,
    }


def test_claim_text_cannot_break_out_of_the_json_ld_script(client, demo_story, claim_url):
    hostile = 'Evil </script><script>alert("x")</script> & <!-- claim'
    Claim.objects.filter(slug=claim_url.split("/")[2]).update(text=hostile)
    page = client.get(claim_url).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert page.count("<script") == 1
    (review,) = _json_ld(page)
    assert review["claimReviewed"] == hostile


def test_person_page_carries_person_json_ld(client, demo_story):
    (person,) = _json_ld(client.get("/people/jan-jambon/").content.decode())
    assert person["@type"] == "Person"
    assert person["name"] == "Jan Jambon"
    assert person["sameAs"] == ["https://www.wikidata.org/wiki/Q1977542"]
    (role,) = person["memberOf"]
    assert role["roleName"] == "Minister of Security and the Interior"
    assert role["startDate"] == "2014-10-11"
    assert role["endDate"] == "2018-12-09"
    (bakraoui,) = _json_ld(client.get("/people/ibrahim-el-bakraoui/").content.decode())
    assert "Bakrawi" in bakraoui["alternateName"]


def test_pages_have_canonical_open_graph_twitter_and_hreflang(client, demo_story, claim_url):
    page = client.get(claim_url).content.decode()
    assert f'<link rel="canonical" href="http://testserver{claim_url}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:title" content="Belgium ignored Turkey' in page
    assert '<meta name="twitter:card" content="summary">' in page
    assert f'<link rel="alternate" hreflang="fr" href="http://testserver/fr{claim_url}">' in page
    assert f'<link rel="alternate" hreflang="nl" href="http://testserver/nl{claim_url}">' in page
    assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{claim_url}">' in page


def test_sitemap_lists_published_pages_in_every_language(client, demo_story, claim_url):
    Claim.objects.filter(slug="turkey-twice-deported-ibrahim-al-bakrawi").update(is_published=False, published_at=None)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap, not untrusted input
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {element.text for element in root.findall("s:url/s:loc", namespace)}
    assert f"http://testserver{claim_url}" in locations
    assert f"http://testserver/fr{claim_url}" in locations
    assert "http://testserver/people/jan-jambon/" in locations
    assert "http://testserver/incidents/brussels-bombings-2016/" in locations
    assert f"http://testserver/sources/{demo_story.article.pk}/" in locations
    assert "http://testserver/claims/turkey-twice-deported-ibrahim-al-bakrawi/" not in locations
