"""Search across claims, people, incidents and sources: spelling variants, accents, typos, filters."""

from __future__ import annotations

import pytest
from django.utils import timezone

from claims.models import Claim
from tests.factories import ClaimFactory, PersonFactory, SourceFactory

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


def test_a_surname_sharing_only_its_ending_is_not_taken_for_the_searched_one(client, db):
    published = {"is_published": True, "published_at": timezone.now()}
    janssens = PersonFactory(name="Tom Janssens", slug="tom-janssens", **published)
    goossens = PersonFactory(name="Hilde Goossens", slug="hilde-goossens", **published)

    people = _section(_search(client, q="Janssens"), "people-results")

    assert f'href="/people/{janssens.slug}/"' in people
    assert f'href="/people/{goossens.slug}/"' not in people


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
    # Words few records have (as here) cost one query each for claims and sources: their spellings.
    with django_assert_max_num_queries(13):
        _search(client, q="Bakrawi Brussels")


def test_date_range_narrows_claims_and_ignores_malformed_dates(client, demo_story):
    inside = client.get("/search/", {"q": "Bakrawi", "from": "2016-03-01", "to": "2016-03-31"}).content.decode()
    assert "Belgium ignored Turkey" in inside
    before = client.get("/search/", {"q": "Bakrawi", "to": "2015-12-31"}).content.decode()
    assert "Belgium ignored Turkey" not in before
    malformed = client.get("/search/", {"q": "Bakrawi", "from": "March 2016"})
    assert malformed.status_code == 200
    assert "Belgium ignored Turkey" in malformed.content.decode()


def test_incident_filter_is_a_text_field_suggesting_the_busiest_incidents_not_a_list_of_all(
    client, demo_story, published
):
    from tests.factories import IncidentFactory

    IncidentFactory(name="A quiet incident nobody wrote about", **published)

    page = _search(client, q="Bakrawi")

    assert '<select id="incident"' not in page
    assert '<input id="incident" type="text" name="incident"' in page
    suggestions = page.split('<datalist id="incident-suggestions">')[1].split("</datalist>")[0]
    assert '<option value="brussels-bombings-2016">2016 Brussels bombings</option>' in suggestions
    assert "A quiet incident" not in suggestions


@pytest.mark.parametrize("typed", ["brussels-bombings-2016", "2016 Brussels bombings", "brussels bombings 2016"])
def test_incident_filter_accepts_the_slug_or_the_name(client, demo_story, published, typed):
    from tests.factories import ClaimFactory, IncidentFactory

    other = IncidentFactory(name="2016 Paris floods", **published)
    ClaimFactory(text="Bakrawi had nothing to do with the floods", incident=other, **published)

    page = _search(client, q="Bakrawi", incident=typed)

    claims = _section(page, "claim-results")
    assert "Belgium ignored Turkey" in claims
    assert "nothing to do with the floods" not in claims
    assert 'value="brussels-bombings-2016"' in page.split("<datalist")[0]
    assert "Only what concerns the incident “2016 Brussels bombings”" in page


def test_an_incident_name_fitting_several_offers_a_choice_and_filters_nothing(client, demo_story, published):
    from tests.factories import IncidentFactory

    IncidentFactory(name="2016 Brussels floods", slug="brussels-floods-2016", **published)

    page = _search(client, q="Bakrawi", incident="Brussels")

    assert "“Brussels” does not name one incident" in page
    assert 'href="?q=Bakrawi&amp;incident=brussels-floods-2016"' in page
    assert 'href="?q=Bakrawi&amp;incident=brussels-bombings-2016"' in page
    assert "Belgium ignored Turkey" in _section(page, "claim-results")


def test_a_misspelt_incident_name_is_offered_as_a_choice_not_applied(client, demo_story):
    page = _search(client, q="Bakrawi", incident="Brusels bombngs")

    assert "“Brusels bombngs” does not name one incident" in page
    assert 'href="?q=Bakrawi&amp;incident=brussels-bombings-2016"' in page
    assert "Only what concerns the incident" not in page


def test_an_unknown_incident_says_so_and_filters_nothing(client, demo_story):
    page = _search(client, q="Bakrawi", incident="Xylophone")

    assert "No incident matches “Xylophone”" in page
    assert "Belgium ignored Turkey" in _section(page, "claim-results")


def test_search_ranks_a_word_in_a_source_title_above_the_same_word_in_its_text(client, db):
    from django.utils import timezone

    from tests.factories import SourceFactory

    now = timezone.now()
    in_text = SourceFactory(
        title="Budget debate", text="The minister spoke about the harbour.", is_published=True, published_at=now
    )
    in_title = SourceFactory(title="Harbour strike", text="Dockers stopped work.", is_published=True, published_at=now)

    sources = _section(_search(client, q="harbour"), "source-results")

    assert sources.index(f"/sources/{in_title.pk}/") < sources.index(f"/sources/{in_text.pk}/")


