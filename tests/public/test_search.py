"""Search across claims, people, incidents and sources: spelling variants, accents, typos, filters."""

from __future__ import annotations

import pytest

from claims.models import Claim

pytestmark = pytest.mark.django_db


def _section(page: str, heading_id: str) -> str:
    if f'id="{heading_id}"' not in page:
        return ""
    return page.split(f'id="{heading_id}"')[1].split("</section>")[0]


def _search(client, **params) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_spelling_variant_finds_the_person(client, demo_story):
    people = _section(_search(client, q="Bakrawi"), "people-results")
    assert 'href="/people/ibrahim-el-bakraoui/"' in people


def test_search_ignores_accents(client, demo_story):
    assert 'href="/people/ibrahim-el-bakraoui/"' in _section(_search(client, q="Bâkraoüi"), "people-results")
    assert 'href="/incidents/brussels-bombings-2016/"' in _section(_search(client, q="Brüssels"), "incident-results")
    assert "known to police" in _section(_search(client, q="políce"), "claim-results")


def test_search_tolerates_a_typo(client, demo_story):
    assert 'href="/people/jan-jambon/"' in _section(_search(client, q="Jambom"), "people-results")
    assert 'href="/people/koen-geens/"' in _section(_search(client, q="Koen Gens"), "people-results")
    assert "deported" in _section(_search(client, q="deportd"), "claim-results")


def test_search_finds_claims_and_sources_by_words(client, demo_story):
    page = _search(client, q="parole sentence")
    assert "Ibrahim El Bakraoui was on parole" in _section(page, "claim-results")
    sources = _section(_search(client, q="resign ministers"), "source-results")
    assert f'href="/sources/{demo_story.article.pk}/"' in sources


def test_search_filters_by_status_country_and_incident(client, demo_story):
    Claim.objects.filter(slug="turkey-twice-deported-ibrahim-al-bakrawi").update(status="refuted")
    refuted = _section(_search(client, q="Bakrawi", status="refuted"), "claim-results")
    assert "Turkey deported" in refuted
    assert "ignored Turkey" not in refuted
    assert _section(_search(client, q="Bakrawi", country="FR"), "claim-results") == ""
    assert "Turkey deported" in _section(_search(client, q="Bakrawi", country="TR"), "claim-results")
    by_incident = _section(_search(client, incident="brussels-bombings-2016"), "claim-results")
    assert by_incident.count("<li>") == 4


def test_search_hides_unpublished_records(client, demo_story):
    Claim.objects.filter(slug="turkey-twice-deported-ibrahim-al-bakrawi").update(is_published=False, published_at=None)
    assert "Turkey deported" not in _search(client, q="deported")


def test_search_without_results_says_so(client, demo_story):
    assert "Nothing found" in _search(client, q="zzzqqxx")


def test_search_stays_within_query_budget(client, demo_story, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        _search(client, q="Bakrawi Brussels")


def test_date_range_narrows_claims_and_ignores_malformed_dates(client, demo_story):
    inside = client.get("/search/", {"q": "Bakrawi", "from": "2016-03-01", "to": "2016-03-31"}).content.decode()
    assert "Belgium ignored Turkey" in inside
    before = client.get("/search/", {"q": "Bakrawi", "to": "2015-12-31"}).content.decode()
    assert "Belgium ignored Turkey" not in before
    malformed = client.get("/search/", {"q": "Bakrawi", "from": "March 2016"})
    assert malformed.status_code == 200
    assert "Belgium ignored Turkey" in malformed.content.decode()
