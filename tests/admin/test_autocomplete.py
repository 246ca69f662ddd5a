"""The admin's pickers find people by any spelling (accents, case, transliterations), organisations and posts by
their aliases, and incidents and claims by their words; deleted and merged records are not offered."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accountability.merging import person_merge
from accountability.models import PersonName
from accountability.records import normalize_name
from tests.factories import (
    ClaimFactory,
    IncidentFactory,
    OrganisationFactory,
    PersonFactory,
    PostFactory,
)


def _found(client, source_model: str, field: str, term: str, app: str = "accountability") -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app, "model_name": source_model, "field_name": field, "term": term},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


@pytest.fixture
def bakraoui(db):
    person = PersonFactory(name="Ibrahim El Bakraoui")
    for variant in ("Ibrahim al-Bakrawi", "Brahim Bakraoui"):
        PersonName.objects.create(person=person, name=variant, normalized=normalize_name(variant))
    return person


@pytest.mark.parametrize("typed", ["al-Bakrawi", "AL BAKRAWI", "bakraoui", "Bakraouí", "Brahim"])
def test_people_are_found_by_every_spelling(client, contributor, bakraoui, typed):
    client.force_login(contributor)
    assert _found(client, "term", "person", typed) == ["Ibrahim El Bakraoui"]


def test_merged_and_deleted_people_are_not_offered(client, publisher, bakraoui):
    duplicate = PersonFactory(name="Ibrahim Bakraoui")
    gone = PersonFactory(name="Ibrahim Bakraoui Deleted")
    client.force_login(publisher)
    client.post(
        reverse("admin:accountability_person_changelist"),
        {"action": "delete_selected", "_selected_action": [gone.pk], "post": "yes"},
    )
    person_merge(loser=duplicate, winner=bakraoui, actor=publisher)
    assert _found(client, "term", "person", "Bakraoui") == ["Ibrahim El Bakraoui"]


def test_organisations_and_posts_are_found_by_their_aliases(client, contributor):
    turkey = OrganisationFactory(name="Republic of Türkiye", aliases=["Ankara", "Turkey"])
    PostFactory(title="Minister of the Interior", organisation=turkey, aliases=["interior minister"])
    client.force_login(contributor)
    assert _found(client, "post", "organisation", "ankara") == ["Republic of Türkiye"]
    assert _found(client, "post", "organisation", "turkiye") == ["Republic of Türkiye"]
    assert _found(client, "accountabilityevent", "post", "interior minister") == [
        "Minister of the Interior (Republic of Türkiye)"
    ]


def test_incidents_and_claims_are_found_by_their_words(client, contributor, bakraoui):
    IncidentFactory(name="Brussels bombings", location="Zaventem airport and Maelbeek metro")
    ClaimFactory(text="Turkey warned Belgium about the bomber.", claimant_person=bakraoui)
    client.force_login(contributor)
    assert _found(client, "accountabilityevent", "incident", "maelbeek") == ["Brussels bombings"]
    assert _found(client, "claimlink", "claim", "warned belgium", app="claims") == [
        "Turkey warned Belgium about the bomber."
    ]
    assert _found(client, "claimlink", "claim", "al-Bakrawi", app="claims") == [
        "Turkey warned Belgium about the bomber."
    ]
