"""Admin users in each editorial role, and helpers to sign them in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractUser

from accountability.roles import ADMIN, CONTRIBUTOR, EDITOR, PUBLISHER, role_assign
from tests.factories import UserFactory


@pytest.fixture
def user_with_role(db) -> Callable[..., AbstractUser]:  # type: ignore[no-untyped-def]
    """A factory: ``user_with_role("publisher")`` is a new staff user holding that role."""

    def make(role: str, **fields: object) -> AbstractUser:
        fields.setdefault("username", f"{role}-{UserFactory._meta.model.objects.count() + 1}")
        return role_assign(UserFactory(is_staff=False, **fields), role)

    return make


@pytest.fixture
def contributor(user_with_role):  # type: ignore[no-untyped-def]
    return user_with_role(CONTRIBUTOR, username="contributor")


@pytest.fixture
def editor_user(user_with_role):  # type: ignore[no-untyped-def]
    return user_with_role(EDITOR, username="editor-in-role")


@pytest.fixture
def publisher(user_with_role):  # type: ignore[no-untyped-def]
    return user_with_role(PUBLISHER, username="publisher")


@pytest.fixture
def site_admin(user_with_role):  # type: ignore[no-untyped-def]
    return user_with_role(ADMIN, username="site-admin")
