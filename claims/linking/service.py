"""Linking one new source: recognise who and what it mentions, find the claims it repeats, propose events."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accountability.models import AccountabilityEvent, EventKind, RecordOrigin, ReviewState, Term
from accountability.recording import recording
from claims import services as claim_services
from claims.linking.claim_index import current_ranker
from claims.linking.entities import ORGANISATION, PERSON, POST, Mention, NameIndex, current_name_index, post_holders_on
from claims.linking.events import decider_position, event_statements, patterns_for
from claims.matching.ranking import LEXICAL_ONLY, ClaimMatch, ClaimRanker
from claims.matching.text import split_sentences, tokenize
from claims.models import Claim, ClaimLink, LinkReviewState, Source, Stance

MATCHER_VERSION = "hybrid-2-reranked"
#: Weight of the share of the claim's content words found in the sentence.
LEXICAL_COVERAGE_WEIGHT = 0.3
#: A sentence is encoded (the costly step) only if a lexical candidate shares this share of its content words,
#: or if it names a known person or organisation. On the CLEF dev sets 97% / 96% of the queries pass at 0.2 and
#: 83% / 77% at 0.3 (MAP@5 0.916 / 0.464 against 0.901 / 0.438).
EMBEDDING_GATE_COVERAGE = 0.2
#: Added to a claim's score when the sentence names a person or organisation the claim is by or about.
ENTITY_OVERLAP_BONUS = 0.1
#: Added when the source appeared within ``DATE_WINDOW`` of when the claim was first made.
DATE_WINDOW_BONUS = 0.05
DATE_WINDOW = datetime.timedelta(days=60)
#: An event already on record for the same person and kind within this window is not proposed again.
EVENT_DUPLICATE_WINDOW = datetime.timedelta(days=14)
CONTRADICTION_WORDS = ("denied", "denies", "deny", "false", "not true", "untrue", "rejected the claim", "disputed")


@dataclass
class SentenceEntities:
    people: set[int] = field(default_factory=set)
    organisations: set[int] = field(default_factory=set)
    deciders: set[int] = field(default_factory=set)
    post_of_person: dict[int, int] = field(default_factory=dict)


@dataclass
class LinkingResult:
    sentences: int = 0
    people: set[int] = field(default_factory=set)
    organisations: set[int] = field(default_factory=set)
    links_suggested: int = 0
    links_auto_confirmed: int = 0
    events_proposed: int = 0


def source_day(source: Source) -> datetime.date:
    moment = source.published_at or source.fetched_at or source.created_at or timezone.now()
    return timezone.localdate(moment)


def _resolve(mentions: list[Mention], holders: dict[int, int]) -> tuple[set[int], set[int], dict[int, int]]:
    people, organisations, post_of_person = set(), set(), {}
    for mention in mentions:
        if mention.kind == PERSON:
            people.add(mention.entity_id)
        elif mention.kind == ORGANISATION:
            organisations.add(mention.entity_id)
        elif mention.kind == POST and mention.entity_id in holders:
            person_id = holders[mention.entity_id]
            people.add(person_id)
            post_of_person[person_id] = mention.entity_id
    return people, organisations, post_of_person


def sentence_entities(
    sentence: str, names: NameIndex, day: datetime.date, language: str = "en"
) -> tuple[SentenceEntities, list]:
    mentions = names.find(sentence)
    statements = event_statements(sentence, language)
    holders = post_holders_on({m.entity_id for m in mentions if m.kind == POST}, day)
    entities = SentenceEntities()
    entities.people, entities.organisations, entities.post_of_person = _resolve(mentions, holders)
    outcome = next(
        (s for s in statements if s.kind in (EventKind.RESIGNATION_REFUSED, EventKind.RESIGNATION_ACCEPTED)), None
    )
    if outcome is not None:
        agent_start = decider_position(sentence, outcome.position, language)
        if agent_start is not None:
            agent_mentions = names.find(sentence[agent_start:])
            agent_holders = post_holders_on({m.entity_id for m in agent_mentions if m.kind == POST}, day)
            deciders, _, _ = _resolve(agent_mentions, agent_holders)
            entities.deciders = deciders
            entities.people -= deciders
    return entities, statements


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
            event.full_clean(exclude=["sources"])
            event.save()
            event.sources.add(source)
            proposed += 1
    return proposed


def lexical_coverage(claim_tokens: frozenset[str], sentence_tokens: frozenset[str]) -> float:
    """Share of the claim's content words (stemmed, no stopwords) that the sentence also uses: an absolute
    measure, unlike BM25 normalised per query, which gives every sentence's best claim full marks."""
    return len(claim_tokens & sentence_tokens) / len(claim_tokens) if claim_tokens else 0.0


