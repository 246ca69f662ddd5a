"""FilterSets for people, organisations, posts, terms, incidents and accountability events, and the filter types
every list shares (``updated_since``, id-or-slug references, years, countries)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.drainage import set_override

from accountability import selectors
from accountability.models import (
    OFFER_OUTCOME_KINDS,
    AccountabilityEvent,
    EventKind,
    Incident,
    Organisation,
    OrganisationKind,
    Person,
    Post,
    Term,
)

ISO_8601_HINT = "Give an ISO 8601 date or date-time, e.g. 2016-03-24 or 2016-03-24T18:00:00Z."
# "+01:00" sent unencoded in a query string arrives as " 01:00": take it back.
_SPACED_OFFSET = re.compile(r" (\d{2}(:?\d{2})?)$")


class ISODateTimeField(forms.Field):
    """An ISO 8601 date-time or date (midnight UTC); a date-time without an offset is read as UTC."""

    default_error_messages = {"invalid": ISO_8601_HINT}

    def to_python(self, value: Any) -> datetime.datetime | None:
        if value is None:
            return None
        if value in self.empty_values:  # given, but empty: a client bug worth saying
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        text = _SPACED_OFFSET.sub(r"+\1", str(value).strip())
        try:
            parsed = parse_datetime(text)
            if parsed is None and (day := parse_date(text)) is not None:
                parsed = datetime.datetime.combine(day, datetime.time())
        except ValueError:
            parsed = None
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if not timezone.is_aware(parsed):
            return parsed.replace(tzinfo=datetime.UTC)
        try:  # in UTC: PostgreSQL takes offsets up to 15:59 only, ISO 8601 up to 23:59
            return parsed.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class UpdatedSinceFilter(django_filters.Filter):
    """Records changed at or after a moment; a record also counts as changed when a record it is shown with or
    depends on changed (``with_changes_of``: timestamps on a term's person, an offer's outcomes, a claim's links), so a
    mirror sees it again."""

    field_class = ISODateTimeField

    def __init__(self, *args: Any, with_changes_of: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.with_changes_of = with_changes_of

    def filter(self, qs: QuerySet, value: datetime.datetime | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(changed_since_condition(qs.model, since=value, with_changes_of=self.with_changes_of))


def changed_since_condition(model: type, *, since: datetime.datetime, with_changes_of: tuple[str, ...] = ()) -> Q:
    changed = Q(updated_at__gte=since)
    for moment in with_changes_of:
        touched = model._default_manager.filter(**{f"{moment}__gte": since}).values("pk")
        changed |= Q(pk__in=touched)
    return changed


class YearFilter(django_filters.NumberFilter):
    """A year from 1 to 9999; the schema states the range, so generated clients do not send year 0."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schema = {"type": "integer", "minimum": 1, "maximum": 9999, "description": self.extra.get("help_text", "")}
        set_override(self, "field", schema)


def id_or_slug(field: str, value: str) -> Q:
    """``field`` is the record with this numeric id or this slug."""
    if value.isascii() and value.isdigit():
        return Q(**{f"{field}__pk": int(value)})
    return Q(**{f"{field}__slug": value})


class RecordFilter(django_filters.CharFilter):
    """A related record given by its id or its slug."""

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        return qs.filter(id_or_slug(self.field_name, value))


UPDATED_SINCE_HELP = (
    f"Only records changed at or after this moment. {ISO_8601_HINT} Without an offset, UTC. Records that left "
    "the list since then are in the list's `tombstones/`."
)
# The moments, on related records, that change what a row shows.
PERSON_CHANGES = ("person__updated_at",)
OFFER_CHANGES = ("person__updated_at", "outcomes__updated_at")
CLAIM_CHANGES = ("links__created_at", "links__reviewed_at")


class ApiFilterSet(django_filters.FilterSet):
    """A FilterSet whose form class is built once per language, not on every request.

    django-filter builds a new form class, with a form field, label and validators per filter, for every request:
    about half a millisecond for the claims list, more than its query's own planning. The API's filters take
    nothing from the request (no querysets chosen per user), so one form class per FilterSet class and language
    (the labels are translated) serves every request; each request still gets its own form with its own data."""

    def get_form_class(self) -> type[forms.Form]:
        built = type(self).__dict__.get("_form_classes")
        if built is None:
            built = {}
            type(self)._form_classes = built
        language = translation.get_language()
        if language not in built:
            built[language] = super().get_form_class()
        return built[language]


class PublicRecordFilterSet(ApiFilterSet):
    updated_since = UpdatedSinceFilter(field_name="updated_at", help_text=UPDATED_SINCE_HELP)


class PersonFilter(PublicRecordFilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        help_text="Name or any spelling variant, case-, accent- and typo-tolerant (Bakrawi finds El Bakraoui).",
    )
    organisation = django_filters.CharFilter(
        method="filter_organisation", help_text="Held a post in this organisation (id or slug)."
    )
    country = django_filters.CharFilter(
        method="filter_country", help_text="Held a post in an organisation of this country (ISO 3166-1 alpha-2)."
    )

    class Meta:
        model = Person
        fields = ["q", "organisation", "country", "updated_since"]

    def filter_q(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return selectors.people_matching(people=queryset, query=value)

    def filter_organisation(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        terms = Term.objects.filter(id_or_slug("post__organisation", value), is_published=True)
        return queryset.filter(pk__in=terms.values("person_id"))

    def filter_country(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        terms = Term.objects.filter(post__organisation__country_code=value.strip().upper(), is_published=True)
        return queryset.filter(pk__in=terms.values("person_id"))


class OrganisationFilter(PublicRecordFilterSet):
    q = django_filters.CharFilter(method="filter_q", help_text="Name or alias, accent- and typo-tolerant.")
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, help_text="What kind of organisation.")
    country = django_filters.CharFilter(method="filter_country", help_text="ISO 3166-1 alpha-2 country code, e.g. BE.")
    parent = RecordFilter(field_name="parent", help_text="Directly under this organisation (id or slug).")

    class Meta:
        model = Organisation
        fields = ["q", "kind", "country", "parent", "updated_since"]

    def filter_q(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        return selectors.organisations_matching(organisations=queryset, query=value)

    def filter_country(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        return queryset.filter(country_code=value.strip().upper())


class PostFilter(PublicRecordFilterSet):
    organisation = RecordFilter(field_name="organisation", help_text="In this organisation (id or slug).")
    country = django_filters.CharFilter(
        method="filter_country", help_text="In an organisation of this country (ISO 3166-1 alpha-2)."
    )

    class Meta:
        model = Post
        fields = ["organisation", "country", "updated_since"]

    def filter_country(self, queryset: QuerySet[Post], name: str, value: str) -> QuerySet[Post]:
        return queryset.filter(organisation__country_code=value.strip().upper())


class TermFilter(PublicRecordFilterSet):
    updated_since = UpdatedSinceFilter(
        field_name="updated_at", with_changes_of=PERSON_CHANGES, help_text=UPDATED_SINCE_HELP
    )
    person = RecordFilter(field_name="person", help_text="Held by this person (id or slug).")
    post = RecordFilter(field_name="post", help_text="Of this post (id or slug).")
    organisation = RecordFilter(field_name="post__organisation", help_text="Of a post in this organisation.")
    country = django_filters.CharFilter(
        method="filter_country", help_text="Of a post in an organisation of this country (ISO 3166-1 alpha-2)."
    )
    held_on = django_filters.DateFilter(method="filter_held_on", help_text="Held on this day (YYYY-MM-DD).")

    class Meta:
        model = Term
        fields = ["person", "post", "organisation", "country", "held_on", "updated_since"]

    def filter_country(self, queryset: QuerySet[Term], name: str, value: str) -> QuerySet[Term]:
        return queryset.filter(post__organisation__country_code=value.strip().upper())

    def filter_held_on(self, queryset: QuerySet[Term], name: str, value: datetime.date) -> QuerySet[Term]:
        return queryset.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=value), started_on__lte=value)


class IncidentFilter(PublicRecordFilterSet):
    q = django_filters.CharFilter(method="filter_q", help_text="Full text over name, location and description.")
    country = django_filters.CharFilter(method="filter_country", help_text="ISO 3166-1 alpha-2 country code, e.g. BE.")
    year = YearFilter(field_name="occurred_on", lookup_expr="year", min_value=1, max_value=9999, help_text="Year.")

    class Meta:
        model = Incident
        fields = ["q", "country", "year", "updated_since"]

    def filter_q(self, queryset: QuerySet[Incident], name: str, value: str) -> QuerySet[Incident]:
        return selectors.incidents_matching(incidents=queryset, query=value)

    def filter_country(self, queryset: QuerySet[Incident], name: str, value: str) -> QuerySet[Incident]:
        return queryset.filter(country_code=value.strip().upper())


OUTCOME_CHOICES = [(kind.value, kind.label) for kind in OFFER_OUTCOME_KINDS] + [("open", "No outcome yet")]


class _EventFilterBase(PublicRecordFilterSet):
    updated_since = UpdatedSinceFilter(
        field_name="updated_at", with_changes_of=PERSON_CHANGES, help_text=UPDATED_SINCE_HELP
    )
    person = RecordFilter(field_name="person", help_text="About this person (id or slug).")
    incident = RecordFilter(field_name="incident", help_text="About this incident (id or slug).")
    post = RecordFilter(field_name="post", help_text="In this post (id or slug).")
    organisation = RecordFilter(field_name="post__organisation", help_text="In a post of this organisation.")
    country = django_filters.CharFilter(
        method="filter_country",
        help_text="In a post of an organisation of this country, or about an incident there (ISO 3166-1 alpha-2).",
    )
    year = YearFilter(field_name="occurred_on", lookup_expr="year", min_value=1, max_value=9999, help_text="Year.")
    occurred_after = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="gte", help_text="On or after this day (YYYY-MM-DD)."
    )
    occurred_before = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="lte", help_text="On or before this day (YYYY-MM-DD)."
    )

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        code = value.strip().upper()
        return queryset.filter(Q(post__organisation__country_code=code) | Q(incident__country_code=code))


class AccountabilityEventFilter(_EventFilterBase):
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, help_text="What happened.")
    decided_by = RecordFilter(field_name="decided_by", help_text="Decided by this person (id or slug).")
    outcome = django_filters.ChoiceFilter(
        choices=OUTCOME_CHOICES,
        method="filter_outcome",
        help_text="Resignation offers with this published outcome, or `open` for offers nobody answered yet.",
    )

    class Meta:
        model = AccountabilityEvent
        fields = [
            "kind",
            "person",
            "decided_by",
            "incident",
            "post",
            "organisation",
            "country",
            "year",
            "occurred_after",
            "occurred_before",
            "outcome",
            "updated_since",
        ]

    def filter_outcome(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.accountability_events_with_outcome(events=queryset, outcome=value)


class ResignationOfferFilter(_EventFilterBase):
    updated_since = UpdatedSinceFilter(
        field_name="updated_at", with_changes_of=OFFER_CHANGES, help_text=UPDATED_SINCE_HELP
    )
    outcome = django_filters.ChoiceFilter(
        choices=OUTCOME_CHOICES, method="filter_outcome", help_text="Refused, accepted, withdrawn, or `open`."
    )
    decided_by = django_filters.CharFilter(
        method="filter_decided_by", help_text="The outcome was decided by this person (slug)."
    )
    left_post = django_filters.BooleanFilter(
        field_name="left_post", help_text="Whether the person left the post within 60 days of the offer."
    )

    class Meta:
        model = AccountabilityEvent
        fields = [
            "person",
            "decided_by",
            "incident",
            "post",
            "organisation",
            "country",
            "year",
            "occurred_after",
            "occurred_before",
            "outcome",
            "left_post",
            "updated_since",
        ]

    def filter_outcome(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "open":
            return queryset.filter(outcome__isnull=True)
        return queryset.filter(outcome=value)

    def filter_decided_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(decided_by_slug=value)