def test_a_common_word_ranks_only_the_newest_matches(client, db, monkeypatch):
    import datetime

    from django.utils import timezone

    from claims import selectors
    from tests.factories import SourceFactory

    monkeypatch.setattr(selectors, "RANKED_MATCHES", 3)
    now = timezone.now()
    old_title_match = SourceFactory(
        title="Harbour",
        is_published=True,
        published_at=now - datetime.timedelta(days=400),
    )
    newer = [
        SourceFactory(
            title=f"Report {n}",
            text="Something about the harbour.",
            is_published=True,
            published_at=now - datetime.timedelta(days=n),
        )
        for n in range(3)
    ]

    sources = _section(_search(client, q="harbour"), "source-results")

    assert f"/sources/{old_title_match.pk}/" not in sources
    assert all(f"/sources/{source.pk}/" in sources for source in newer)


def test_a_misspelt_word_finds_sources_by_their_title(client, db):
    source = SourceFactory(title="Jambon offers to resign", is_published=True, published_at=timezone.now())

    sources = _section(_search(client, q="Jambom"), "source-results")

    assert f"/sources/{source.pk}/" in sources


def test_a_misspelt_common_name_finds_the_sources_with_the_name_as_titles_spell_it(client, db, monkeypatch):
    from claims import selectors

    monkeypatch.setattr(selectors, "TYPO_TOLERANCE_BELOW", 3)
    published = {"is_published": True, "published_at": timezone.now()}
    named = [SourceFactory(title=f"Janssens under pressure ({n})", **published) for n in range(4)]
    in_the_text = SourceFactory(title="Pressure grows", text="Minister Janssens spoke.", **published)
    unrelated = SourceFactory(title="Peeters under pressure", text="Minister Peeters spoke.", **published)

    sources = _section(_search(client, q="Jansens"), "source-results")

    # Read as "janssens", a word of the titles: found in titles and in texts alike.
    assert all(f"/sources/{source.pk}/" in sources for source in [*named, in_the_text])
    assert f"/sources/{unrelated.pk}/" not in sources


def test_a_word_many_sources_have_is_not_diluted_by_titles_that_only_look_like_it(client, db, monkeypatch):
    from claims import selectors

    monkeypatch.setattr(selectors, "TYPO_TOLERANCE_BELOW", 3)
    published = {"is_published": True, "published_at": timezone.now()}
    having = [SourceFactory(text=f"Minister Goossens-Janssens spoke ({n}).", **published) for n in range(3)]
    look_alike = SourceFactory(title="Janssens resigns", text="Another minister.", **published)

    sources = _section(_search(client, q="Goossens-Janssens"), "source-results")

    assert all(f"/sources/{source.pk}/" in sources for source in having)
    assert f"/sources/{look_alike.pk}/" not in sources


def test_a_phrase_many_claims_have_is_not_diluted_by_claims_that_only_look_like_it(client, db, monkeypatch):
    from claims import selectors
    from tests.factories import ClaimFactory

    monkeypatch.setattr(selectors, "TYPO_TOLERANCE_BELOW", 3)
    published = {"is_published": True, "published_at": timezone.now()}
    having = [ClaimFactory(text=f"Minister Goossens-Janssens knew ({n}).", **published) for n in range(3)]
    look_alike = ClaimFactory(text="Janssens resigns over the attacks.", **published)

    claims = _section(_search(client, q="Goossens-Janssens"), "claim-results")

    assert all(f'href="/claims/{claim.slug}/"' in claims for claim in having)
    assert f'href="/claims/{look_alike.slug}/"' not in claims


def test_a_misspelt_common_name_finds_the_claims_about_and_by_the_name_as_claims_spell_it(client, db, monkeypatch):
    from claims import selectors

    monkeypatch.setattr(selectors, "TYPO_TOLERANCE_BELOW", 3)
    published = {"is_published": True, "published_at": timezone.now()}
    about = [ClaimFactory(text=f"Minister Janssens ignored warning number {n}", **published) for n in range(2)]
    by = ClaimFactory(text="The prison service was understaffed", claimant_person=PersonFactory(name="Jan Janssens"))
    by.is_published, by.published_at = True, timezone.now()
    by.save()
    unrelated = ClaimFactory(text="Minister Peeters ignored the warning", **published)

    claims = _section(_search(client, q="Jansens"), "claim-results")

    # Read as "janssens", a word of the claims: found in texts and in claimants' names alike.
    assert all(f"/claims/{claim.slug}/" in claims for claim in [*about, by])
    assert f"/claims/{unrelated.slug}/" not in claims
