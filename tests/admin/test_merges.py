"""Merging duplicate people and claims: everything moves to the record that stays; the duplicate's public address
answers 301 to it, and the API no longer lists the duplicate."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accountability.merging import person_merge
from accountability.models import PersonName, PersonNameKind
from accountability.recording import publication_set
from claims.merging import claim_merge
from tests.factories import (
    AccountabilityEventFactory,
    ClaimFactory,
    ClaimLinkFactory,
    PersonFactory,
    PostFactory,
    QuoteFactory,
    SourceFactory,
    TermFactory,
)


def _published(record, actor=None):
    return publication_set(record=record, is_published=True, actor=actor)


@pytest.fixture
def duplicate_people(db):
    winner = _published(PersonFactory(name="Ibrahim El Bakraoui", slug="ibrahim-el-bakraoui"))
    loser = _published(PersonFactory(name="Ibrahim al-Bakrawi", slug="ibrahim-al-bakrawi"))
    PersonName.objects.create(person=loser, name="El Bakraoui", normalized="el bakraoui")
    PersonName.objects.create(person=winner, name="El Bakraoui", normalized="el bakraoui")
    return loser, winner


def test_person_merge_moves_everything_to_the_winner(duplicate_people, publisher):
    loser, winner = duplicate_people
    post = PostFactory()
    same_term_winner = TermFactory(person=winner, post=post)
    same_term_loser = TermFactory(person=loser, post=post)
    term_source = SourceFactory()
    same_term_loser.sources.add(term_source)
    other_term = TermFactory(person=loser)
    offer = AccountabilityEventFactory(person=loser)
    decision = AccountabilityEventFactory(person=PersonFactory(), decided_by=loser)
    quote = QuoteFactory(speaker=loser)
    made = ClaimFactory(claimant_person=loser)
    about = ClaimFactory()
    about.subject_people.add(loser, winner)

    person_merge(loser=loser, winner=winner, actor=publisher)

    loser.refresh_from_db()
    assert loser.merged_into == winner
    assert not loser.is_published
    names = dict(PersonName.objects.filter(person=winner).values_list("normalized", "kind"))
    assert names["ibrahim al bakrawi"] == PersonNameKind.VARIANT
    assert names["ibrahim el bakraoui"] == PersonNameKind.PRIMARY
    assert not PersonName.objects.filter(person=loser).exists()
    assert list(winner.terms.order_by("pk")) == [same_term_winner, other_term]
    assert term_source in same_term_winner.sources.all()
    for record in (offer, decision, quote, made):
        record.refresh_from_db()
    assert (offer.person, decision.decided_by, quote.speaker, made.claimant_person) == (winner, winner, winner, winner)
    assert list(about.subject_people.all()) == [winner]
    event = loser.history.order_by("-pgh_id").first()
    assert event.pgh_context.metadata == {"user": publisher.pk, "action": "person_merge"}


def test_the_duplicates_public_page_moves_permanently_and_the_api_drops_it(client, duplicate_people, publisher):
    loser, winner = duplicate_people
    person_merge(loser=loser, winner=winner, actor=publisher)
    response = client.get(f"/people/{loser.slug}/")
    assert response.status_code == 301
    assert response["Location"].endswith(f"/people/{winner.slug}/")
    slugs = {person["slug"] for person in client.get("/api/v1/people/").json()["results"]}
    assert winner.slug in slugs
    assert loser.slug not in slugs


def test_a_merge_into_itself_or_a_merged_record_is_refused(duplicate_people, publisher):
    loser, winner = duplicate_people
    with pytest.raises(ValidationError):
        person_merge(loser=loser, winner=loser, actor=publisher)
    person_merge(loser=loser, winner=winner, actor=publisher)
    with pytest.raises(ValidationError):
        person_merge(loser=PersonFactory(), winner=loser, actor=publisher)


def test_claim_merge_moves_links_and_subjects_and_keeps_one_link_per_source(client, publisher):
    winner, loser = _published(ClaimFactory()), _published(ClaimFactory())
    shared, only_loser = SourceFactory(), SourceFactory()
    ClaimLinkFactory(claim=winner, source=shared)
    ClaimLinkFactory(claim=loser, source=shared)
    ClaimLinkFactory(claim=loser, source=only_loser)
    subject = PersonFactory()
    loser.subject_people.add(subject)

    claim_merge(loser=loser, winner=winner, actor=publisher)

    assert set(winner.links.values_list("source", flat=True)) == {shared.pk, only_loser.pk}
    assert list(winner.subject_people.all()) == [subject]
    response = client.get(f"/claims/{loser.slug}/")
    assert response.status_code == 301
    assert response["Location"].endswith(f"/claims/{winner.slug}/")
    assert loser.slug not in client.get("/api/v1/claims/").content.decode()


def test_the_merge_action_asks_which_record_stays(client, duplicate_people, publisher, contributor):
    loser, winner = duplicate_people
    changelist = reverse("admin:accountability_person_changelist")
    client.force_login(contributor)
    assert "merge_selected" not in client.get(changelist).content.decode()
    confirmed = {"action": "merge_selected", "_selected_action": [loser.pk], "post": "yes", "winner": winner.pk}
    client.post(changelist, confirmed)
    loser.refresh_from_db()
    assert loser.merged_into is None

    client.force_login(publisher)
    confirmation = client.post(changelist, {"action": "merge_selected", "_selected_action": [loser.pk]})
    assert confirmation.status_code == 200
    assert b"Merge into" in confirmation.content
    assert b"csrfmiddlewaretoken" in confirmation.content
    done = client.post(changelist, confirmed)
    assert done.status_code == 302
    loser.refresh_from_db()
    assert loser.merged_into == winner
    assert loser.history.order_by("-pgh_id").first().pgh_context.metadata["user"] == publisher.pk
