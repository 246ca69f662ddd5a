"""What waits in the review queue: the matcher's proposed links and accountability events, best first, with
everything a reviewer needs to decide in one screen."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from accountability.models import AccountabilityEvent, Incident, Organisation, Person, RecordOrigin, ReviewState
from claims.matching.text import tokenize
from claims.models import Claim, ClaimLink, LinkReviewState, Source

_WORD = re.compile(r"\w+", re.UNICODE)
#: What each part of a link's score measures, in a reviewer's words.
SIGNAL_LABELS = {
    "text_cosine": "Same meaning (cosine)",
    "lexical_coverage": "Claim's words used",
    "entity_overlap": "Shared people or organisations",
    "date_window": "Close in time",
}


@dataclass(frozen=True)
class QueueFilters:
    """The reviewer's narrowing of the queue. Claim and minimum score apply to links only."""

    incident: Incident | None = None
    official: Person | None = None
    claim: Claim | None = None
    source: Source | None = None
    minimum_score: float | None = None
    older_than_days: int | None = None
    newer_than_days: int | None = None


@dataclass
class LinkProposal:
    link: ClaimLink
    sentence: SafeString
    score: float | None
    signals: dict[str, float]
    shared_people: list[Person] = field(default_factory=list)
    shared_organisations: list[Organisation] = field(default_factory=list)


@dataclass
class EventProposal:
    event: AccountabilityEvent
    sentence: SafeString


def highlight_matched_words(sentence: str, reference: str) -> SafeString:
    """The sentence, escaped, with each word that shares a stem with ``reference`` (the claim) inside <mark>.

    Every piece of the untrusted sentence goes through ``conditional_escape``; only our own <mark> tags are safe.
    """
    wanted = set(tokenize(reference))
    pieces: list[str] = []
    position = 0
    for match in _WORD.finditer(sentence):
        pieces.append(conditional_escape(sentence[position : match.start()]))
        word = match.group(0)
        if wanted and wanted.intersection(tokenize(word)):
            pieces.append(format_html("<mark>{}</mark>", word))
        else:
            pieces.append(conditional_escape(word))
        position = match.end()
    pieces.append(conditional_escape(sentence[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece above is escaped or built by format_html


def _age_filter(filters: QueueFilters, *, field_name: str) -> Q:
    now = timezone.now()
    condition = Q()
    if filters.older_than_days is not None:
        condition &= Q(**{f"{field_name}__lte": now - datetime.timedelta(days=filters.older_than_days)})
    if filters.newer_than_days is not None:
        condition &= Q(**{f"{field_name}__gte": now - datetime.timedelta(days=filters.newer_than_days)})
    return condition


def proposed_links(filters: QueueFilters | None = None) -> QuerySet[ClaimLink]:
    """Links the matcher suggested and nobody has decided on, highest confidence first; a deleted claim or source
    takes its proposals out of the queue."""
    filters = filters or QueueFilters()
    links = ClaimLink.objects.filter(
        origin=RecordOrigin.MATCHER,
        review_state=LinkReviewState.SUGGESTED,
        claim__deleted_at__isnull=True,
        source__deleted_at__isnull=True,
    )
    if filters.incident is not None:
        links = links.filter(claim__incident=filters.incident)
    if filters.official is not None:
        links = links.filter(
            Q(claim__claimant_person=filters.official)
            | Q(claim__in=Claim.objects.filter(subject_people=filters.official))
        )
    if filters.claim is not None:
        links = links.filter(claim=filters.claim)
    if filters.source is not None:
        links = links.filter(source=filters.source)
    if filters.minimum_score is not None:
        links = links.filter(confidence__gte=filters.minimum_score)
    links = links.filter(_age_filter(filters, field_name="created_at"))
    return links.select_related(
        "claim", "claim__incident", "claim__claimant_person", "claim__claimant_organisation", "source"
    ).order_by("-confidence", "created_at", "id")


def proposed_events(filters: QueueFilters | None = None) -> QuerySet[AccountabilityEvent]:
    """Events the matcher read from sources, awaiting review: offers before their outcomes, newest source first.

    A claim or minimum-score filter leaves no events: events are not about a claim and carry no score.
    """
    filters = filters or QueueFilters()
    events = AccountabilityEvent.objects.filter(
        origin=RecordOrigin.MATCHER,
        review_state=ReviewState.PROPOSED,
        deleted_at__isnull=True,
        person__deleted_at__isnull=True,
    )
    if filters.claim is not None or filters.minimum_score is not None:
        return events.none()
    if filters.incident is not None:
        events = events.filter(incident=filters.incident)
    if filters.official is not None:
        events = events.filter(Q(person=filters.official) | Q(decided_by=filters.official))
    if filters.source is not None:
        events = events.filter(sources=filters.source)
    events = events.filter(_age_filter(filters, field_name="created_at"))
    return (
        events.select_related("person", "decided_by", "post", "incident", "responds_to")
        .prefetch_related(Prefetch("sources", queryset=Source.objects.only("id", "title", "url", "canonical_url")))
        .order_by("-occurred_on", F("responds_to").asc(nulls_first=True), "person__name", "id")
    )


def link_proposals(links: Iterable[ClaimLink]) -> list[LinkProposal]:
    """Each link with its explanation made readable: highlighted sentence, named entities, score parts.

    People and organisations shared by sentence and claim are stored as ids; they are fetched for the whole page
    in two queries, whatever its length.
    """
    page = list(links)
    person_ids = {pk for link in page for pk in link.explanation.get("shared_people", [])}
    organisation_ids = {pk for link in page for pk in link.explanation.get("shared_organisations", [])}
    people = Person.objects.in_bulk(person_ids) if person_ids else {}
    organisations = Organisation.objects.in_bulk(organisation_ids) if organisation_ids else {}
    proposals = []
    for link in page:
        explanation = link.explanation or {}
        sentence = str(explanation.get("sentence", ""))
        proposals.append(
            LinkProposal(
                link=link,
                sentence=highlight_matched_words(sentence, link.claim.text),
                score=explanation.get("score"),
                signals={
                    SIGNAL_LABELS.get(str(name), str(name)): float(value)
                    for name, value in (explanation.get("signals") or {}).items()
                },
                shared_people=[people[pk] for pk in explanation.get("shared_people", []) if pk in people],
                shared_organisations=[
                    organisations[pk] for pk in explanation.get("shared_organisations", []) if pk in organisations
                ],
            )
        )
    return proposals


def event_proposals(events: Iterable[AccountabilityEvent]) -> list[EventProposal]:
    proposals = []
    for event in events:
        names = " ".join(filter(None, [event.person.name, getattr(event.decided_by, "name", "")]))
        proposals.append(EventProposal(event=event, sentence=highlight_matched_words(event.evidence_sentence, names)))
    return proposals


def waiting_count() -> int:
    """How many proposals wait for a reviewer, links and events together."""
    return proposed_links().count() + proposed_events().count()
