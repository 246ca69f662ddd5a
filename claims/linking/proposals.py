"""Accountability events proposed from what sentences state, for review; never twice for one person and kind.

A linking batch proposes its events together: what is on record for the people concerned (events and terms) is read
in two queries, the decisions are made in memory in the order of the sentences (so an event proposed by one
sentence counts for the next), and the new events are inserted together.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from accountability.models import AccountabilityEvent, EventKind, RecordOrigin, ReviewState, Term
from claims.linking.sentences import SentenceEntities
from claims.models import Source

#: An event already on record for the same person and kind within this window is not proposed again.
EVENT_DUPLICATE_WINDOW = datetime.timedelta(days=14)
OUTCOME_KINDS = (EventKind.RESIGNATION_REFUSED, EventKind.RESIGNATION_ACCEPTED)


@dataclass(frozen=True)
class StatedEvents:
    """A sentence of a source that states events (an offer, a refusal, an apology...), and who it names."""

    source: Source
    sentence: str
    entities: SentenceEntities
    statements: list
    day: datetime.date


class EventsOnRecord:
    """Non-rejected events of some people, by person and kind in record order, and which offers have an outcome."""

    def __init__(self, events: Iterable[AccountabilityEvent]) -> None:
        """``events`` carry an ``answered`` annotation: whether a non-rejected outcome answers them."""
        self._events: dict[tuple[int, str], list[AccountabilityEvent]] = defaultdict(list)
        self._answered: set[int] = set()  # id() of the offers answered, stored or proposed in this batch
        for event in events:
            self._events[(event.person_id, event.kind)].append(event)
            if event.answered:
                self._answered.add(id(event))

    def find(self, person_id: int, kind: str, day: datetime.date) -> AccountabilityEvent | None:
        """The first-recorded event of this person and kind within the duplicate window of ``day``."""
        return next(
            (
                event
                for event in self._events[(person_id, kind)]
                if abs(event.occurred_on - day) <= EVENT_DUPLICATE_WINDOW
            ),
            None,
        )

    def is_answered(self, offer: AccountabilityEvent) -> bool:
        return id(offer) in self._answered

    def add(self, event: AccountabilityEvent) -> None:
        self._events[(event.person_id, event.kind)].append(event)
        if event.responds_to is not None:
            self._answered.add(id(event.responds_to))


def _events_on_record(people: set[int], kinds: set[str], first: datetime.date, last: datetime.date) -> EventsOnRecord:
    not_rejected = ~Q(review_state=ReviewState.REJECTED)
    return EventsOnRecord(
        AccountabilityEvent.objects.filter(
            not_rejected, person_id__in=people, kind__in=kinds, occurred_on__range=(first, last)
        )
        .annotate(answered=Exists(AccountabilityEvent.objects.filter(not_rejected, responds_to=OuterRef("pk"))))
        .order_by("id")
    )


def _terms_by_person(people: set[int], first: datetime.date, last: datetime.date) -> dict[int, list[tuple]]:
    terms = Term.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first), person_id__in=people, started_on__lte=last
    ).values_list("person_id", "post_id", "started_on", "ended_on")
    by_person: dict[int, list[tuple]] = defaultdict(list)
    for person_id, post_id, started_on, ended_on in terms:
        by_person[person_id].append((post_id, started_on, ended_on))
    return by_person


def _only_post_on(terms: list[tuple], day: datetime.date) -> int | None:
    """The post a person held that day, when they held exactly one."""
    posts = [
        post_id
        for post_id, started_on, ended_on in terms
        if started_on <= day and (ended_on is None or ended_on >= day)
    ]
    return posts[0] if len(posts) == 1 else None


def propose_events(stated: list[StatedEvents]) -> dict[int, int]:
    """Proposed (unreviewed) events for the people these sentences say did something; no duplicates of what is on
    record or proposed by an earlier sentence. Returns how many were proposed per source id."""
    stated = [item for item in stated if item.statements and item.entities.people]
    if not stated:
        return {}
    people = set().union(*(item.entities.people for item in stated))
    first = min(item.day for item in stated) - EVENT_DUPLICATE_WINDOW
    last = max(item.day for item in stated) + EVENT_DUPLICATE_WINDOW
    kinds = {statement.kind for item in stated for statement in item.statements} | {EventKind.RESIGNATION_OFFERED}
    on_record = _events_on_record(people, kinds, first, last)
    terms = _terms_by_person(people, first, last)
    proposed: list[tuple[Source, AccountabilityEvent]] = []
    for item in stated:
        decider_id = min(item.entities.deciders) if len(item.entities.deciders) == 1 else None
        for statement in item.statements:
            for person_id in sorted(item.entities.people):
                event = _proposal(item, statement.kind, person_id, decider_id, on_record, terms)
                if event is not None:
                    on_record.add(event)
                    proposed.append((item.source, event))
    _insert([event for _, event in proposed])
    sources_through = AccountabilityEvent.sources.through
    sources_through.objects.bulk_create(
        [sources_through(accountabilityevent_id=event.pk, source_id=source.pk) for source, event in proposed]
    )
    counts: dict[int, int] = defaultdict(int)
    for source, _ in proposed:
        counts[source.pk] += 1
    return dict(counts)


def _proposal(
    item: StatedEvents,
    kind: str,
    person_id: int,
    decider_id: int | None,
    on_record: EventsOnRecord,
    terms: dict[int, list[tuple]],
) -> AccountabilityEvent | None:
    if on_record.find(person_id, kind, item.day) is not None:
        return None
    event = AccountabilityEvent(
        kind=kind,
        person_id=person_id,
        occurred_on=item.day,
        post_id=item.entities.post_of_person.get(person_id) or _only_post_on(terms[person_id], item.day),
        origin=RecordOrigin.MATCHER,
        review_state=ReviewState.PROPOSED,
        evidence_sentence=item.sentence,
    )
    if kind in OUTCOME_KINDS:
        offer = on_record.find(person_id, EventKind.RESIGNATION_OFFERED, item.day)
        if offer is None or on_record.is_answered(offer):
            return None
        event.responds_to, event.decided_by_id = offer, decider_id
    # The values are checked here; the references and the table's constraints are PostgreSQL's to enforce on insert
    # (asking it beforehand costs a query per reference and per constraint, most of the time of proposing an event).
    event.full_clean(
        exclude=["sources", "person", "post", "responds_to", "decided_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    return event


def _insert(events: list[AccountabilityEvent]) -> None:
    """Offers before the outcomes answering them, so every outcome points at a stored offer."""
    answering_new = {id(event) for event in events if event.responds_to is not None and event.responds_to.pk is None}
    AccountabilityEvent.objects.bulk_create([event for event in events if id(event) not in answering_new])
    if answering_new:
        AccountabilityEvent.objects.bulk_create([event for event in events if id(event) in answering_new])
