"""Reads for the hand-recording screens: where a submitted source has got to, a source's sentences, an
official's resignation offers and their outcomes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from accountability.models import AccountabilityEvent, EventKind, Post, RecordOrigin, ReviewState
from claims.matching.text import split_sentences
from claims.models import FetchState, LinkReviewState, Source


@dataclass(frozen=True)
class SourceProgress:
    """How far a submitted source has come through fetching, extraction and linking."""

    source_id: int
    fetch_state: str
    fetch_state_label: str
    is_fetched: bool
    is_extracted: bool
    is_linked: bool
    is_finished: bool
    refusal_code: str
    refusal_reason: str
    title: str
    sentence_count: int
    links_proposed: int
    links_confirmed: int
    events_proposed: int

    @property
    def proposals(self) -> int:
        return self.links_proposed + self.events_proposed

    def as_json(self) -> dict[str, object]:
        return {
            "source": self.source_id,
            "fetch_state": self.fetch_state,
            "fetch_state_label": self.fetch_state_label,
            "fetched": self.is_fetched,
            "extracted": self.is_extracted,
            "linked": self.is_linked,
            "finished": self.is_finished,
            "refusal_code": self.refusal_code,
            "refusal_reason": self.refusal_reason,
            "title": self.title,
            "sentences": self.sentence_count,
            "links_proposed": self.links_proposed,
            "links_confirmed": self.links_confirmed,
            "events_proposed": self.events_proposed,
            "proposals": self.proposals,
        }


def source_progress(*, source: Source) -> SourceProgress:
    is_problem = source.fetch_state in (FetchState.FAILED, FetchState.REFUSED)
    is_fetched = source.fetch_state in (FetchState.FETCHED, FetchState.PASTED)
    is_linked = source.linked_at is not None
    link_states = list(source.claim_links.values_list("review_state", flat=True))
    events_proposed = AccountabilityEvent.objects.filter(
        sources=source, origin=RecordOrigin.MATCHER, review_state=ReviewState.PROPOSED
    ).count()
    return SourceProgress(
        source_id=source.pk,
        fetch_state=source.fetch_state,
        fetch_state_label=source.get_fetch_state_display(),
        is_fetched=is_fetched,
        is_extracted=is_fetched and bool(source.text.strip()),
        is_linked=is_linked,
        is_finished=is_problem or is_linked,
        refusal_code=source.fetch_error_code,
        refusal_reason=source.fetch_error,
        title=str(source),
        sentence_count=len(split_sentences(source.text)) if source.text else 0,
        links_proposed=sum(state == LinkReviewState.SUGGESTED for state in link_states),
        links_confirmed=sum(
            state in (LinkReviewState.AUTO_CONFIRMED, LinkReviewState.CONFIRMED) for state in link_states
        ),
        events_proposed=events_proposed,
    )


def source_sentences(*, source: Source) -> list[str]:
    """The source's sentences, numbered by their position (the same split the matcher uses)."""
    return split_sentences(source.text) if source.text else []


def person_resignation_offers(*, person_id: int) -> QuerySet[AccountabilityEvent]:
    """A person's resignation offers (not rejected ones), newest first, each with its live outcome prefetched."""
    outcomes = AccountabilityEvent.objects.exclude(review_state=ReviewState.REJECTED).select_related("decided_by")
    return (
        AccountabilityEvent.objects.filter(person_id=person_id, kind=EventKind.RESIGNATION_OFFERED)
        .exclude(review_state=ReviewState.REJECTED)
        .select_related("post", "incident")
        .prefetch_related(Prefetch("outcomes", queryset=outcomes, to_attr="live_outcomes"), "sources")
        .order_by("-occurred_on", "-id")
    )


def person_posts(*, person_id: int) -> QuerySet[Post]:
    """The posts a person has held, for choosing the post an offer was made from."""
    return Post.objects.filter(terms__person_id=person_id).select_related("organisation").distinct().order_by("title")
