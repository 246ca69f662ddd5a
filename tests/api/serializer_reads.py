"""The records the API serializers describe, read as model instances: what the API's documents built by PostgreSQL
(``claims.api.documents``, ``accountability.api.documents``) are held to in ``test_documents``. Written out here,
apart from the documents' SQL, so the two are independent statements of the same rules."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber

from accountability.models import (
    OFFER_OUTCOME_KINDS,
    AccountabilityEvent,
    Person,
    PersonIdentifier,
    PersonName,
    ReviewState,
    Term,
)
from accountability.selectors import source_refs
from claims.models import Claim
from claims.selectors import API_DETAIL_LINKS_PER_STANCE, claims_api, links_api


def claims_with_strongest_links() -> QuerySet[Claim]:
    """``claims_api`` with, as ``public_links``, the strongest public links of each stance (at most
    ``API_DETAIL_LINKS_PER_STANCE`` of each), as ``ClaimDetailSerializer`` expects."""
    strongest = (
        links_api()
        .annotate(
            stance_rank=Window(
                RowNumber(), partition_by=[F("claim_id"), F("stance")], order_by=[F("confidence").desc(), F("id")]
            )
        )
        .filter(stance_rank__lte=API_DETAIL_LINKS_PER_STANCE)
        .order_by("stance", "-confidence", "id")
    )
    return claims_api().prefetch_related(Prefetch("links", queryset=strongest, to_attr="public_links"))


def people() -> QuerySet[Person]:
    """Published, unmerged people with their name variants, identifiers and published terms (most recent first)."""
    return Person.objects.filter(is_published=True, merged_into__isnull=True).prefetch_related(
        Prefetch("names", queryset=PersonName.objects.order_by("kind", "name", "id")),
        Prefetch("identifiers", queryset=PersonIdentifier.objects.order_by("scheme", "value", "id")),
        Prefetch(
            "terms",
            queryset=Term.objects.filter(is_published=True)
            .select_related("post__organisation")
            .order_by("-started_on", "id"),
            to_attr="public_terms",
        ),
    )


def events() -> QuerySet[AccountabilityEvent]:
    """Confirmed, published events of published people; an offer's published outcomes that were not rejected as
    ``public_outcomes``, oldest first; published sources, newest first."""
    outcomes = (
        AccountabilityEvent.objects.filter(is_published=True, kind__in=[kind.value for kind in OFFER_OUTCOME_KINDS])
        .exclude(review_state=ReviewState.REJECTED)
        .select_related("decided_by")
        .order_by("occurred_on", "id")
    )
    return (
        AccountabilityEvent.objects.filter(
            is_published=True, review_state=ReviewState.CONFIRMED, person__is_published=True
        )
        .select_related("person", "post__organisation", "incident", "decided_by")
        .prefetch_related(
            Prefetch("sources", queryset=source_refs()),
            Prefetch("outcomes", queryset=outcomes, to_attr="public_outcomes"),
        )
    )
