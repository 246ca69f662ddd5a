"""Each record's history page lists every version with who, when, the action and a field-by-field difference, and
reverts to an earlier version through a service whose own change is in the history."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.urls import reverse

from accountability.services import person_create
from claims.models import Claim, ClaimStatus
from tests.factories import ClaimFactory, SourceFactory, UserFactory


def _person_form(person, **changes):
    data = {
        "name": person.name,
        "slug": person.slug,
        "description": person.description,
        "names-TOTAL_FORMS": "0",
        "names-INITIAL_FORMS": "0",
        "identifiers-TOTAL_FORMS": "0",
        "identifiers-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_history_shows_who_when_what_and_reverts(client, contributor, editor_user):
    person = person_create(name="Koen Geens", description="Justice minister", actor=contributor)
    change_url = reverse("admin:accountability_person_change", args=[person.pk])
    client.force_login(editor_user)
    client.post(change_url, _person_form(person, description="Minister of Justice of Belgium"))

    page = client.get(reverse("admin:accountability_person_history", args=[person.pk])).content.decode()
    assert "person_create" in page
    assert "person_change" in page
    assert contributor.username in page
    assert editor_user.username in page
    assert "Justice minister" in page
    assert "Minister of Justice of Belgium" in page
    assert "Revert to this version" in page

    first = person.history.order_by("pgh_id").first()
    response = client.post(reverse("admin:accountability_person_revert", args=[person.pk, first.pgh_id]))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.description == "Justice minister"
    last = person.history.order_by("-pgh_id").first()
    assert last.pgh_context.metadata["action"] == "revert"
    assert last.pgh_context.metadata["user"] == editor_user.pk


def test_revert_needs_the_change_permission_and_a_post(client, editor_user):
    person = person_create(name="Charles Michel", description="Prime minister", actor=editor_user)
    first = person.history.order_by("pgh_id").first()
    revert_url = reverse("admin:accountability_person_revert", args=[person.pk, first.pgh_id])
    client.force_login(editor_user)
    assert client.get(revert_url).status_code == 405
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_person"))
    client.force_login(viewer)
    assert client.post(revert_url).status_code == 403


def test_a_claims_status_changes_only_with_reason_and_evidence(client, editor_user, contributor):
    claim = ClaimFactory()
    evidence = SourceFactory()
    status_url = reverse("admin:claims_claim_status", args=[claim.pk])
    client.force_login(contributor)
    assert client.get(status_url).status_code == 403
    client.force_login(editor_user)
    assert b"Change status" in client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content
    refused = client.post(status_url, {"to_status": ClaimStatus.REFUTED, "reason": "", "evidence": []})
    assert refused.status_code == 200
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.UNVERIFIED
    done = client.post(
        status_url,
        {"to_status": ClaimStatus.REFUTED, "reason": "The report says otherwise.", "evidence": [evidence.pk]},
    )
    assert done.status_code == 302
    claim.refresh_from_db()
    change = claim.status_changes.get()
    assert claim.status == ClaimStatus.REFUTED
    assert change.changed_by == editor_user
    assert list(change.evidence.all()) == [evidence]
