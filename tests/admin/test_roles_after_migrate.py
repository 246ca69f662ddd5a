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
