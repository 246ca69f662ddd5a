"""Published records built with the factories, for the API tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accountability.models import EventKind, PersonName, PersonNameKind, ReviewState
from claims.models import ClaimStatusChange, LinkReviewState
from tests.factories import (
    AccountabilityEventFactory,
    ClaimFactory,
    ClaimLinkFactory,
    IncidentFactory,
    OrganisationFactory,
    PersonFactory,
    PostFactory,
    QuoteFactory,
    SourceFactory,
    TermFactory,
    UserFactory,
)


def published() -> dict:
    return {"is_published": True, "published_at": timezone.now()}


def published_world(count: int) -> None:
    """``count`` published records of every kind, each with the relations its endpoint shows."""
    reviewer = UserFactory(first_name="Ann", last_name="Editor")
    for number in range(count):
        source = SourceFactory(**published())
        organisation = OrganisationFactory(parent=OrganisationFactory(**published()), **published())
        person = PersonFactory(**published())
        PersonName.objects.create(
            person=person, name=f"Variant {number}", normalized=f"variant {number}", kind=PersonNameKind.VARIANT
        )
        post = PostFactory(organisation=organisation, **published())
        term = TermFactory(person=person, post=post, **published())
        term.sources.add(source)
        incident = IncidentFactory(**published())
        incident.sources.add(source)
        offer = AccountabilityEventFactory(person=person, post=post, incident=incident, **published())
        offer.sources.add(source)
        decider = PersonFactory(**published())
        refusal = AccountabilityEventFactory(
            kind=EventKind.RESIGNATION_REFUSED, person=person, responds_to=offer, decided_by=decider, **published()
        )
        refusal.sources.add(source)
        claim = ClaimFactory(claimant_organisation=organisation, incident=incident, **published())
        claim.subject_people.add(person)
        claim.subject_organisations.add(organisation)
        change = ClaimStatusChange.objects.create(
            claim=claim, from_status="", to_status="unverified", changed_at=timezone.now(), reason="Recorded."
        )
        change.evidence.add(source)
        quote = QuoteFactory(source=source, speaker=person, **published())
        ClaimLinkFactory(
            claim=claim,
            source=source,
            quote=quote,
            review_state=LinkReviewState.CONFIRMED,
            reviewed_by=reviewer,
            reviewed_at=timezone.now(),
        )


def hidden_event_states(person, offer_day: datetime.date) -> list:  # type: ignore[no-untyped-def]
    """A proposed and a rejected event of the person: neither may ever be shown."""
    return [
        AccountabilityEventFactory(
            kind=EventKind.APOLOGY, person=person, occurred_on=offer_day, review_state=ReviewState.PROPOSED
        ),
        AccountabilityEventFactory(
            kind=EventKind.DISMISSED, person=person, occurred_on=offer_day, review_state=ReviewState.REJECTED
        ),
    ]
