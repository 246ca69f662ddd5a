"""The editorial roles, as Django groups, and what each may do in the admin.

- contributor: sees everything editorial; adds sources; drafts and edits claims, quotes, people, organisations,
  posts, terms, incidents and accountability events. Never publishes, changes a claim's status, reviews proposals,
  merges or deletes.
- editor: a contributor who also reviews proposals (links, events), changes claim status and edits every record.
- publisher: an editor who also publishes and unpublishes, merges duplicates, and deletes (softly) and restores.
- admin: every permission, including users, groups, newsroom API keys and webhooks, and deleting for good.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.contrib.auth.models import AbstractUser
from django.db import models

CONTRIBUTOR = "contributor"
EDITOR = "editor"
PUBLISHER = "publisher"
ADMIN = "admin"
ROLES = (CONTRIBUTOR, EDITOR, PUBLISHER, ADMIN)

EDITORIAL_APPS = ("accountability", "claims")
# What a contributor drafts: add and change, never publish or delete.
DRAFTED_MODELS = {
    "accountability": (
        "person",
        "personname",
        "personidentifier",
        "organisation",
        "post",
        "term",
        "incident",
        "accountabilityevent",
    ),
    "claims": ("claim", "quote"),
}
REVIEW_PERMISSIONS = (
    ("claims", "review_claimlink"),
    ("accountability", "review_accountabilityevent"),
    ("claims", "change_claim_status"),
)
MERGE_PERMISSIONS = (("accountability", "merge_person"), ("claims", "merge_claim"))

Permission = tuple[str, str]  # (app label, codename)


def _models(app_labels: Iterable[str]) -> list[type[models.Model]]:
    return [model for label in app_labels for model in global_apps.get_app_config(label).get_models()]


def _editorial_record_models() -> list[type[models.Model]]:
    from accountability.records import EditorialRecord

    return [model for model in _models(EDITORIAL_APPS) if issubclass(model, EditorialRecord)]


def _codename(action: str, model: type[models.Model]) -> Permission:
    return (model._meta.app_label, f"{action}_{model._meta.model_name}")


def _all_permissions() -> set[Permission]:
    permissions: set[Permission] = set()
    for model in global_apps.get_models():
        options = model._meta
        permissions.update(_codename(action, model) for action in options.default_permissions)
        permissions.update((options.app_label, codename) for codename, _ in options.permissions)
    return permissions


def role_permissions(role: str) -> set[Permission]:
    """The (app label, codename) permissions a role grants."""
    if role == ADMIN:
        return _all_permissions()
    contributor = {_codename("view", model) for model in _models(EDITORIAL_APPS)}
    contributor.add(("claims", "add_source"))
    for label, model_names in DRAFTED_MODELS.items():
        contributor.update((label, f"{action}_{name}") for name in model_names for action in ("add", "change"))
    if role == CONTRIBUTOR:
        return contributor
    editor = contributor | set(REVIEW_PERMISSIONS)
    editor.update(_codename(action, model) for model in _models(EDITORIAL_APPS) for action in ("add", "change"))
    if role == EDITOR:
        return editor
    if role == PUBLISHER:
        publisher = editor | set(MERGE_PERMISSIONS)
        publisher.update(
            _codename(action, model) for model in _editorial_record_models() for action in ("publish", "delete")
        )
        return publisher
    raise ValueError(f"Unknown role {role!r}; the roles are {', '.join(ROLES)}.")


def roles_sync(apps: Apps | None = None) -> None:
    """Create the role groups (or bring them up to date) with exactly their permissions.

    Called by the data migration with the historical models, and by ``role_assign`` so a role always exists.
    """
    registry = apps or global_apps
    group_model = registry.get_model("auth", "Group")
    permission_model = registry.get_model("auth", "Permission")
    known = {
        (app_label, codename): pk
        for pk, app_label, codename in permission_model.objects.values_list("pk", "content_type__app_label", "codename")
    }
    for role in ROLES:
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.set([known[permission] for permission in role_permissions(role) if permission in known])


def role_assign(user: AbstractUser, role: str) -> AbstractUser:
    """Give a user a role: staff status (to sign in to the admin) and the role's group."""
    from django.contrib.auth.models import Group

    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; the roles are {', '.join(ROLES)}.")
    if not Group.objects.filter(name=role).exists() or not Group.objects.get(name=role).permissions.exists():
        roles_sync()
    user.groups.add(Group.objects.get(name=role))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user
