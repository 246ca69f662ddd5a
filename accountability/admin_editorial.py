"""What every editorial ModelAdmin shares: publication actions behind the publish permission, soft deletion with a
"Deleted" filter and restore, deleting for good for the admin role, a change history with revert, merging, and
search that finds aliases and spelling variants."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from accountability.deletion import record_restore, record_soft_delete
from accountability.recording import publication_set, recording
from accountability.records import EditorialRecord
from accountability.revisions import record_revert, record_revisions

BOOKKEEPING_FIELDS = ("recorded_by", "created_at", "updated_at", "published_at", "deleted_at", "deleted_by")
# Accessibility fixes on the stock admin: names for the autocomplete pickers, underlined links in breadcrumbs.
ACCESSIBILITY_MEDIA = forms.Media(
    js=["admin/editorial_core/autocomplete_labels.js"], css={"all": ["admin/editorial_core/accessibility.css"]}
)


class AccessibleAutocompleteMixin:
    """Loads the accessibility fixes: accessible names for the autocomplete pickers, distinguishable links."""

    @property
    def media(self) -> forms.Media:
        return super().media + ACCESSIBILITY_MEDIA  # type: ignore[misc]


def _errors_text(error: ValidationError) -> str:
    return "; ".join(error.messages)


def is_autocomplete(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


class DeletedListFilter(admin.SimpleListFilter):
    """Deleted records leave the lists; this filter shows them (to restore or, for admins, delete for good)."""

    title = "deletion"
    parameter_name = "deleted"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Deleted")]

    def choices(self, changelist: Any):  # type: ignore[no-untyped-def]
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Not deleted",
        }
        yield {
            "selected": self.value() == "yes",
            "query_string": changelist.get_query_string({self.parameter_name: "yes"}),
            "display": "Deleted",
        }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(deleted_at__isnull=self.value() != "yes")


class EditorialAdmin(AccessibleAutocompleteMixin, admin.ModelAdmin):
    """The base of every admin for an ``EditorialRecord`` model."""

    actions = ["publish_selected", "unpublish_selected", "restore_selected", "purge_selected"]
    delete_confirmation_template = "admin/history/soft_delete_confirmation.html"
    delete_selected_confirmation_template = "admin/history/soft_delete_selected_confirmation.html"

    # --- permissions ---

    def _has(self, request: HttpRequest, action: str) -> bool:
        return request.user.has_perm(f"{self.opts.app_label}.{action}_{self.opts.model_name}")

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return self._has(request, "publish")

    def has_purge_permission(self, request: HttpRequest) -> bool:
        return self._has(request, "purge")

    # --- lists and forms ---

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        return [*super().get_list_filter(request), DeletedListFilter]

    def get_readonly_fields(self, request: HttpRequest, obj: models.Model | None = None) -> list[str]:
        readonly = [*super().get_readonly_fields(request, obj)]
        readonly += [name for name in BOOKKEEPING_FIELDS if name not in readonly]
        if hasattr(self.model, "merged_into") and "merged_into" not in readonly:
            readonly.append("merged_into")
        deleted = obj is not None and obj.deleted_at is not None
        if (deleted or not self.has_publish_permission(request)) and "is_published" not in readonly:
            readonly.append("is_published")
        return readonly

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        matching = self.search_matching(queryset, search_term) if search_term.strip() else None
        if matching is not None:
            results = queryset.filter(Q(pk__in=results.values("pk")) | Q(pk__in=matching.values("pk")))
            may_have_duplicates = False
        if is_autocomplete(request):  # pickers offer only live records
            results = results.filter(deleted_at__isnull=True)
            if hasattr(self.model, "merged_into"):
                results = results.filter(merged_into__isnull=True)
        return results, may_have_duplicates

    def search_matching(self, queryset: QuerySet, search_term: str) -> QuerySet | None:
        """Records found by the product's own matching (variants, aliases, accents), beyond ``search_fields``."""
        return None

    # --- writes ---

    def save_model(self, request: HttpRequest, obj: EditorialRecord, form: forms.ModelForm, change: bool) -> None:
        """Publication through its service (webhooks, history), everything else as the form says."""
        publishing = "is_published" in form.changed_data and self.has_publish_permission(request)
        wanted = obj.is_published
        if "is_published" in form.changed_data:
            obj.is_published = not wanted
        if not change and obj.recorded_by_id is None:
            obj.recorded_by = request.user
        with recording(request.user, action=f"{self.opts.model_name}_{'change' if change else 'add'}"):
            super().save_model(request, obj, form, change)
            if publishing:
                publication_set(record=obj, is_published=wanted, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: EditorialRecord) -> None:
        if getattr(request, "purging", False):
            with recording(request.user, action="purge"):
                super().delete_model(request, obj)
        else:
            record_soft_delete(record=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        if getattr(request, "purging", False):
            with recording(request.user, action="purge"):
                super().delete_queryset(request, queryset)
            return
        with recording(request.user, action="delete"):
            for record in queryset:
                record_soft_delete(record=record, actor=request.user)

    def get_deleted_objects(self, objs: Any, request: HttpRequest):  # type: ignore[no-untyped-def]
        """A plain delete only hides records, so nothing related goes with them and nothing protects them."""
        if getattr(request, "purging", False):
            return super().get_deleted_objects(objs, request)
        records = list(objs)
        return [str(record) for record in records], {self.opts.verbose_name_plural: len(records)}, set(), []

    # --- actions ---

    def _publication_apply(self, request: HttpRequest, queryset: QuerySet, *, is_published: bool) -> None:
        changed = 0
        for record in queryset:
            if record.deleted_at is not None:
                self.message_user(request, f"“{record}” is deleted; restore it first.", messages.ERROR)
                continue
            if record.is_published == is_published:
                continue
            try:
                publication_set(record=record, is_published=is_published, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"“{record}” was not changed: {_errors_text(error)}", messages.ERROR)
            else:
                changed += 1
        verb = "published" if is_published else "unpublished"
        self.message_user(request, f"{changed} {self.opts.verbose_name_plural} {verb}.", messages.SUCCESS)

    @admin.action(permissions=["publish"], description="Publish selected %(verbose_name_plural)s")
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._publication_apply(request, queryset, is_published=True)

    @admin.action(permissions=["publish"], description="Unpublish selected %(verbose_name_plural)s")
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._publication_apply(request, queryset, is_published=False)

    @admin.action(permissions=["delete"], description="Restore selected deleted %(verbose_name_plural)s")
    def restore_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        restored = 0
        with recording(request.user, action="restore"):
            for record in queryset.filter(deleted_at__isnull=False):
                record_restore(record=record, actor=request.user)
                restored += 1
        self.message_user(request, f"{restored} {self.opts.verbose_name_plural} restored, as drafts.", messages.SUCCESS)

    @admin.action(permissions=["purge"], description="Delete selected deleted %(verbose_name_plural)s for good")
    def purge_selected(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        request.purging = True  # type: ignore[attr-defined]
        deleted = queryset.filter(deleted_at__isnull=False)
        if not deleted.exists():
            self.message_user(
                request, "Only deleted records can be deleted for good: delete them first.", messages.ERROR
            )
            return None
        response = delete_selected(self, request, deleted)
        if isinstance(response, TemplateResponse):  # the confirmation page, posting back to this action
            response.template_name = "admin/history/purge_selected_confirmation.html"
        return response

    # --- history and revert ---

    def get_urls(self) -> list[Any]:
        info = self.opts.app_label, self.opts.model_name
        revert = self.admin_site.admin_view(require_POST(self.revert_view))
        return [
            path("<path:object_id>/history/<int:event_id>/revert/", revert, name="{}_{}_revert".format(*info)),
            *super().get_urls(),
        ]

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> HttpResponse:
        """Every version of the record from its history table: who, when, why, and what changed."""
        record = self.get_object(request, unquote(object_id))
        if record is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, record):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"Change history: {record}",
            "subtitle": None,
            "object": record,
            "opts": self.opts,
            "revisions": record_revisions(record=record),
            "can_revert": self.has_change_permission(request, record),
            "revert_url_name": f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_revert",
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/history/record_history.html", context)

    def revert_view(self, request: HttpRequest, object_id: str, event_id: int) -> HttpResponse:
        record = get_object_or_404(self.model._base_manager, pk=unquote(object_id))
        if not self.has_change_permission(request, record):
            raise PermissionDenied
        info = self.admin_site.name, self.opts.app_label, self.opts.model_name
        try:
            record_revert(record=record, event_id=event_id, actor=request.user)
        except ValidationError as error:
            self.message_user(request, f"Not reverted: {_errors_text(error)}", messages.ERROR)
            return HttpResponseRedirect(reverse("{}:{}_{}_history".format(*info), args=[record.pk]))
        self.message_user(request, f"“{record}” was reverted to the chosen version.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("{}:{}_{}_change".format(*info), args=[record.pk]))


class MergeForm(forms.Form):
    winner = forms.ModelChoiceField(queryset=None, label="Merge into", help_text="The record that stays.")  # type: ignore[arg-type]

    def __init__(self, *args: Any, model_admin: admin.ModelAdmin, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = model_admin.model
        field = self.fields["winner"]
        field.widget = AutocompleteSelect(model._meta.get_field("merged_into"), model_admin.admin_site)
        # Setting the choices after the widget hands them to it.
        field.queryset = model._default_manager.filter(merged_into__isnull=True, deleted_at__isnull=True)  # type: ignore[attr-defined]


class MergeAdmin(EditorialAdmin):
    """Adds "Merge into…": pick the record that stays on a confirmation page; the selected ones merge into it."""

    actions = [*EditorialAdmin.actions, "merge_selected"]
    merge_service: Callable[..., Any]

    def has_merge_permission(self, request: HttpRequest) -> bool:
        return self._has(request, "merge")

    @admin.action(permissions=["merge"], description="Merge into…")
    def merge_selected(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        if not self.has_merge_permission(request):
            raise PermissionDenied
        confirming = request.POST.get("post") == "yes"
        form = MergeForm(request.POST if confirming else None, model_admin=self)
        if confirming and form.is_valid():
            winner = form.cleaned_data["winner"]
            merged = 0
            for loser in queryset.exclude(pk=winner.pk):
                try:
                    self.merge_service(loser=loser, winner=winner, actor=request.user)
                except ValidationError as error:
                    self.message_user(request, f"“{loser}” was not merged: {_errors_text(error)}", messages.ERROR)
                else:
                    merged += 1
            self.message_user(request, f"{merged} merged into “{winner}”.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge {self.opts.verbose_name_plural}",
            "subtitle": None,
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media,
            "records": list(queryset),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/history/merge_confirmation.html", context)
