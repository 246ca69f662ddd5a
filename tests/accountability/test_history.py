"""Every change is kept with its actor, including bulk updates that bypass the services."""

from __future__ import annotations

import pghistory
import pytest

from accountability import services
from accountability.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _history(person: Person) -> list:
    return list(person.history.order_by("pgh_id").select_related("pgh_context"))


def test_service_writes_history_naming_the_actor_and_action(editor):
    person = services.person_create(name="Jan Jambon", actor=editor)
    [created] = _history(person)
    assert created.pgh_label == "insert"
    assert created.pgh_context.metadata["user"] == editor.pk
    assert created.pgh_context.metadata["action"] == "person_create"


def test_bulk_update_is_recorded_too():
    people = PersonFactory.create_batch(3)
    with pghistory.context(user=None, action="bulk_rename"):
        Person.objects.filter(pk__in=[person.pk for person in people]).update(description="Belgian politician")
    for person in people:
        labels = [event.pgh_label for event in _history(person)]
        assert labels == ["insert", "update"]
        assert _history(person)[-1].description == "Belgian politician"


def test_history_rows_cannot_be_edited():
    person = PersonFactory()
    with pytest.raises(Exception, match=r"append|Cannot"):
        person.history.update(name="rewritten")


def test_relation_changes_are_kept(editor, source):
    from claims.models import ClaimSubjectPersonEvent
    from tests.factories import ClaimFactory

    claim = ClaimFactory()
    person = PersonFactory()
    claim.subject_people.add(person)
    claim.subject_people.remove(person)
    labels = list(
        ClaimSubjectPersonEvent.objects.filter(claim=claim).order_by("pgh_id").values_list("pgh_label", flat=True)
    )
    assert labels == ["add", "remove"]
