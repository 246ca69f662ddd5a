"""Reads about people, posts, terms and accountability events, with their relations already loaded."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from accountability.models import (
    AccountabilityEvent,
    EventKind,
    Organisation,
    Person,
    PersonName,
    ReviewState,
    Term,
)
from accountability.records import normalize_name

OFFER_CONSEQUENCE_WINDOW = datetime.timedelta(days=60)


def person_find_by_name(*, name: str) -> QuerySet[Person]:
    """People known by this name or spelling variant, case- and accent-insensitively."""
    normalized = normalize_name(name)
    return Person.objects.filter(
        merged_into__isnull=True, id__in=PersonName.objects.filter(normalized=normalized).values("person_id")
    )


def person_terms(*, person: Person) -> QuerySet[Term]:
    return Term.objects.filter(person=person).select_related("post__organisation").order_by("-started_on")


def person_holds_post_on(*, person: Person, post_title: str, day: datetime.date) -> bool:
    """Did the person hold a post with this title on that day?"""
    return Term.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day),
        person=person,
        post__title__iexact=post_title,
        started_on__lte=day,
    ).exists()


def resignation_offers(*, published_only: bool = False) -> QuerySet[AccountabilityEvent]:
    """Every resignation offer with its whole lifecycle, in one query.

    Each row carries ``outcome`` (refused / accepted / withdrawn, or None while open), ``outcome_on``,
    ``decided_by_name`` and ``decided_by_slug`` (who decided), ``left_post``: whether the person's term in
    the post ended within ``OFFER_CONSEQUENCE_WINDOW`` of the offer (a minister who stays on and leaves years later
    for other reasons did not leave over the offer), and ``term_ended_on`` / ``term_end_reason`` of that term.
    """
    live_outcomes = AccountabilityEvent.objects.filter(responds_to=OuterRef("pk")).exclude(
        review_state=ReviewState.REJECTED
    )
    if published_only:
        live_outcomes = live_outcomes.filter(is_published=True)
    term_in_post = Term.objects.filter(
        person=OuterRef("person"), post=OuterRef("post"), started_on__lte=OuterRef("occurred_on")
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("occurred_on")))
    left_post = term_in_post.filter(ended_on__lte=OuterRef("occurred_on") + OFFER_CONSEQUENCE_WINDOW)
    offers = AccountabilityEvent.objects.filter(kind=EventKind.RESIGNATION_OFFERED).exclude(
        review_state=ReviewState.REJECTED
    )
    if published_only:
        offers = offers.filter(is_published=True)
    return (
        offers.select_related("person", "post__organisation", "incident")
        .annotate(
            outcome=Subquery(live_outcomes.values("kind")[:1]),
            outcome_on=Subquery(live_outcomes.values("occurred_on")[:1]),
            decided_by_name=Subquery(live_outcomes.values("decided_by__name")[:1]),
            decided_by_slug=Subquery(live_outcomes.values("decided_by__slug")[:1]),
            left_post=Exists(left_post),
            term_ended_on=Subquery(term_in_post.order_by("started_on").values("ended_on")[:1]),
            term_end_reason=Subquery(term_in_post.order_by("started_on").values("end_reason")[:1]),
        )
        .order_by("-occurred_on", "person__name")
    )


def person_accountability_timeline(*, person: Person, published_only: bool = False) -> QuerySet[AccountabilityEvent]:
    events = AccountabilityEvent.objects.filter(person=person).exclude(review_state=ReviewState.REJECTED)
    if published_only:
        events = events.filter(is_published=True)
    return (
        events.select_related("post__organisation", "incident", "decided_by", "responds_to")
        .prefetch_related("sources")
        .order_by("occurred_on", "id")
    )


def organisation_subtree_ids(*, organisation: Organisation) -> set[int]:
    """The organisation and everything under it (ministries under a government, and so on)."""
    found = {organisation.pk}
    frontier = {organisation.pk}
    while frontier:
        frontier = set(Organisation.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return found
