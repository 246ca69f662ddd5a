"""A linking task takes the other sources still waiting with its own and matches them as one batch."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from accountability.models import AccountabilityEvent
from claims.linking import batches, service
from claims.linking.batches import source_link_by_id
from claims.models import ClaimLink, Source
from claims.services import source_record
from tests.claims.linking.conftest import ARTICLE_TEXT

pytestmark = pytest.mark.django_db

PARAGRAPHS = [paragraph for paragraph in ARTICLE_TEXT.split("\n") if paragraph.strip()]


def waiting_sources(count: int) -> list[Source]:
    """Pasted sources (each with its own text) whose linking tasks have not run yet."""
    sources = []
    for number in range(count):
        text = f"Report {number}. " + " ".join(PARAGRAPHS)
        source, _ = source_record(actor=None, text=text, language="en")
        sources.append(source)
    return sources


def links_by_source(sources: list[Source]) -> dict[int, set[int]]:
    return {
        source.pk: set(ClaimLink.objects.filter(source=source).values_list("claim_id", flat=True)) for source in sources
    }


def test_one_task_links_the_sources_waiting_with_it_and_their_own_tasks_then_find_them_done(known_world):
    sources = waiting_sources(3)

    first = source_link_by_id(source_id=sources[0].pk)

    assert first.links_suggested + first.links_auto_confirmed > 0
    assert Source.objects.filter(pk__in=[s.pk for s in sources], linked_at__isnull=True).count() == 0
    linked = links_by_source(sources)
    assert all(linked[source.pk] for source in sources)
    assert len({frozenset(claims) for claims in linked.values()}) == 1  # the same text links the same claims
    with CaptureQueriesContext(connection) as queries:
        later = source_link_by_id(source_id=sources[2].pk)
    assert (later.sentences, later.links_suggested, later.links_auto_confirmed) == (0, 0, 0)
    assert len(queries) <= 4  # the lock and the answer: nothing matched again
    assert links_by_source(sources) == linked


def test_a_batch_links_each_source_as_it_would_be_linked_alone(known_world):
    alone = waiting_sources(1)[0]
    with override_settings(MATCHER_LINKING_BATCH_SIZE=1):
        source_link_by_id(source_id=alone.pk)
    expected = {
        (link.claim_id, link.review_state, link.explanation["sentence"])
        for link in ClaimLink.objects.filter(source=alone)
    }
    events_alone = AccountabilityEvent.objects.count()
    ClaimLink.objects.filter(source=alone).delete()

    batch = waiting_sources(4)[1:]
    source_link_by_id(source_id=batch[1].pk)

    for together in batch:
        stored = {
            (link.claim_id, link.review_state, link.explanation["sentence"])
            for link in ClaimLink.objects.filter(source=together)
        }
        assert stored == expected
    assert AccountabilityEvent.objects.count() == events_alone  # the same events are not proposed again


def test_the_batch_size_setting_bounds_how_many_waiting_sources_one_task_takes(known_world):
    sources = waiting_sources(5)
    waiting_before = list(batches.sources_awaiting_link().order_by("id").values_list("pk", flat=True))

    with override_settings(MATCHER_LINKING_BATCH_SIZE=2):
        source_link_by_id(source_id=sources[3].pk)

    waiting_after = set(batches.sources_awaiting_link().values_list("pk", flat=True))
    oldest_other = next(pk for pk in waiting_before if pk != sources[3].pk)
    assert set(waiting_before) - waiting_after == {sources[3].pk, oldest_other}  # its own, and the oldest waiting


def test_a_source_the_matcher_cannot_handle_fails_only_its_own_task(known_world, monkeypatch):
    good, bad = waiting_sources(2)
    original_split = service.split_sentences

    def split_refusing_the_bad_text(text: str) -> list[str]:
        if text == bad.text:
            raise ValueError("a text the sentence splitter cannot handle")
        return original_split(text)

    monkeypatch.setattr(service, "split_sentences", split_refusing_the_bad_text)

    result = source_link_by_id(source_id=good.pk)

    assert result.links_suggested + result.links_auto_confirmed > 0
    assert Source.objects.get(pk=good.pk).linked_at is not None
    assert Source.objects.get(pk=bad.pk).linked_at is None
    assert not ClaimLink.objects.filter(source=bad).exists()
    with pytest.raises(ValueError, match="cannot handle"):
        source_link_by_id(source_id=bad.pk)
    assert Source.objects.get(pk=bad.pk).linked_at is None


def test_the_re_ranking_encoder_sees_only_sentences_that_give_links_and_the_links_are_as_if_it_saw_all(
    known_world, settings
):
    from claims.linking.claim_index import current_ranker
    from claims.linking.entities import current_name_index
    from claims.linking.sentences import sentence_entities
    from claims.linking.service import rank_sentences, score_candidates, source_day
    from claims.matching.text import split_sentences

    source = waiting_sources(1)[0]
    ranker = current_ranker()
    assert ranker.second_stage is not None
    assert ranker.second_stage.encoder is not None
    sentences = split_sentences(source.text)
    entities = [sentence_entities(sentence, current_name_index(), source_day(source))[0] for sentence in sentences]
    every_sentence_reranked = score_candidates(
        sentences=sentences,
        entities=entities,
        day=source_day(source),
        per_sentence=rank_sentences(ranker=ranker, sentences=sentences, entities=entities, top_k=5),
    )
    expected = {
        claim_id: (explanation["sentence"], explanation["score"], explanation["rank_score"])
        for claim_id, explanation in every_sentence_reranked.items()
        if explanation["score"] >= settings.MATCHER_SUGGEST_THRESHOLD
    }
    seen_by_encoder: list[str] = []
    encoder = ranker.second_stage.encoder
    original_queries = encoder.queries

    def recording_queries(texts):  # type: ignore[no-untyped-def]
        seen_by_encoder.extend(texts)
        return original_queries(texts)

    encoder.queries = recording_queries  # type: ignore[method-assign]
    try:
        source_link_by_id(source_id=source.pk)
    finally:
        del encoder.queries

    stored = {
        link.claim_id: (link.explanation["sentence"], link.explanation["score"], link.explanation["rank_score"])
        for link in ClaimLink.objects.filter(source=source)
    }
    assert stored == expected
    assert set(seen_by_encoder) <= {sentence for sentence, _, _ in expected.values()}
    assert len(seen_by_encoder) < len(sentences)


def test_sources_in_one_batch_stating_the_same_events_propose_them_once(known_world):
    from accountability.models import EventKind

    sources = waiting_sources(3)
    source_link_by_id(source_id=sources[0].pk)

    proposed = AccountabilityEvent.objects.filter(sources__in=sources).distinct()
    offers = proposed.filter(kind=EventKind.RESIGNATION_OFFERED)
    refusals = proposed.filter(kind=EventKind.RESIGNATION_REFUSED)
    assert {offer.person for offer in offers} == {known_world.jambon, known_world.geens}
    assert offers.count() == 2
    assert refusals.count() == 2
    assert {refusal.responds_to for refusal in refusals} == set(offers)
    assert {refusal.decided_by for refusal in refusals} == {known_world.michel}
    assert proposed.count() == 5
    assert set(proposed.first().sources.all()) == {sources[0]}  # proposed from the first source stating it
