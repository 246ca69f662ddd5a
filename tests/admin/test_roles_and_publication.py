"""The role matrix, and publication: only roles with the publish permission publish, by any path."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accountability.models import AccountabilityEvent, Incident, Organisation, Person, Post, Term
from accountability.roles import ADMIN, CONTRIBUTOR, EDITOR, PUBLISHER, ROLES, role_permissions
from claims.models import Claim, Quote, Source
from tests.factories import ClaimFactory, PersonFactory

EDITORIAL_MODELS = [Person, Organisation, Post, Term, Incident, AccountabilityEvent, Source, Claim, Quote]

# (permission, roles that hold it)
ROLE_MATRIX = [
    ("claims.view_claim", {CONTRIBUTOR, EDITOR, PUBLISHER, ADMIN}),
    ("claims.view_claimlink", {CONTRIBUTOR, EDITOR, PUBLISHER, ADMIN}),
    ("claims.add_source", {CONTRIBUTOR, EDITOR, PUBLISHER, ADMIN}),
    ("claims.change_source", {EDITOR, PUBLISHER, ADMIN}),
    ("claims.add_claim", {CONTRIBUTOR, EDITOR, PUBLISHER, ADMIN}),
    ("claims.change_claim", {CONTRIBUTOR, EDITOR, PUBLISHER, ADMIN}),
    ("claims.change_quote", {CONTRIBUTOR, EDITOR, PUBLISHER, ADMIN}),
    ("accountability.add_person", {CONTRIBUTOR, EDITOR, PUBLISHER, ADMIN}),
    ("accountability.change_person", {CONTRIBUTOR, EDITOR, PUBLISHER, ADMIN}),
    ("accountability.change_personname", {CONTRIBUTOR, EDITOR, PUBLISHER, ADMIN}),
    ("accountability.change_organisation", {CONTRIBUTOR, EDITOR, PUBLISHER, ADMIN}),
    ("accountability.change_post", {CONTRIBUTOR, EDITOR, PUBLISHER, ADMIN}),
    ("accountability.change_term", {CONTRIBUTOR, EDITOR, PUBLISHER, ADMIN}),
    ("accountability.change_incident", {CONTRIBUTOR, EDITOR, PUBLISHER, ADMIN}),
    ("accountability.change_accountabilityevent", {CONTRIBUTOR, EDITOR, PUBLISHER, ADMIN}),
    ("claims.change_claimlink", {EDITOR, PUBLISHER, ADMIN}),
    ("claims.change_claim_status", {EDITOR, PUBLISHER, ADMIN}),
    ("claims.review_claimlink", {EDITOR, PUBLISHER, ADMIN}),
    ("accountability.review_accountabilityevent", {EDITOR, PUBLISHER, ADMIN}),
    ("accountability.merge_person", {PUBLISHER, ADMIN}),
    ("claims.merge_claim", {PUBLISHER, ADMIN}),
    ("accountability.delete_person", {PUBLISHER, ADMIN}),
    ("claims.delete_claim", {PUBLISHER, ADMIN}),
    ("accountability.purge_person", {ADMIN}),
    ("claims.purge_claim", {ADMIN}),
    ("auth.change_user", {ADMIN}),
    ("auth.change_group", {ADMIN}),
    ("claims_api.add_newsroomkey", {ADMIN}),
    ("claims_api.change_webhook", {ADMIN}),
    *[(f"{model._meta.app_label}.publish_{model._meta.model_name}", {PUBLISHER, ADMIN}) for model in EDITORIAL_MODELS],
]


@pytest.mark.parametrize(("permission", "holders"), ROLE_MATRIX, ids=[row[0] for row in ROLE_MATRIX])
def test_role_matrix(user_with_role, permission, holders):
    for role in ROLES:
        user = user_with_role(role)
        assert user.is_staff
        assert user.has_perm(permission) is (role in holders), f"{role} and {permission}"


def test_the_role_groups_hold_exactly_their_permissions_and_come_back_if_removed(db, user_with_role):
    Group.objects.filter(name__in=ROLES).delete()
    user = user_with_role(PUBLISHER)  # assigning a role recreates its group
    assert user.groups.get().name == PUBLISHER
    for role in ROLES:
        granted = Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename")
        assert set(granted) == role_permissions(role)


def test_a_contributor_has_no_delete_and_no_publish_permission_at_all(contributor):
    permissions = contributor.get_all_permissions()
    assert not {p for p in permissions if p.split(".")[1].startswith(("publish_", "delete_", "purge_", "merge_"))}


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _change(record) -> str:
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])


def _action(client, model, action: str, records):
    return client.post(_changelist(model), {"action": action, "_selected_action": [r.pk for r in records]})


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


class TestAContributorCannotPublish:
    def test_not_through_the_list_action(self, client, contributor):
        person = PersonFactory()
        client.force_login(contributor)
        page = client.get(_changelist(Person))
        assert "publish_selected" not in page.content.decode()
        _action(client, Person, "publish_selected", [person])
        person.refresh_from_db()
        assert not person.is_published

    def test_not_through_the_change_form(self, client, contributor):
        person = PersonFactory()
        client.force_login(contributor)
        form_page = client.get(_change(person))
        assert 'name="is_published"' not in form_page.content.decode()
        response = client.post(_change(person), _person_form(person, name="Renamed", is_published="on"))
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.name == "Renamed"  # the rest of the edit is kept
        assert not person.is_published

    def test_not_through_the_add_form(self, client, contributor):
        client.force_login(contributor)
        client.post(reverse("admin:accountability_person_add"), _person_form(PersonFactory.build(), is_published="on"))
        created = Person.objects.get()
        assert not created.is_published

    def test_not_through_a_crafted_list_editable_post(self, client, contributor):
        person = PersonFactory()
        client.force_login(contributor)
        client.post(
            _changelist(Person),
            {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-0-id": str(person.pk),
                "form-0-is_published": "on",
                "_save": "Save",
            },
        )
        person.refresh_from_db()
        assert not person.is_published

    def test_not_through_a_crafted_unpublish_or_revert(self, client, contributor, publisher):
        claim = ClaimFactory()
        client.force_login(publisher)
        _action(client, Claim, "publish_selected", [claim])
        client.force_login(contributor)
        _action(client, Claim, "unpublish_selected", [claim])
        claim.refresh_from_db()
        assert claim.is_published
        first_version = claim.history.order_by("pgh_id").first()
        client.post(reverse("admin:claims_claim_revert", args=[claim.pk, first_version.pgh_id]))
        claim.refresh_from_db()
        assert claim.is_published  # a revert never touches publication


class TestPublishing:
    @pytest.mark.parametrize("model", [Person, Claim], ids=["person", "claim"])
    def test_a_publisher_publishes_and_unpublishes_from_the_list(self, client, publisher, model):
        record = PersonFactory() if model is Person else ClaimFactory()
        client.force_login(publisher)
        _action(client, model, "publish_selected", [record])
        record.refresh_from_db()
        assert record.is_published
        assert record.published_at is not None
        first_published_at = record.published_at
        event = record.history.order_by("-pgh_id").first()
        assert event.pgh_context.metadata["action"] == "publish"
        assert event.pgh_context.metadata["user"] == publisher.pk
        _action(client, model, "unpublish_selected", [record])
        record.refresh_from_db()
        assert not record.is_published
        assert record.published_at == first_published_at

    def test_a_publisher_publishes_from_the_change_form_through_the_service(self, client, publisher):
        person = PersonFactory()
        client.force_login(publisher)
        client.post(_change(person), _person_form(person, is_published="on"))
        person.refresh_from_db()
        assert person.is_published
        assert person.published_at is not None
        published = person.history.filter(is_published=True).get()
        assert published.pgh_context.metadata["user"] == publisher.pk
        assert published.published_at is not None  # set by the publication service, never by the form
        assert client.get(f"/people/{person.slug}/").status_code == 200

    def test_an_editor_cannot_publish_either(self, client, editor_user):
        claim = ClaimFactory()
        client.force_login(editor_user)
        _action(client, Claim, "publish_selected", [claim])
        claim.refresh_from_db()
        assert not claim.is_published

    def test_a_draft_never_reaches_the_public_site_or_the_api(self, client, contributor):
        person = PersonFactory()
        assert client.get(f"/people/{person.slug}/").status_code == 404
        assert person.slug not in client.get("/api/v1/people/").content.decode()