def _stance(sentence: str) -> str:
    lowered = sentence.lower()
    return Stance.CONTRADICTS if any(word in lowered for word in CONTRADICTION_WORDS) else Stance.SUPPORTS


@dataclass(frozen=True)
class ClaimFacts:
    people: set[int]
    organisations: set[int]
    first_made_on: datetime.date | None
    tokens: frozenset[str]


def _claim_facts(claim_ids: list[int]) -> dict[int, ClaimFacts]:
    """Who each claim is by or about, when it was first made and its content words: one query."""
    rows = (
        Claim.objects.filter(id__in=claim_ids)
        .annotate(
            people=ArrayAgg("subject_people", distinct=True, default=[]),
            organisations=ArrayAgg("subject_organisations", distinct=True, default=[]),
        )
        .values_list(
            "id", "text", "first_made_on", "claimant_person_id", "claimant_organisation_id", "people", "organisations"
        )
    )
    return {
        claim_id: ClaimFacts(
            people={person for person in [*people, claimant_person] if person is not None},
            organisations={org for org in [*organisations, claimant_organisation] if org is not None},
            first_made_on=first_made_on,
            tokens=frozenset(tokenize(text)),
        )
        for claim_id, text, first_made_on, claimant_person, claimant_organisation, people, organisations in rows
    }


def score_candidates(
    *,
    sentences: list[str],
    entities: list[SentenceEntities],
    day: datetime.date | None,
    per_sentence: list[list[ClaimMatch]],
) -> dict[int, dict]:
    """Each candidate claim's best sentence, its score and the explanation an editor sees.

    ``score`` decides (against the thresholds): cosine, the share of the claim's words the sentence uses, and the
    entity and date bonuses, all absolute. ``rank_score`` orders candidates: the retrieval score (cosine plus
    per-query-normalised BM25, the best ranking measured) plus the same bonuses.
    """
    candidate_ids = sorted({int(match.claim_id) for matches in per_sentence for match in matches})
    claim_facts = _claim_facts(candidate_ids)
    unknown = ClaimFacts(set(), set(), None, frozenset())
    sentence_tokens = [frozenset(tokenize(sentence)) for sentence in sentences]
    best: dict[int, dict] = {}
    for sentence_index, matches in enumerate(per_sentence):
        mentioned_people = entities[sentence_index].people | entities[sentence_index].deciders
        mentioned_organisations = entities[sentence_index].organisations
        for match in matches:
            claim_id = int(match.claim_id)
            facts = claim_facts.get(claim_id, unknown)
            first_made_on = facts.first_made_on
            shared_people = facts.people & mentioned_people
            shared_organisations = facts.organisations & mentioned_organisations
            parts = {
                "text_cosine": match.contributions.get("text_cosine", 0.0),
                "lexical_coverage": LEXICAL_COVERAGE_WEIGHT
                * lexical_coverage(facts.tokens, sentence_tokens[sentence_index]),
                "entity_overlap": ENTITY_OVERLAP_BONUS if (shared_people or shared_organisations) else 0.0,
                "date_window": DATE_WINDOW_BONUS
                if first_made_on and day and abs(first_made_on - day) <= DATE_WINDOW
                else 0.0,
            }
            score = sum(parts.values())
            bonuses = parts["entity_overlap"] + parts["date_window"]
            if claim_id not in best or score > best[claim_id]["score"]:
                best[claim_id] = {
                    "score": round(score, 4),
                    "rank_score": round(match.score + bonuses, 4),
                    "sentence": sentences[sentence_index],
                    "sentence_index": sentence_index,
                    "signals": {name: round(value, 4) for name, value in parts.items()},
                    "retrieval_bm25": round(match.contributions.get("bm25", 0.0), 4),
                    "retrieval_second_encoder": round(match.contributions.get("second_encoder", 0.0), 4),
                    "shared_people": sorted(shared_people),
                    "shared_organisations": sorted(shared_organisations),
                }
    return best


