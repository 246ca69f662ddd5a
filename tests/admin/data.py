"""Rows for admin tests: a few of every editorial model, related the way real records are."""

from __future__ import annotations

from accountability.models import EventKind
from claims.models import ClaimStatusChange
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
)


def editorial_rows(count: int) -> None:
    """``count`` rows of every editorial model, each with related rows, so an N+1 query shows."""
    for _ in range(count):
        organisation = OrganisationFactory(parent=OrganisationFactory())
        person = PersonFactory()
        decider = PersonFactory()
        post = PostFactory(organisation=organisation)
        source = SourceFactory(publisher=organisation)
        term = TermFactory(person=person, post=post)
        term.sources.add(source)
        incident = IncidentFactory()
        incident.sources.add(source)
        offer = AccountabilityEventFactory(person=person, post=post, incident=incident)
        offer.sources.add(source)
        AccountabilityEventFactory(
            person=person, kind=EventKind.RESIGNATION_REFUSED, responds_to=offer, decided_by=decider
        ).sources.add(source)
        claim = ClaimFactory(claimant_person=person, incident=incident)
        claim.subject_people.add(decider)
        claim.subject_organisations.add(organisation)
        quote = QuoteFactory(speaker=person, source=source)
        ClaimLinkFactory(claim=claim, source=source, quote=quote)
        change = ClaimStatusChange.objects.create(
            claim=claim,
            to_status="disputed",
            from_status="unverified",
            reason="Denied.",
            changed_at=source.published_at,
        )
        change.evidence.add(source)
