"""Every way a record is written leaves a history row saying who did it and as part of which action: the
services, newsroom submissions through the API, bulk updates that bypass the services, and the bulk import."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from pghistory.models import Events
from rest_framework.test import APIClient

from accountability import services as accountability_services
from accountability.recording import publication_set, recording
from claims import services as claim_services
from claims.api.models import NewsroomKey
from claims.models import Claim, ClaimStatus, RecordOrigin, Source, Stance
from tests.factories import ClaimFactory, PersonFactory, SourceFactory

pytestmark = pytest.mark.django_db


def history_of(record) -> list[Events]:  # type: ignore[no-untyped-def]
    label = f"{record._meta.app_label}.{record._meta.object_name}"
    return list(Events.objects.filter(pgh_obj_model=label, pgh_obj_id=str(record.pk)).order_by("pgh_created_at"))


def test_accountability_services_name_the_editor_and_the_action(editor, source):
    person = accountability_services.person_create(name="Jan Jambon", actor=editor)
    offer = accountability_services.resignation_offer_record(
        person=person, occurred_on=datetime.date(2016, 3, 24), sources=[source], actor=editor
    )

    [person_created] = history_of(person)
    [offer_created] = history_of(offer)
    assert (person_created.pgh_label, person_created.pgh_context["user"]) == ("insert", editor.pk)
    assert person_created.pgh_context["action"] == "person_create"
    assert offer_created.pgh_context["user"] == editor.pk
    assert offer_created.pgh_context["action"] == "event_record:resignation_offered"


def test_claim_services_name_the_editor_and_the_action(editor, source):
    claim = claim_services.claim_create(
        text="The three bombers were known to police.", sources=[source], actor=editor, claimant_person=PersonFactory()
    )
    link = claim_services.claim_link_source(
        claim=claim, source=SourceFactory(), stance=Stance.SUPPORTS, origin=RecordOrigin.EDITOR, actor=editor
    )
    publication_set(record=claim, is_published=True, actor=editor)

    actions = [(event.pgh_label, event.pgh_context["action"]) for event in history_of(claim)]
    assert actions[0] == ("insert", "claim_create")
    assert actions[-1] == ("update", "publish")
    assert all(event.pgh_context["user"] == editor.pk for event in history_of(claim))
    [link_created] = history_of(link)
    assert (link_created.pgh_context["user"], link_created.pgh_context["action"]) == (editor.pk, "claim_link_source")


def test_source_submitted_through_the_api_names_the_newsroom(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "100000/min", "newsroom": "100000/min"},
    }
    _, key = NewsroomKey.objects.create_key(name="De Standaard", can_submit=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")

    response = client.post(
        "/api/v1/sources/",
        {"text": "Interior Minister Jan Jambon offered his resignation.", "language": "en"},
        format="json",
    )

    assert response.status_code == 202, response.content
    [created] = history_of(Source.objects.get(pk=response.json()["id"]))
    assert created.pgh_label == "insert"
    assert created.pgh_context["action"] == "source_record"
    assert created.pgh_context["newsroom"] == "De Standaard"


def test_bulk_update_through_a_queryset_is_kept_with_its_actor(editor):
    claims = ClaimFactory.create_batch(3)
    with recording(editor, action="claims_mark_disputed"):
        updated = Claim.objects.filter(pk__in=[claim.pk for claim in claims]).update(status=ClaimStatus.DISPUTED)

    assert updated == 3
    for claim in claims:
        last = history_of(claim)[-1]
        assert (last.pgh_label, last.pgh_data["status"]) == ("update", ClaimStatus.DISPUTED)
        assert (last.pgh_context["user"], last.pgh_context["action"]) == (editor.pk, "claims_mark_disputed")


def test_bulk_update_outside_any_service_is_still_kept():
    person = PersonFactory()
    type(person).objects.filter(pk=person.pk).update(description="Belgian politician")

    last = history_of(person)[-1]
    assert last.pgh_label == "update"
    assert last.pgh_data["description"] == "Belgian politician"
    assert last.pgh_context is None  # no actor to name: the change is kept all the same


def test_import_sources_names_the_import_account(tmp_path):
    path = tmp_path / "sources.jsonl"
    rows = [{"text": f"Report {number}: Koen Geens offered to resign.", "language": "en"} for number in range(3)]
    path.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")

    output = io.StringIO()
    call_command("import_sources", str(path), stdout=output)

    assert "added 3," in output.getvalue()
    imported = Source.objects.filter(text__startswith="Report ")
    assert imported.count() == 3
    for source in imported:
        [created] = history_of(source)
        assert created.pgh_context["action"] == "source_record"
        assert created.pgh_context["user"] == source.recorded_by_id
        assert source.recorded_by.username == "import"
