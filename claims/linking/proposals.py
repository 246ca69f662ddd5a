"""Accountability events proposed from what a sentence states, for review; never twice for one person and kind."""

from __future__ import annotations

import datetime

from django.db.models import Q

from accountability.models import AccountabilityEvent, EventKind, RecordOrigin, ReviewState, Term
from claims.linking.sentences import SentenceEntities
from claims.models import Source

#: An event already on record for the same person and kind within this window is not proposed again.
EVENT_DUPLICATE_WINDOW = datetime.timedelta(days=14)


def _term_post_on(person_id: int, day: datetime.date) -> int | None:
    posts = list(
        Term.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day), person_id=person_id, started_on__lte=day
        ).values_list("post_id", flat=True)[:2]
    )
    return posts[0] if len(posts) == 1 else None


def _existing_event(person_id: int, kind: str, day: datetime.date) -> AccountabilityEvent | None:
    return (
        AccountabilityEvent.objects.filter(
            person_id=person_id,
            kind=kind,
            occurred_on__range=(day - EVENT_DUPLICATE_WINDOW, day + EVENT_DUPLICATE_WINDOW),
        )
        .exclude(review_state=ReviewState.REJECTED)
        .order_by("id")
        .first()
    )


def propose_events(
    *, source: Source, sentence: str, entities: SentenceEntities, statements: list, day: datetime.date
) -> int:
    """Proposed (unreviewed) events for the people a sentence says did something; no duplicates."""
    proposed = 0
    decider_id = min(entities.deciders) if len(entities.deciders) == 1 else None
    for statement in statements:
        for person_id in sorted(entities.people):
            if _existing_event(person_id, statement.kind, day) is not None:
                continue
            post_id = entities.post_of_person.get(person_id) or _term_post_on(person_id, day)
            fields: dict[str, object] = {
                "kind": statement.kind,
                "person_id": person_id,
                "occurred_on": day,
                "post_id": post_id,
                "origin": RecordOrigin.MATCHER,
                "review_state": ReviewState.PROPOSED,
                "evidence_sentence": sentence,
            }
            if statement.kind in (EventKind.RESIGNATION_REFUSED, EventKind.RESIGNATION_ACCEPTED):
                offer = _existing_event(person_id, EventKind.RESIGNATION_OFFERED, day)
                if offer is None or offer.outcomes.exclude(review_state=ReviewState.REJECTED).exists():
                    continue
                fields.update({"responds_to": offer, "decided_by_id": decider_id})
            event = AccountabilityEvent(**fields)
            # The fields are checked here; the table's constraints are PostgreSQL's to enforce on insert (asking it
            # beforehand costs one query per constraint, most of the time of proposing an event).
            event.full_clean(exclude=["sources"], validate_constraints=False)
            event.save()
            event.sources.add(source)
            proposed += 1
    return proposed
