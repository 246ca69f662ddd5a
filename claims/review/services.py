"""Reviewers' decisions on the matcher's proposals: accept, reject, or correct then accept.

Links go through ``claims.services.claim_link_review`` (which stores the reviewer and time on the link). Events
have no reviewer column: the decision is an update of the event written inside ``recording(reviewer, ...)``, so
its history row names the reviewer, the action and the time (see ``event_review_record``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from accountability.models import AccountabilityEvent, EventKind, Person, RecordOrigin, ReviewState
from accountability.recording import Actor, recording, save_validated
from claims.models import Claim, ClaimLink, LinkReviewState
from claims.services import claim_link_review

EVENT_REVIEW_ACTION = "accountability_event_review"


def _require_reviewer(actor: Actor) -> None:
    if getattr(actor, "pk", None) is None:
        raise ValidationError({"reviewed_by": "A review needs a signed-in reviewer."})


def accountability_event_review(
    *,
    event: AccountabilityEvent,
    is_accepted: bool,
    actor: Actor,
    person: Person | None = None,
    decided_by: Person | None = None,
    occurred_on: datetime.date | None = None,
    summary: str | None = None,
) -> AccountabilityEvent:
    """Confirm (optionally correcting who, who decided, when, the summary) or reject a proposed event.

    An outcome can be confirmed only once the offer it answers is; rejecting an offer rejects the proposed
    outcomes that answer it, since they cannot stand without it.
    """
    _require_reviewer(actor)
    with recording(actor, action=EVENT_REVIEW_ACTION):
        locked = AccountabilityEvent.objects.select_for_update().get(pk=event.pk)
        if locked.review_state != ReviewState.PROPOSED:
            raise ValidationError(
                {"review_state": f"This event was already {locked.get_review_state_display().lower()}."}
            )
        if not is_accepted:
            locked.review_state = ReviewState.REJECTED
            save_validated(locked)
            if locked.kind == EventKind.RESIGNATION_OFFERED:
                for outcome in locked.outcomes.select_for_update().filter(review_state=ReviewState.PROPOSED):
                    outcome.review_state = ReviewState.REJECTED
                    save_validated(outcome)
            return locked
        if locked.responds_to_id is not None:
            offer = AccountabilityEvent.objects.get(pk=locked.responds_to_id)
            if offer.review_state != ReviewState.CONFIRMED:
                raise ValidationError(
                    {"responds_to": "Accept the resignation offer this outcome answers before accepting the outcome."}
                )
            if person is not None and person.pk != offer.person_id:
                raise ValidationError(
                    {"person": "An outcome concerns the person who offered to resign; correct the offer instead."}
                )
        if person is not None:
            locked.person = person
        if decided_by is not None:
            locked.decided_by = decided_by
        if occurred_on is not None:
            locked.occurred_on = occurred_on
        if summary is not None:
            locked.summary = summary.strip()
        locked.review_state = ReviewState.CONFIRMED
        return save_validated(locked)


def claim_link_correct(*, link: ClaimLink, actor: Actor, stance: str, claim: Claim) -> ClaimLink:
    """Accept a proposed link after correcting its stance or the claim it supports."""
    _require_reviewer(actor)
    if claim.pk != link.claim_id and ClaimLink.objects.filter(claim=claim, source_id=link.source_id).exists():
        raise ValidationError({"claim": "This source is already linked to that claim; reject this proposal instead."})
    with recording(actor, action="claim_link_review"):
        locked = ClaimLink.objects.select_for_update().get(pk=link.pk)
        if locked.review_state != LinkReviewState.SUGGESTED:
            raise ValidationError({"review_state": "Someone already decided on this link."})
        return claim_link_review(link=locked, is_accepted=True, actor=actor, stance=stance, claim=claim)


@dataclass
class Decisions:
    """What a bulk decision did: how many of each kind were decided, and why the others were not."""

    links: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)


def _offers_first(events: Sequence[AccountabilityEvent]) -> list[AccountabilityEvent]:
    return sorted(events, key=lambda event: (event.responds_to_id is not None, event.pk))


def proposals_decide(
    *, link_ids: Sequence[int], event_ids: Sequence[int], is_accepted: bool, actor: Actor
) -> Decisions:
    """Accept or reject many proposals. Each decision commits on its own; one that cannot be made (decided
    meanwhile by someone else, an outcome whose offer is not accepted) is reported and the rest go on.
    Offers are decided before the outcomes answering them, so accepting both at once works."""
    _require_reviewer(actor)
    decisions = Decisions()
    links = ClaimLink.objects.filter(pk__in=link_ids).select_related("claim", "source").order_by("id")
    for link in links:
        with recording(actor, action="claim_link_review"):
            locked = ClaimLink.objects.select_for_update().get(pk=link.pk)
            if locked.origin != RecordOrigin.MATCHER or locked.review_state != LinkReviewState.SUGGESTED:
                decisions.problems.append(f"Link to “{link.claim}” was already decided; left as it is.")
                continue
            claim_link_review(link=locked, is_accepted=is_accepted, actor=actor)
            decisions.links += 1
    events = AccountabilityEvent.objects.filter(pk__in=event_ids, origin=RecordOrigin.MATCHER).select_related("person")
    rejected_offers: set[int] = set()
    for event in _offers_first(list(events)):
        if not is_accepted and event.responds_to_id in rejected_offers:
            decisions.events += 1  # rejected together with the offer it answers
            continue
        try:
            accountability_event_review(event=event, is_accepted=is_accepted, actor=actor)
        except ValidationError as error:
            decisions.problems.append(f"{event.get_kind_display()}, {event.person}: {' '.join(error.messages)}")
            continue
        decisions.events += 1
        if not is_accepted and event.kind == EventKind.RESIGNATION_OFFERED:
            rejected_offers.add(event.pk)
    return decisions


def event_review_record(event: AccountabilityEvent) -> tuple[object | None, datetime.datetime | None]:
    """Who decided on an event and when, read from its history (the row written by the review)."""
    row = (
        event.history.filter(pgh_context__metadata__action=EVENT_REVIEW_ACTION)
        .select_related("pgh_context")
        .order_by("-pgh_id")
        .first()
    )
    if row is None:
        return None, None
    from django.contrib.auth import get_user_model

    user_id = row.pgh_context.metadata.get("user")
    return get_user_model().objects.filter(pk=user_id).first(), row.pgh_created_at
