"""Reads about claims, sources, quotes and links, with their relations already loaded."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accountability.models import Organisation, Term
from accountability.selectors import organisation_subtree_ids
from claims.models import Claim, ClaimLink, ClaimStatusChange, LinkReviewState


def claim_list(*, published_only: bool = False) -> QuerySet[Claim]:
    claims = Claim.objects.filter(merged_into__isnull=True)
    if published_only:
        claims = claims.filter(is_published=True)
    return claims.select_related("claimant_person", "claimant_organisation", "incident").prefetch_related(
        "subject_people", "subject_organisations"
    )


def claims_concerning_organisation(*, organisation: Organisation, published_only: bool = False) -> QuerySet[Claim]:
    """Claims about the organisation or anything under it, or about someone who holds or held a post there."""
    subtree = organisation_subtree_ids(organisation=organisation)
    office_holders = Term.objects.filter(post__organisation_id__in=subtree).values("person_id")
    return (
        claim_list(published_only=published_only)
        .filter(Q(subject_organisations__in=subtree) | Q(subject_people__in=office_holders))
        .distinct()
        .order_by("-first_made_on", "id")
    )


def claim_status_history(*, claim: Claim) -> QuerySet[ClaimStatusChange]:
    return claim.status_changes.select_related("changed_by").prefetch_related("evidence").order_by("changed_at", "id")


def claim_links(*, claim: Claim, public_only: bool = False) -> QuerySet[ClaimLink]:
    links = ClaimLink.objects.filter(claim=claim).select_related("source", "quote__speaker")
    if public_only:
        links = links.filter(
            review_state__in=[LinkReviewState.CONFIRMED, LinkReviewState.AUTO_CONFIRMED], source__is_published=True
        )
    return links.order_by("-confidence", "id")
