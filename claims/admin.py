"""The editorial admin for sources, claims, quotes and links."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from accountability.admin_editorial import AccessibleAutocompleteMixin, EditorialAdmin, MergeAdmin
from accountability.models import Person
from accountability.selectors import people_matching
from claims.merging import claim_merge
from claims.models import Claim, ClaimLink, ClaimStatus, ClaimStatusChange, Quote, Source
from claims.selectors import claims_matching, sources_matching
from claims.services import claim_status_change


@admin.register(Source)
class SourceAdmin(EditorialAdmin):
    list_display = ["__str__", "publisher_name", "language", "published_at", "fetch_state", "is_published"]
    list_filter = ["fetch_state", "language", "is_published"]
    search_fields = ["title", "canonical_url", "publisher_name"]
    readonly_fields = ["canonical_url", "content_hash", "fetched_at"]
    autocomplete_fields = ["publisher", "duplicate_of"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # an address typed without a scheme

    def search_matching(self, queryset: QuerySet, search_term: str) -> QuerySet:
        return sources_matching(sources=queryset, query=search_term)


class ClaimStatusChangeInline(admin.TabularInline):
    model = ClaimStatusChange
    fields = ["from_status", "to_status", "changed_by", "changed_at", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False  # status changes go through the status-change service, which requires reason and evidence

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("changed_by")


class ClaimStatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label="New status", choices=ClaimStatus.choices)
    reason = forms.CharField(label="Why the status changes", widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.ModelMultipleChoiceField(
        label="Evidence",
        queryset=Source.objects.filter(deleted_at__isnull=True),
        help_text="The sources that show it: at least one.",
    )

    def __init__(self, *args: object, admin_site: admin.AdminSite, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        evidence = self.fields["evidence"]
        evidence.widget = AutocompleteSelectMultiple(ClaimStatusChange._meta.get_field("evidence"), admin_site)
        evidence.queryset = Source.objects.filter(deleted_at__isnull=True)  # hands the choices to the widget


@admin.register(Claim)
class ClaimAdmin(MergeAdmin):
    list_display = ["__str__", "status", "first_made_on", "is_published"]
    list_filter = ["status", "is_published"]
    search_fields = ["text", "slug"]
    readonly_fields = ["status"]
    autocomplete_fields = [
        "claimant_person",
        "claimant_organisation",
        "subject_people",
        "subject_organisations",
        "incident",
    ]
    inlines = [ClaimStatusChangeInline]
    merge_service = staticmethod(claim_merge)

    def search_matching(self, queryset: QuerySet, search_term: str) -> QuerySet:
        """Claims by their words, or by a claimant or subject found under any spelling of their name."""
        people = people_matching(people=Person.objects.all(), query=search_term)
        by_people = Claim.objects.filter(Q(claimant_person__in=people) | Q(subject_people__in=people))
        by_words = claims_matching(claims=Claim.objects.all(), query=search_term)
        return queryset.filter(Q(pk__in=by_people.values("pk")) | Q(pk__in=by_words.values("pk")))

    def get_urls(self) -> list:
        status = self.admin_site.admin_view(self.status_change_view)
        return [path("<path:object_id>/status/", status, name="claims_claim_status"), *super().get_urls()]

    def status_change_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Change a claim's status through the status-change service: a reason and evidence are required."""
        claim = get_object_or_404(Claim, pk=unquote(object_id))
        if not request.user.has_perm("claims.change_claim_status"):
            raise PermissionDenied
        form = ClaimStatusChangeForm(request.POST or None, admin_site=self.admin_site)
        if request.method == "POST" and form.is_valid():
            try:
                claim_status_change(
                    claim=claim,
                    to_status=form.cleaned_data["to_status"],
                    reason=form.cleaned_data["reason"],
                    evidence=form.cleaned_data["evidence"],
                    actor=request.user,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                self.message_user(request, f"The claim is now {claim.get_status_display().lower()}.", messages.SUCCESS)
                return HttpResponseRedirect(reverse(f"{self.admin_site.name}:claims_claim_change", args=[claim.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Change the claim's status",
            "subtitle": str(claim),
            "opts": self.opts,
            "object": claim,
            "form": form,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/history/claim_status_change.html", context)


@admin.register(Quote)
class QuoteAdmin(EditorialAdmin):
    list_display = ["__str__", "speaker", "said_to", "source", "is_published"]
    list_filter = ["is_published"]
    list_select_related = ["speaker", "source"]
    search_fields = ["text", "speaker__name"]
    autocomplete_fields = ["speaker", "speaker_organisation", "source", "said_to_organisation"]

    def search_matching(self, queryset: QuerySet, search_term: str) -> QuerySet:
        return queryset.filter(speaker__in=people_matching(people=Person.objects.all(), query=search_term))


@admin.register(ClaimLink)
class ClaimLinkAdmin(AccessibleAutocompleteMixin, admin.ModelAdmin):
    list_display = ["claim", "source", "stance", "confidence", "origin", "review_state"]
    list_filter = ["review_state", "stance", "origin"]
    list_select_related = ["claim", "source"]
    search_fields = ["claim__text", "source__title"]
    autocomplete_fields = ["claim", "source", "quote"]

    def get_readonly_fields(self, request: HttpRequest, obj: ClaimLink | None = None) -> list[str]:
        """Confirming or rejecting a link is a review: only reviewers change its review state."""
        readonly = [*super().get_readonly_fields(request, obj), "reviewed_by", "reviewed_at", "recorded_by"]
        if not request.user.has_perm("claims.review_claimlink"):
            readonly += ["review_state", "origin", "matcher_version"]
        return readonly


from claims import admin_parked  # noqa: E402, F401  (parked background tasks)
