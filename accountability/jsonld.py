"""schema.org structured data for public pages: ClaimReview on claim pages, Person on people pages.

Rendered with ``accountability.templatetags.public.json_ld``, which escapes ``<``, ``>`` and ``&`` so no text
taken from the record can close the ``<script>`` element.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from accountability.models import Organisation, Person, Term
from claims.models import Claim, ClaimLink

PUBLISHER_NAME = getattr(settings, "PUBLIC_SITE_NAME", "Accountability record")

# Ratings on a 1 (false) to 5 (true) scale; alternateName is the verdict in words, as fact-check readers expect.
# An unverified claim has no verdict yet: it gets the words and no number.
CLAIM_REVIEW_RATINGS: dict[str, tuple[int | None, str]] = {
    "refuted": (1, "False"),
    "retracted": (2, "Retracted by the claimant"),
    "disputed": (3, "Disputed"),
    "unverified": (None, "Unverified"),
    "corroborated": (4, "Corroborated"),
    "confirmed": (5, "True"),
}


def publisher(request: HttpRequest) -> dict[str, Any]:
    return {"@type": "Organization", "name": PUBLISHER_NAME, "url": request.build_absolute_uri("/")}


def _claimant(claim: Claim, request: HttpRequest) -> dict[str, Any]:
    if claim.claimant_person_id:
        person = claim.claimant_person
        return {
            "@type": "Person",
            "name": person.name,
            "url": request.build_absolute_uri(reverse("accountability:person", args=[person.slug])),
        }
    organisation = claim.claimant_organisation
    return {
        "@type": "Organization",
        "name": organisation.name,
        "url": request.build_absolute_uri(reverse("accountability:organisation", args=[organisation.slug])),
    }


def claim_review(*, claim: Claim, links: list[ClaimLink], request: HttpRequest) -> dict[str, Any]:
    rating_value, verdict = CLAIM_REVIEW_RATINGS.get(claim.status, (None, claim.status))
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict}
    if rating_value is not None:
        rating.update(ratingValue=rating_value, bestRating=5, worstRating=1)
    item: dict[str, Any] = {"@type": "Claim", "author": _claimant(claim, request)}
    if claim.first_made_on:
        item["datePublished"] = claim.first_made_on.isoformat()
    first_sources = sorted(
        (link.source for link in links if link.source.published_at), key=lambda source: source.published_at
    )
    if first_sources:
        first = first_sources[0]
        appearance: dict[str, Any] = {"@type": "CreativeWork", "headline": first.title or str(first)}
        if first.canonical_url or first.url:
            appearance["url"] = first.canonical_url or first.url
        appearance["datePublished"] = first.published_at.date().isoformat()
        item["firstAppearance"] = appearance
        item["appearance"] = [
            {"@type": "CreativeWork", "url": link.source.canonical_url or link.source.url}
            for link in links
            if link.source.canonical_url or link.source.url
        ]
    reviewed_on = claim.updated_at or claim.published_at
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": request.build_absolute_uri(reverse("claims:claim", args=[claim.slug])),
        "claimReviewed": claim.text,
        "inLanguage": claim.language,
        "itemReviewed": item,
        "author": publisher(request),
        "datePublished": (claim.published_at or claim.created_at).date().isoformat(),
        "dateModified": reviewed_on.date().isoformat() if reviewed_on else None,
        "reviewRating": rating,
    }


def person(*, person: Person, terms: list[Term], request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person.name,
        "url": request.build_absolute_uri(reverse("accountability:person", args=[person.slug])),
    }
    if person.description:
        data["description"] = person.description
    variants = sorted({name.name for name in person.names.all()} - {person.name})
    if variants:
        data["alternateName"] = variants
    same_as = [
        f"https://www.wikidata.org/wiki/{identifier.value}"
        for identifier in person.identifiers.all()
        if identifier.scheme == "wikidata"
    ]
    if same_as:
        data["sameAs"] = same_as
    roles = []
    for term in terms:
        role: dict[str, Any] = {
            "@type": "OrganizationRole",
            "roleName": term.post.title,
            "startDate": term.started_on.isoformat(),
            "memberOf": _organisation(term.post.organisation, request),
        }
        if term.ended_on:
            role["endDate"] = term.ended_on.isoformat()
        roles.append(role)
    if roles:
        data["memberOf"] = roles
    return data


def _organisation(organisation: Organisation, request: HttpRequest) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": organisation.name,
        "url": request.build_absolute_uri(reverse("accountability:organisation", args=[organisation.slug])),
    }
