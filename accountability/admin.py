"""The editorial admin for people, organisations, posts, terms, incidents and accountability events."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.http import HttpRequest

from accountability.admin_editorial import EditorialAdmin, MergeAdmin
from accountability.merging import person_merge
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
from accountability.records import normalize_name
from accountability.selectors import incidents_matching, organisations_matching, people_matching


def posts_matching(*, posts: QuerySet[Post], query: str) -> QuerySet[Post]:
    """Posts whose title or one of its aliases ("interior minister") contains the words, accent-insensitively."""
    alias_text = Func(F("aliases"), Value(" "), function="array_to_string", output_field=TextField())
    return posts.annotate(alias_text=alias_text).filter(
        Q(title__unaccent__icontains=query.strip()) | Q(alias_text__unaccent__icontains=query.strip())
    )


class PersonNameForm(forms.ModelForm):
    """A name typed in the admin gets its matching form (case-, accent- and punctuation-free) computed."""

    class Meta:
        model = PersonName
        fields = ["name", "kind", "language"]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("name"):
            normalized = normalize_name(cleaned["name"])
            if not normalized:
                self.add_error("name", "A name needs at least one letter or digit.")
            self.instance.normalized = normalized
        return cleaned


class PersonNameInline(admin.TabularInline):
    model = PersonName
    form = PersonNameForm
    fields = ["name", "normalized", "kind", "language"]
    readonly_fields = ["normalized"]
    extra = 0


class PersonIdentifierInline(admin.TabularInline):
    model = PersonIdentifier
    extra = 0


@admin.register(Person)
class PersonAdmin(MergeAdmin):
    list_display = ["name", "slug", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["name", "slug", "names__normalized"]
    inlines = [PersonNameInline, PersonIdentifierInline]
    merge_service = staticmethod(person_merge)

    def search_matching(self, queryset: QuerySet, search_term: str) -> QuerySet:
        return people_matching(people=queryset, query=search_term)


@admin.register(Organisation)
class OrganisationAdmin(EditorialAdmin):
    list_display = ["name", "kind", "country_code", "parent", "is_published"]
    list_filter = ["kind", "country_code", "is_published"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]

    def search_matching(self, queryset: QuerySet, search_term: str) -> QuerySet:
        return organisations_matching(organisations=queryset, query=search_term)


@admin.register(Post)
class PostAdmin(EditorialAdmin):
    list_display = ["title", "organisation", "is_published"]
    list_filter = ["is_published"]
    list_select_related = ["organisation"]
    search_fields = ["title", "organisation__name"]
    autocomplete_fields = ["organisation"]

    def search_matching(self, queryset: QuerySet, search_term: str) -> QuerySet:
        return posts_matching(posts=queryset, query=search_term)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("organisation")


@admin.register(Term)
class TermAdmin(EditorialAdmin):
    list_display = ["person", "post", "started_on", "ended_on", "end_reason", "is_published"]
    list_filter = ["is_published", "end_reason"]
    list_select_related = ["person", "post__organisation"]
    search_fields = ["person__name", "post__title"]
    autocomplete_fields = ["person", "post", "sources"]

    def search_matching(self, queryset: QuerySet, search_term: str) -> QuerySet:
        return queryset.filter(person__in=people_matching(people=Person.objects.all(), query=search_term))

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("person", "post__organisation")


@admin.register(Incident)
class IncidentAdmin(EditorialAdmin):
    list_display = ["name", "occurred_on", "country_code", "deaths", "injuries", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "location"]
    autocomplete_fields = ["sources"]

    def search_matching(self, queryset: QuerySet, search_term: str) -> QuerySet:
        return incidents_matching(incidents=queryset, query=search_term)


@admin.register(AccountabilityEvent)
class AccountabilityEventAdmin(EditorialAdmin):
    list_display = ["kind", "person", "occurred_on", "decided_by", "review_state", "is_published"]
    list_filter = ["kind", "review_state", "is_published"]
    list_select_related = ["person", "decided_by"]
    search_fields = ["person__name", "summary"]
    autocomplete_fields = ["person", "decided_by", "post", "incident", "responds_to", "sources"]

    def search_matching(self, queryset: QuerySet, search_term: str) -> QuerySet:
        return queryset.filter(person__in=people_matching(people=Person.objects.all(), query=search_term))

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("person", "decided_by")

    def get_readonly_fields(self, request: HttpRequest, obj: AccountabilityEvent | None = None) -> list[str]:
        """Confirming or rejecting a proposed event is a review: only reviewers change its review state."""
        readonly = super().get_readonly_fields(request, obj)
        if not request.user.has_perm("accountability.review_accountabilityevent"):
            readonly += ["review_state", "origin"]
        return readonly
