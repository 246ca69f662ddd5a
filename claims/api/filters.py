"""FilterSets for claims and sources."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from accountability.api.filters import (
    CLAIM_CHANGES,
    UPDATED_SINCE_HELP,
    ApiFilterSet,
    PublicRecordFilterSet,
    RecordFilter,
    UpdatedSinceFilter,
    YearFilter,
)
from accountability.models import Incident, Organisation, Person
from claims import selectors
from claims.models import Claim, ClaimLink, ClaimStatus, Source, Stance


def _key(value: str) -> Q:
    """``Q`` on the record itself with this id or slug."""
    return Q(pk=int(value)) if value.isascii() and value.isdigit() else Q(slug=value)


class ClaimFilter(PublicRecordFilterSet):
    updated_since = UpdatedSinceFilter(
        field_name="updated_at", with_changes_of=CLAIM_CHANGES, help_text=UPDATED_SINCE_HELP
    )
    q = django_filters.CharFilter(
        method="filter_q", help_text="Full text over the claim and its claimant, accent- and typo-tolerant."
    )
    status = django_filters.ChoiceFilter(choices=ClaimStatus.choices, help_text="The claim's current status.")
    person = django_filters.CharFilter(method="filter_person", help_text="About or made by this person (id or slug).")
    subject_person = RecordFilter(field_name="subject_people", help_text="About this person (id or slug).")
    claimant_person = RecordFilter(field_name="claimant_person", help_text="Made by this person (id or slug).")
    organisation = django_filters.CharFilter(
        method="filter_organisation", help_text="About or made by this organisation (id or slug)."
    )
    incident = RecordFilter(field_name="incident", help_text="About this incident (id or slug).")
    country = django_filters.CharFilter(
        method="filter_country",
        help_text="About an incident in, or made by or about an organisation of, this country (ISO 3166-1 alpha-2).",
    )
    language = django_filters.CharFilter(help_text="Language of the claim, e.g. en.")
    year = YearFilter(
        field_name="first_made_on", lookup_expr="year", min_value=1, max_value=9999, help_text="Year first made."
    )

    class Meta:
        model = Claim
        fields = [
            "q",
            "status",
            "person",
            "subject_person",
            "claimant_person",
            "organisation",
            "incident",
            "country",
            "language",
            "year",
            "updated_since",
        ]

    def filter_q(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return selectors.claims_matching(claims=queryset, query=value)

    def filter_person(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        people = Person.objects.filter(_key(value)).values("pk")
        return queryset.filter(pk__in=selectors.claims_about_or_by(people=people))

    def filter_organisation(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        organisations = Organisation.objects.filter(_key(value)).values("pk")
        return queryset.filter(pk__in=selectors.claims_about_or_by(organisations=organisations))

    def filter_country(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        code = value.strip().upper()
        organisations = Organisation.objects.filter(country_code=code).values("pk")
        incidents = Incident.objects.filter(country_code=code).values("pk")
        return queryset.filter(
            pk__in=selectors.claims_about_or_by(organisations=organisations).union(
                Claim.objects.order_by().filter(incident__in=incidents).values("pk")
            )
        )


class ClaimLinkFilter(ApiFilterSet):
    stance = django_filters.ChoiceFilter(choices=Stance.choices, help_text="Only links of this stance.")

    class Meta:
        model = ClaimLink
        fields = ["stance"]


class SourceFilter(PublicRecordFilterSet):
    q = django_filters.CharFilter(method="filter_q", help_text="Full text over title, publisher and text.")
    incident = django_filters.CharFilter(
        method="filter_incident",
        help_text="Sources the incident (id or slug) names, linked to a claim about it, or naming an event about it.",
    )
    claim = django_filters.CharFilter(
        method="filter_claim", help_text="Sources publicly linked to this claim (id or slug)."
    )
    language = django_filters.CharFilter(help_text="Language of the source, e.g. en, fr, nl.")
    publisher = RecordFilter(field_name="publisher", help_text="Published by this organisation (id or slug).")
    published_after = django_filters.DateFilter(
        field_name="published_at", lookup_expr="date__gte", help_text="Published on or after this day (YYYY-MM-DD)."
    )
    published_before = django_filters.DateFilter(
        field_name="published_at", lookup_expr="date__lte", help_text="Published on or before this day (YYYY-MM-DD)."
    )

    class Meta:
        model = Source
        fields = [
            "q",
            "incident",
            "claim",
            "language",
            "publisher",
            "published_after",
            "published_before",
            "updated_since",
        ]

    def filter_q(self, queryset: QuerySet[Source], name: str, value: str) -> QuerySet[Source]:
        return selectors.sources_matching(sources=queryset, query=value)

    def filter_incident(self, queryset: QuerySet[Source], name: str, value: str) -> QuerySet[Source]:
        return selectors.sources_for_incident(sources=queryset, incident_key=_key(value))

    def filter_claim(self, queryset: QuerySet[Source], name: str, value: str) -> QuerySet[Source]:
        return selectors.sources_for_claim(sources=queryset, claim_key=_key(value))
