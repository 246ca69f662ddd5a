"""Every public page type: what it shows, what it hides, redirects for merged records, and query budgets."""

from __future__ import annotations

import datetime

import pytest

from accountability.models import Incident, Organisation, Person
from claims.models import Claim, ClaimLink, LinkReviewState, Source, Stance
from tests.factories import ClaimFactory, ClaimLinkFactory, PersonFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _page(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_home_lists_offers_claims_incidents_and_developments(client, demo_story, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        page = _page(client.get("/"))
    assert "Open resignation questions" in page
    assert "Every recorded resignation offer has an outcome." in page
    assert "Jan Jambon" in page
    assert "Refused" in page
    assert "Accepted responsibility" in page
    assert 'href="/incidents/brussels-bombings-2016/"' in page
    assert 'href="/claims/turkey-twice-deported-ibrahim-al-bakrawi/"' in page


def test_home_lists_an_offer_without_outcome_as_open_question(client, demo_story, published):
    from accountability.models import AccountabilityEvent, EventKind

    AccountabilityEvent.objects.create(
        kind=EventKind.RESIGNATION_OFFERED,
        person=demo_story.michel,
        occurred_on=demo_story.jambon_offer.occurred_on,
        summary="Michel offered to resign.",
        **published,
    )
    page = _page(client.get("/"))
    open_section = page.split('id="open-heading"')[1].split("</section>")[0]
    assert "Charles Michel" in open_section
    assert "No outcome recorded" in open_section
    assert "Jan Jambon" not in open_section


def test_claim_page_shows_statement_claimant_status_history_and_sources(
    client, demo_story, claim_url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        page = _page(client.get(claim_url))
    assert "Belgium ignored Turkey&#x27;s warning that Ibrahim al-Bakrawi" in page
    assert 'href="/organisations/government-of-turkey/"' in page
    assert "Unverified" in page
    assert "Claim recorded." in page
    assert "Belgian interior and justice ministers offered to resign" in page
    assert "Belgium ignored Turkey&#x27;s warning that Bakrawi was a militant" in page
    assert 'href="/claims/the-three-brussels-bombers-were-known-to-police/"' in page
    assert '<h1 lang="en">' in page


def test_claim_page_shows_status_change_reason_and_evidence(client, demo_story, claim_url, editor):
    from claims.services import claim_status_change

    evidence = SourceFactory(
        title="Turkish presidency statement", is_published=True, published_at=demo_story.article.published_at
    )
    claim = Claim.objects.get(slug=claim_url.split("/")[2])
    claim_status_change(
        claim=claim,
        to_status="corroborated",
        reason="Confirmed by the Turkish presidency.",
        evidence=[evidence],
        actor=editor,
    )
    page = _page(client.get(claim_url))
    history = page.split('id="history-heading"')[1]
    assert "Corroborated" in history
    assert "Confirmed by the Turkish presidency." in history
    assert "Turkish presidency statement" in history


def test_claim_page_shows_only_confirmed_links_of_published_sources(client, demo_story, claim_url):
    claim = Claim.objects.get(slug=claim_url.split("/")[2])
    ClaimLinkFactory(
        claim=claim,
        source=SourceFactory(title="Suggested only", is_published=True, published_at=demo_story.article.published_at),
    )
    ClaimLinkFactory(
        claim=claim,
        source=SourceFactory(
            title="Matcher confirmed", is_published=True, published_at=demo_story.article.published_at
        ),
        review_state=LinkReviewState.AUTO_CONFIRMED,
        stance=Stance.CONTRADICTS,
    )
    ClaimLinkFactory(
        claim=claim, source=SourceFactory(title="Unpublished source"), review_state=LinkReviewState.AUTO_CONFIRMED
    )
    page = _page(client.get(claim_url))
    assert "Matcher confirmed" in page
    assert "Contradicts the claim" in page
    assert "Suggested only" not in page
    assert "Unpublished source" not in page


def test_unpublished_claim_answers_404(client, demo_story, claim_url):
    Claim.objects.filter(slug=claim_url.split("/")[2]).update(is_published=False, published_at=None)
    assert client.get(claim_url).status_code == 404


def test_merged_claim_redirects_permanently_to_the_winner(client, demo_story, claim_url):
    winner = Claim.objects.get(slug="turkey-twice-deported-ibrahim-al-bakrawi")
    Claim.objects.filter(slug=claim_url.split("/")[2]).update(merged_into=winner)
    response = client.get(claim_url)
    assert response.status_code == 301
    assert response["Location"] == "/claims/turkey-twice-deported-ibrahim-al-bakrawi/"


def test_unknown_claim_answers_404(client, db):
    assert client.get("/claims/no-such-claim/").status_code == 404


def test_person_page_shows_posts_timeline_outcomes_and_claims(client, demo_story, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        page = _page(client.get("/people/koen-geens/"))
    assert "Minister of Justice" in page
    assert '<time datetime="2014-10-11">' in page
    assert "Offered to resign" in page
    assert "Resignation offer refused" in page
    assert 'href="/people/charles-michel/"' in page
    assert "Ibrahim El Bakraoui was on parole" in page
    assert 'href="/feeds/people/koen-geens/"' in page


def test_person_page_shows_name_variants_and_statements(client, demo_story):
    assert "Bakrawi" in _page(client.get("/people/ibrahim-el-bakraoui/"))
    assert "I confirm I tendered my resignation" in _page(client.get("/people/jan-jambon/"))


def test_person_page_lists_decisions_taken(client, demo_story):
    page = _page(client.get("/people/charles-michel/"))
    decisions = page.split('id="decisions-heading"')[1].split("</section>")[0]
    assert "Jan Jambon" in decisions
    assert "Koen Geens" in decisions


def test_date_precision_is_respected(client, demo_story):
    from accountability.models import Term

    Term.objects.filter(person=demo_story.geens).update(started_on_precision="year")
    page = _page(client.get("/people/koen-geens/"))
    assert '<time datetime="2014">2014</time>' in page


def test_unpublished_person_answers_404(client, demo_story):
    Person.objects.filter(pk=demo_story.geens.pk).update(is_published=False, published_at=None)
    assert client.get("/people/koen-geens/").status_code == 404


def test_merged_person_redirects_permanently_to_the_winner(client, demo_story, published):
    duplicate = PersonFactory(name="J. Jambon", slug="j-jambon", merged_into=demo_story.jambon, **published)
    response = client.get(f"/people/{duplicate.slug}/")
    assert response.status_code == 301
    assert response["Location"] == "/people/jan-jambon/"


def test_person_merged_into_an_unpublished_person_answers_404(client, demo_story, published):
    hidden = PersonFactory(slug="hidden")
    PersonFactory(slug="loser", merged_into=hidden, **published)
    assert client.get("/people/loser/").status_code == 404


def test_incident_page_shows_facts_events_and_claims(client, demo_story, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        page = _page(client.get("/incidents/brussels-bombings-2016/"))
    assert "2016 Brussels bombings" in page
    assert "Maelbeek" in page
    assert "<dd>31</dd>" in page
    assert "<dd>300</dd>" in page
    assert "Koen Geens" in page
    assert "The three bombers who carried out the Brussels attacks were known to police." in page


def test_unpublished_incident_answers_404(client, demo_story):
    Incident.objects.filter(pk=demo_story.incident.pk).update(is_published=False, published_at=None)
    assert client.get("/incidents/brussels-bombings-2016/").status_code == 404


def test_organisation_page_shows_office_holders_and_claims(client, demo_story, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        page = _page(client.get("/organisations/government-of-belgium/"))
    assert "Federal Government of Belgium" in page
    assert 'href="/organisations/belgium/"' in page
    assert 'href="/organisations/belgian-federal-police/"' in page
    assert "Prime Minister" in page
    assert 'href="/people/charles-michel/"' in page
    assert "Belgium ignored Turkey" in page


def test_organisation_page_shows_claims_it_made(client, demo_story):
    page = _page(client.get("/organisations/government-of-turkey/"))
    made = page.split('id="claims-made-heading"')[1].split("</section>")[0]
    assert "Turkey deported Ibrahim al-Bakrawi twice in 2015." in made


def test_unpublished_and_merged_organisations(client, demo_story, published):
    Organisation.objects.filter(slug="le-soir").update(is_published=False, published_at=None)
    assert client.get("/organisations/le-soir/").status_code == 404
    Organisation.objects.filter(slug="turkey").update(merged_into=Organisation.objects.get(slug="belgium"))
    response = client.get("/organisations/turkey/")
    assert response.status_code == 301
    assert response["Location"] == "/organisations/belgium/"


def test_source_page_shows_quotes_claims_and_events(client, demo_story, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        page = _page(client.get(f"/sources/{demo_story.article.pk}/"))
    assert "Belgian interior and justice ministers offered to resign over Brussels attacks" in page
    assert "I confirm I tendered my resignation" in page
    assert "Le Soir" in page
    assert 'href="/claims/belgium-ignored-turkeys-warning-about-ibrahim-al-bakrawi/"' in page
    assert "Offered to resign" in page


def test_unpublished_source_answers_404(client, demo_story):
    hidden = SourceFactory()
    assert client.get(f"/sources/{hidden.pk}/").status_code == 404
    Source.objects.filter(pk=demo_story.article.pk).update(is_published=False, published_at=None)
    assert client.get(f"/sources/{demo_story.article.pk}/").status_code == 404


def test_source_page_hides_links_to_unpublished_claims(client, demo_story, published):
    hidden_claim = ClaimFactory(text="A draft claim nobody may read yet.")
    ClaimLink.objects.create(
        claim=hidden_claim,
        source=demo_story.article,
        stance=Stance.SUPPORTS,
        confidence=0.9,
        origin="matcher",
        matcher_version="test",
        review_state=LinkReviewState.AUTO_CONFIRMED,
    )
    assert "A draft claim nobody may read yet." not in _page(client.get(f"/sources/{demo_story.article.pk}/"))


def test_methodology_page_explains_statuses_and_linking(client, db):
    page = _page(client.get("/methodology/"))
    for status in ("Unverified", "Disputed", "Corroborated", "Confirmed", "Refuted", "Retracted"):
        assert status in page
    assert "review queue" in page


def test_pages_have_landmarks_and_skip_link(client, demo_story, claim_url):
    page = _page(client.get(claim_url))
    assert '<main id="main"' in page
    assert "<header" in page
    assert "<nav" in page
    assert "<footer" in page
    assert 'href="#main"' in page
    assert 'name="viewport"' in page


def test_claim_list_pages_stay_within_budget_as_data_grows(
    client, demo_story, published, django_assert_max_num_queries
):
    incident = demo_story.incident
    for number in range(15):
        claim = ClaimFactory(text=f"Extra claim {number}", incident=incident, **published)
        claim.subject_people.add(demo_story.geens)
        ClaimLinkFactory(claim=claim, source=demo_story.article, review_state=LinkReviewState.AUTO_CONFIRMED)
    with django_assert_max_num_queries(8):
        _page(client.get("/"))
    with django_assert_max_num_queries(8):
        _page(client.get("/incidents/brussels-bombings-2016/"))
    with django_assert_max_num_queries(14):
        _page(client.get("/people/koen-geens/"))
    with django_assert_max_num_queries(8):
        _page(client.get(f"/sources/{demo_story.article.pk}/"))
    with django_assert_max_num_queries(12):
        _page(client.get("/organisations/government-of-belgium/"))


def test_person_page_shows_claims_fifty_at_a_time_and_keeps_its_other_parts(client, demo_story, published):
    from django.db.models import Q

    from accountability.views import CLAIMS_PER_PAGE

    for number in range(CLAIMS_PER_PAGE + 3):
        ClaimFactory(
            text=f"Numbered claim {number:03d}",
            claimant_person=demo_story.geens,
            first_made_on=datetime.date(2020, 1, 1 + number % 28),
            **published,
        )
    geens = demo_story.geens
    total = Claim.objects.filter(Q(subject_people=geens) | Q(claimant_person=geens), is_published=True).distinct()

    first = _page(client.get("/people/koen-geens/"))
    second = _page(client.get("/people/koen-geens/", {"page": 2}))

    claims_on = [page.split('id="claims-heading"')[1].count("Numbered claim") for page in (first, second)]
    total = total.count()
    assert claims_on == [CLAIMS_PER_PAGE, CLAIMS_PER_PAGE + 3 - CLAIMS_PER_PAGE]
    assert f'<span class="count">({total})</span>' in first
    assert 'rel="next" href="?page=2#claims-heading"' in first
    assert 'rel="prev" href="?page=1#claims-heading"' in second
    assert "Page 2 of 2" in second
    for page in (first, second):
        assert "Minister of Justice" in page
        assert "Resignation offer refused" in page


@pytest.mark.parametrize("page", ["0", "x", "999"])
def test_person_page_with_an_impossible_page_number_still_answers(client, demo_story, page):
    response = client.get("/people/koen-geens/", {"page": page})

    assert response.status_code == 200
    assert "Ibrahim El Bakraoui was on parole" in response.content.decode()


def test_claim_page_shows_the_claims_headline_under_the_statement(client):
    claim = ClaimFactory(
        text="Turkey warned Belgium about Ibrahim El Bakraoui.",
        headline="Did Belgium ignore Turkey's warning?",
        is_published=True,
        published_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
    )
    page = client.get(f"/claims/{claim.slug}/").content.decode()
    assert '<p class="headline" lang="en">Did Belgium ignore Turkey&#x27;s warning?</p>' in page


def test_incident_page_shows_claims_fifty_at_a_time_and_keeps_its_events(client, demo_story, published):
    from accountability.views import CLAIMS_PER_PAGE

    incident = demo_story.incident
    for number in range(CLAIMS_PER_PAGE + 3):
        ClaimFactory(text=f"Numbered claim {number:03d}", incident=incident, **published)
    total = Claim.objects.filter(incident=incident, is_published=True, merged_into__isnull=True).count()

    first = _page(client.get("/incidents/brussels-bombings-2016/"))
    last = _page(client.get("/incidents/brussels-bombings-2016/", {"page": 2}))

    listed = [page.split('id="claims-heading"')[1].count('href="/claims/') for page in (first, last)]
    assert listed[0] == CLAIMS_PER_PAGE
    assert sum(listed) == total
    assert f'<span class="count">({total})</span>' in first
    assert 'rel="next" href="?page=2#claims-heading"' in first
    assert "Page 2 of 2" in last
    for page in (first, last):
        assert "Koen Geens" in page  # the events stay on every page
