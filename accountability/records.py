"""Building blocks shared by every editorial record: provenance, publication, history, date precision."""

from __future__ import annotations

import unicodedata

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def track_history():  # type: ignore[no-untyped-def]
    """Trigger-based history of inserts, updates (bulk ones too) and deletes, with the actor from context.
    Generated columns (a stored search document) are left out: PostgreSQL derives them from the fields kept."""

    def track(model):  # type: ignore[no-untyped-def]
        generated = [field.name for field in model._meta.concrete_fields if field.generated]
        return pghistory.track(
            pghistory.InsertEvent(),
            pghistory.UpdateEvent(),
            pghistory.DeleteEvent(),
            obj_field=pghistory.ObjForeignKey(related_name="history", related_query_name="history", db_index=True),
            append_only=True,
            exclude=generated or None,
        )(model)

    return track


class EditorialRecord(models.Model):
    """Who recorded a record and when, and whether the public may see it."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who recorded this; empty when recorded by the system (the matcher, a data import).",
    )
    is_published = models.BooleanField(default=False, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="When an editor deleted this record; deleted records can be restored."
    )
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
        # "publish" gives every editorial model a publish_<model> permission; "purge" a purge_<model> permission
        # for deleting for good (a plain delete only moves a record to the deleted records, from where it returns).
        default_permissions = ("add", "change", "delete", "view", "publish", "purge")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="%(app_label)s_%(class)s_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True) | Q(is_published=False),
                name="%(app_label)s_%(class)s_deleted_not_published",
            ),
        ]


def normalize_name(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name, used to match spelling variants."""
    decomposed = unicodedata.normalize("NFKD", name)
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    cleaned = "".join(char if char.isalnum() else " " for char in without_accents.casefold())
    return " ".join(cleaned.split())


def track_relation_history(through: type[models.Model], app_label: str, model_name: str) -> None:
    """History for a many-to-many relation: a row for every link added or removed."""
    pghistory.track(
        pghistory.InsertEvent("add"),
        pghistory.DeleteEvent("remove"),
        obj_field=None,
        app_label=app_label,
        model_name=model_name,
        append_only=True,
    )(through)
