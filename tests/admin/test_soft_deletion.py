"""Deleting in the admin hides a record (unpublished, out of the lists, off the site and API) and can be undone;
deleting for good is the admin role's, and only for records already deleted."""

from __future__ import annotations

from django.urls import reverse

from accountability.models import Person
from accountability.recording import publication_set
from tests.factories import PersonFactory, TermFactory

CHANGELIST = "admin:accountability_person_changelist"


def _action(client, action, records, *, deleted: bool = False, **extra):
    """An action from the changelist; records already deleted are picked from the "Deleted" filter."""
    data = {"action": action, "_selected_action": [record.pk for record in records], **extra}
    return client.post(reverse(CHANGELIST) + ("?deleted=yes" if deleted else ""), data)


def _listed(client, query: str = "") -> list:
    return list(client.get(reverse(CHANGELIST) + query).context["cl"].result_list)


def test_delete_hides_and_restore_brings_back_a_draft(client, publisher):
    person = publication_set(record=PersonFactory(name="Jan Jambon"), is_published=True, actor=None)
    TermFactory(person=person)  # a protected relation does not block a soft delete
    client.force_login(publisher)
    delete_url = reverse("admin:accountability_person_delete", args=[person.pk])
    assert b"can restore it" in client.get(delete_url).content
    client.post(delete_url, {"post": "yes"})

    person.refresh_from_db()
    assert person.deleted_at is not None
    assert person.deleted_by == publisher
    assert not person.is_published
    assert client.get(f"/people/{person.slug}/").status_code == 404
    assert person.slug not in client.get("/api/v1/people/").content.decode()
    assert person not in _listed(client)
    assert person in _listed(client, "?deleted=yes")

    _action(client, "restore_selected", [person], deleted=True)
    person.refresh_from_db()
    assert person.deleted_at is None
    assert not person.is_published
    assert person in _listed(client)
    actions = [e.pgh_context.metadata["action"] for e in person.history.order_by("pgh_id") if e.pgh_context]
    assert "delete" in actions
    assert actions[-1] == "restore"


def test_a_deleted_record_cannot_be_published(client, publisher):
    person = PersonFactory()
    client.force_login(publisher)
    _action(client, "delete_selected", [person], post="yes")
    _action(client, "publish_selected", [person], deleted=True)
    person.refresh_from_db()
    assert person.deleted_at is not None
    assert not person.is_published


def test_contributors_and_editors_cannot_delete(client, contributor, editor_user):
    person = PersonFactory()
    for user in (contributor, editor_user):
        client.force_login(user)
        assert client.get(reverse("admin:accountability_person_delete", args=[person.pk])).status_code == 403
        _action(client, "delete_selected", [person], post="yes")
    person.refresh_from_db()
    assert person.deleted_at is None


def test_only_the_admin_role_deletes_for_good_and_only_deleted_records(client, publisher, site_admin):
    person = PersonFactory()
    client.force_login(publisher)
    _action(client, "purge_selected", [person], post="yes")
    assert Person.objects.filter(pk=person.pk).exists()

    client.force_login(site_admin)
    _action(client, "purge_selected", [person], post="yes")
    assert Person.objects.filter(pk=person.pk).exists()  # not deleted yet: deleting for good is refused
    _action(client, "delete_selected", [person], post="yes")
    assert _action(client, "purge_selected", [person]).status_code == 302  # not offered among live records
    confirmation = _action(client, "purge_selected", [person], deleted=True)
    assert b"for good" in confirmation.content
    assert b'value="purge_selected"' in confirmation.content
    _action(client, "purge_selected", [person], deleted=True, post="yes")
    assert not Person.objects.filter(pk=person.pk).exists()


def test_deleting_selected_records_asks_first_and_says_they_can_be_restored(client, publisher):
    person = PersonFactory()
    client.force_login(publisher)

    confirmation = _action(client, "delete_selected", [person])

    assert b"can restore them" in confirmation.content
    assert b'value="delete_selected"' in confirmation.content
    person.refresh_from_db()
    assert person.deleted_at is None
