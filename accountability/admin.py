"""The editorial admin for people, organisations, posts, terms, incidents and accountability events."""

from django.contrib import admin

from accountability.models import (
    AccountabilityEvent,
    Incident,
    Organisation,
    Person,
    PersonIdentifier,
    PersonName,
    Post,
    Term,
)


class PersonNameInline(admin.TabularInline):
    model = PersonName
    fields = ["name", "normalized", "kind", "language"]
    readonly_fields = ["normalized"]
    extra = 0


class PersonIdentifierInline(admin.TabularInline):
    model = PersonIdentifier
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["name", "names__name"]
    inlines = [PersonNameInline, PersonIdentifierInline]
    readonly_fields = ["recorded_by", "created_at", "updated_at", "published_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country_code", "parent", "is_published"]
    list_filter = ["kind", "country_code", "is_published"]
    list_select_related = ["parent"]
    search_fields = ["name"]
    readonly_fields = ["recorded_by", "created_at", "updated_at", "published_at"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "is_published"]
    list_select_related = ["organisation"]
    search_fields = ["title", "organisation__name"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["person", "post", "started_on", "ended_on", "end_reason"]
    list_select_related = ["person", "post__organisation"]
    search_fields = ["person__name", "post__title"]
    autocomplete_fields = ["person", "post", "sources"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["name", "occurred_on", "country_code", "deaths", "injuries", "is_published"]
    search_fields = ["name", "location"]
    autocomplete_fields = ["sources"]


@admin.register(AccountabilityEvent)
class AccountabilityEventAdmin(admin.ModelAdmin):
    list_display = ["kind", "person", "occurred_on", "decided_by", "review_state", "is_published"]
    list_filter = ["kind", "review_state", "is_published"]
    list_select_related = ["person", "decided_by"]
    search_fields = ["person__name", "summary"]
    autocomplete_fields = ["person", "decided_by", "post", "incident", "responds_to", "sources"]
