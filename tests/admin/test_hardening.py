"""The admin's sign-in throttling, its configurable address, CSRF on its forms, and an actor on every write."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import clear_url_caches, reverse

from accountability.roles import EDITOR
from tests.factories import PersonFactory

PASSWORD = "correct horse battery staple"


def _sign_in(client, username: str, password: str):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": reverse("admin:index")}
    )


def test_repeated_wrong_passwords_lock_the_account_out_even_with_the_right_one(client, user_with_role, settings):
    user = user_with_role(EDITOR, username="locked-editor")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, user.username, "wrong password").status_code == 200
    assert _sign_in(client, user.username, "wrong password").status_code == 429  # the last allowed failure locks
    locked = _sign_in(client, user.username, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_right_password_signs_in_and_resets_the_failures(client, user_with_role, settings):
    user = user_with_role(EDITOR, username="careful-editor")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, user.username, "wrong password")
    response = _sign_in(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_another_account_is_not_locked_by_someone_elses_failures(client, user_with_role, settings):
    user_with_role(EDITOR, username="attacked")
    other = user_with_role(EDITOR, username="bystander")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "attacked", "wrong password")
    assert _sign_in(client, other.username, PASSWORD).status_code == 302


@pytest.fixture
def admin_at_secret_path(settings):
    settings.ADMIN_URL = "editorial-desk-7f3a/"
    import config.urls

    importlib.reload(config.urls)
    clear_url_caches()
    yield "/editorial-desk-7f3a/"
    settings.ADMIN_URL = "admin/"
    importlib.reload(config.urls)
    clear_url_caches()


def test_the_admin_lives_at_the_configured_path(client, admin_at_secret_path):
    assert client.get(admin_at_secret_path + "login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404


def test_admin_forms_refuse_posts_without_the_csrf_token(editor_user):
    person = PersonFactory(description="before")
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_user)
    page = client.get(reverse("admin:accountability_person_change", args=[person.pk]))
    assert b"csrfmiddlewaretoken" in page.content
    response = client.post(
        reverse("admin:accountability_person_change", args=[person.pk]),
        {"name": person.name, "slug": person.slug, "description": "after"},
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.description == "before"


def test_passwords_are_hashed_with_argon2_outside_the_tests():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_every_admin_write_names_its_actor(client, editor_user):
    client.force_login(editor_user)
    client.post(
        reverse("admin:accountability_organisation_add"),
        {"name": "Federal Police", "slug": "federal-police", "kind": "agency", "country_code": "BE", "aliases": ""},
    )
    from accountability.models import Organisation

    organisation = Organisation.objects.get(slug="federal-police")
    assert organisation.recorded_by == editor_user
    event = organisation.history.get()
    assert event.pgh_context.metadata["user"] == editor_user.pk
    assert event.pgh_context.metadata["action"] == "organisation_add"
    assert get_user_model().objects.filter(pk=editor_user.pk).exists()


def test_the_admins_own_forms_refuse_posts_without_the_csrf_token(publisher):
    from claims.models import ClaimStatus
    from tests.factories import ClaimFactory, SourceFactory

    claim = ClaimFactory()
    person = PersonFactory()
    first = person.history.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(publisher)
    posts = {
        reverse("admin:accountability_person_revert", args=[person.pk, first.pgh_id]): {},
        reverse("admin:claims_claim_status", args=[claim.pk]): {
            "to_status": ClaimStatus.REFUTED,
            "reason": "Shown wrong.",
            "evidence": [SourceFactory().pk],
        },
        reverse("admin:accountability_person_changelist"): {
            "action": "merge_selected",
            "_selected_action": [person.pk],
            "post": "yes",
            "winner": PersonFactory().pk,
        },
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    person.refresh_from_db()
    claim.refresh_from_db()
    assert person.merged_into is None
    assert claim.status == ClaimStatus.UNVERIFIED
