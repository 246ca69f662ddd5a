"""The role groups are rebuilt with their permissions after every migrate and every flush."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accountability.roles import ROLES, role_permissions


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_has_every_role_with_its_permissions_again():
    call_command("flush", interactive=False, verbosity=0)

    for role in ROLES:
        group = Group.objects.get(name=role)
        held = set(group.permissions.values_list("content_type__app_label", "codename"))
        assert held == set(role_permissions(role)), role


@pytest.mark.django_db
def test_the_demo_editor_is_a_publisher_who_can_sign_in():
    from accountability.services import demo_editor_ensure

    user = demo_editor_ensure(username="editor", password="accountability-demo")

    assert user.is_staff
    assert user.check_password("accountability-demo")
    assert list(user.groups.values_list("name", flat=True)) == ["publisher"]
    assert user.has_perm("claims.publish_claim")
    assert user.has_perm("claims.review_claimlink")
    assert not user.has_perm("claims.purge_claim")