def store_links(*, source: Source, best: dict[int, dict]) -> tuple[int, int]:
    """Links for candidates above the suggest threshold; from auto-link they are confirmed by the matcher."""
    suggest, auto_link = settings.MATCHER_SUGGEST_THRESHOLD, settings.MATCHER_AUTO_LINK_THRESHOLD
    already_linked = set(ClaimLink.objects.filter(source=source).values_list("claim_id", flat=True))
    links = [
        ClaimLink(
            claim_id=claim_id,
            source=source,
            stance=_stance(explanation["sentence"]),
            confidence=min(1.0, round(explanation["score"] / settings.MATCHER_SCORE_SCALE, 4)),
            origin=RecordOrigin.MATCHER,
            matcher_version=MATCHER_VERSION,
            explanation=explanation,
            review_state=(
                LinkReviewState.AUTO_CONFIRMED if explanation["score"] >= auto_link else LinkReviewState.SUGGESTED
            ),
        )
        for claim_id, explanation in sorted(best.items())
        if explanation["score"] >= suggest and claim_id not in already_linked
    ]
    claim_services.claim_links_store_from_matcher(links=links)
    auto_confirmed = sum(link.review_state == LinkReviewState.AUTO_CONFIRMED for link in links)
    return len(links) - auto_confirmed, auto_confirmed


def link_claims(
    *,
    source: Source,
    sentences: list[str],
    entities: list[SentenceEntities],
    day: datetime.date,
    ranker: ClaimRanker | None = None,
) -> tuple[int, int]:
    """Score the claims against every sentence; keep each claim's best sentence; store links above threshold."""
    ranker = ranker or current_ranker()
    if not sentences or len(ranker.index) == 0:
        return 0, 0
    per_sentence = rank_sentences(
        ranker=ranker, sentences=sentences, entities=entities, top_k=settings.MATCHER_CANDIDATES_PER_SENTENCE
    )
    best = score_candidates(sentences=sentences, entities=entities, day=day, per_sentence=per_sentence)
    return store_links(source=source, best=best)


def rank_sentences(
    *, ranker: ClaimRanker, sentences: list[str], entities: list[SentenceEntities], top_k: int
) -> list[list[ClaimMatch]]:
    """Candidate claims per sentence. Encoding a sentence is the expensive step, so a cheap lexical pass decides
    which sentences are worth it: those that name a known person or organisation, or whose best lexical
    candidates share at least ``EMBEDDING_GATE_COVERAGE`` of their content words with the sentence. The other
    sentences keep their lexical candidates, which cannot reach the suggest threshold without a cosine."""
    if not ranker.uses_embeddings:
        return ranker.rank(sentences, top_k=top_k)
    lexical = ClaimRanker(ranker.index, None, LEXICAL_ONLY).rank(sentences, top_k=top_k)
    candidate_ids = {int(match.claim_id) for matches in lexical for match in matches}
    claim_tokens = {
        claim_id: frozenset(tokenize(text))
        for claim_id, text in Claim.objects.filter(id__in=candidate_ids).values_list("id", "text")
    }
    sentence_tokens = [frozenset(tokenize(sentence)) for sentence in sentences]
    worth_encoding = [
        index
        for index, matches in enumerate(lexical)
        if entities[index].people
        or entities[index].organisations
        or any(
            lexical_coverage(claim_tokens.get(int(match.claim_id), frozenset()), sentence_tokens[index])
            >= EMBEDDING_GATE_COVERAGE
            for match in matches
        )
    ]
    ranked = ranker.rank([sentences[index] for index in worth_encoding], top_k=top_k) if worth_encoding else []
    per_sentence = list(lexical)
    for index, matches in zip(worth_encoding, ranked, strict=True):
        per_sentence[index] = matches
    return per_sentence


def source_link(*, source: Source, ranker: ClaimRanker | None = None, propose: bool = True) -> LinkingResult:
    """Everything the matcher does for one source. Safe to run again: nothing is stored twice."""
    result = LinkingResult()
    if not source.text.strip():
        return result
    day = source_day(source)
    names = current_name_index()
    sentences = split_sentences(source.text)
    result.sentences = len(sentences)
    per_sentence: list[SentenceEntities] = []
    with recording(None, action="matcher_link_source"):
        for sentence in sentences:
            entities, statements = sentence_entities(sentence, names, day, source.language)
            per_sentence.append(entities)
            result.people |= entities.people | entities.deciders
            result.organisations |= entities.organisations
            if propose and patterns_for(source.language) is not None:
                result.events_proposed += propose_events(
                    source=source, sentence=sentence, entities=entities, statements=statements, day=day
                )
        result.links_suggested, result.links_auto_confirmed = link_claims(
            source=source, sentences=sentences, entities=per_sentence, day=day, ranker=ranker
        )
    return result


def source_link_by_id(*, source_id: int) -> LinkingResult:
    """Link one source under a row lock, so two workers given the same source produce the same rows once."""
    with transaction.atomic():
        source = Source.objects.select_for_update().get(pk=source_id)
        result = source_link(source=source)
        Source.objects.filter(pk=source_id).update(linked_at=timezone.now())
    return result


__all__ = ["LinkingResult", "source_link"]
