"""The seed article's story, asked the way a reader would ask it."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps

from accountability.demo.story import OFFER_DAY, load_demo_story
from accountability.models import EventKind, Organisation
from accountability.selectors import person_find_by_name, person_holds_post_on, resignation_offers
from claims.models import Quote
from claims.selectors import claims_concerning_organisation

pytestmark = pytest.mark.django_db


def test_who_refused_jambons_offer_and_when(demo_story, django_assert_num_queries):
    with django_assert_num_queries(1):
        offer = resignation_offers(published_only=True).get(person=demo_story.jambon)
    assert offer.outcome == EventKind.RESIGNATION_REFUSED
    assert offer.decided_by_name == "Charles Michel"
    assert offer.outcome_on == OFFER_DAY
    assert offer.post.title == "Minister of Security and the Interior"


def test_both_offers_were_refused_by_michel(demo_story):
    offers = {offer.person.name: offer for offer in resignation_offers()}
    assert set(offers) == {"Jan Jambon", "Koen Geens"}
    assert {offer.decided_by_name for offer in offers.values()} == {"Charles Michel"}
    assert {offer.outcome for offer in offers.values()} == {EventKind.RESIGNATION_REFUSED}


def test_geens_is_still_justice_minister_after_his_refused_offer(demo_story):
    day_after = OFFER_DAY + datetime.timedelta(days=1)
    assert person_holds_post_on(person=demo_story.geens, post_title="Minister of Justice", day=day_after)
    offer = resignation_offers().get(person=demo_story.geens)
    assert offer.left_post is False
    assert offer.term_ended_on == datetime.date(2020, 10, 1)


def test_claims_concerning_the_belgian_government(demo_story):
    government = Organisation.objects.get(slug="government-of-belgium")
    texts = {claim.text for claim in claims_concerning_organisation(organisation=government, published_only=True)}
    assert texts == {
        "Belgium ignored Turkey's warning that Ibrahim al-Bakrawi, one of the Brussels bombers, was a militant.",
        "The three bombers who carried out the Brussels attacks were known to police.",
        "Ibrahim El Bakraoui was on parole, barely half-way through a nine-year sentence for armed robbery, "
        "when he carried out the attack.",
    }


def test_turkey_is_the_claimant_of_the_ignored_warning(demo_story):
    government = Organisation.objects.get(slug="government-of-belgium")
    claim = claims_concerning_organisation(organisation=government).get(slug__startswith="belgium-ignored")
    assert claim.claimant_organisation.name == "Government of Turkey"
    assert claim.incident == demo_story.incident
    assert claim.links.get().quote.text == "Belgium ignored Turkey's warning that Bakrawi was a militant"


@pytest.mark.parametrize(
    "spelling", ["Ibrahim al-Bakrawi", "Bakraoui", "bakrawi", "EL BAKRAOUI", "Ibrahim El Bakraoui"]
)
def test_every_spelling_of_the_bomber_is_one_person(demo_story, spelling):
    assert list(person_find_by_name(name=spelling)) == [demo_story.bakraoui]


def test_jambon_told_le_soir_he_tendered_his_resignation(demo_story):
    quote = Quote.objects.get(text="I confirm I tendered my resignation")
    assert quote.speaker == demo_story.jambon
    assert quote.said_to == "Le Soir"
    assert quote.source == demo_story.article


def test_jambon_accepted_political_responsibility(demo_story):
    event = demo_story.jambon.accountability_events.get(kind=EventKind.RESPONSIBILITY_ACCEPTED)
    assert event.incident == demo_story.incident
    assert list(event.sources.all()) == [demo_story.article]


def test_the_bombings_are_recorded_with_their_toll(demo_story):
    incident = demo_story.incident
    assert (incident.deaths, incident.injuries, incident.occurred_on) == (31, 300, datetime.date(2016, 3, 22))
    assert "Zaventem" in incident.location
    assert "Maelbeek" in incident.location


def test_every_story_record_is_published_and_names_who_recorded_it(demo_story):
    for model in (apps.get_model("claims", "Claim"), apps.get_model("accountability", "AccountabilityEvent")):
        assert model.objects.filter(is_published=False).count() == 0
        assert model.objects.filter(recorded_by__username="demo-loader").count() == model.objects.count()


def test_loading_the_story_twice_changes_nothing(demo_story):
    def snapshot() -> dict[str, int]:
        return {
            model._meta.label: model.objects.count()
            for model in apps.get_models()
            if model._meta.app_label in {"accountability", "claims"}
        }

    before = snapshot()
    load_demo_story()
    assert snapshot() == before
