"""The editorial admin for sources, claims, quotes and links."""

from django.contrib import admin

from claims.models import Claim, ClaimLink, ClaimStatusChange, Quote, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "publisher_name", "language", "published_at", "fetch_state", "is_published"]
    list_filter = ["fetch_state", "language", "is_published"]
    search_fields = ["title", "canonical_url", "publisher_name"]
    readonly_fields = ["canonical_url", "content_hash", "fetched_at", "recorded_by"]


class ClaimStatusChangeInline(admin.TabularInline):
    model = ClaimStatusChange
    fields = ["from_status", "to_status", "changed_by", "changed_at", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False  # status changes go through the status-change service, which requires reason and evidence


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "first_made_on", "is_published"]
    list_filter = ["status", "is_published"]
    search_fields = ["text"]
    readonly_fields = ["status", "recorded_by", "created_at", "updated_at", "published_at"]
    autocomplete_fields = [
        "claimant_person",
        "claimant_organisation",
        "subject_people",
        "subject_organisations",
        "incident",
    ]
    inlines = [ClaimStatusChangeInline]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "speaker", "said_to", "source"]
    list_select_related = ["speaker", "source"]
    search_fields = ["text"]
    autocomplete_fields = ["speaker", "speaker_organisation", "source", "said_to_organisation"]


@admin.register(ClaimLink)
class ClaimLinkAdmin(admin.ModelAdmin):
    list_display = ["claim", "source", "stance", "confidence", "origin", "review_state"]
    list_filter = ["review_state", "stance", "origin"]
    list_select_related = ["claim", "source"]
    search_fields = ["claim__text", "source__title"]
    autocomplete_fields = ["claim", "source", "quote"]
