"""Measuring the matcher on benchmark files, with the code the Celery tasks run, in a scratch database."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from accountability.models import Organisation, OrganisationKind
from claims.linking.claim_index import build_ranker_from_database
from claims.linking.sentences import SentenceEntities
from claims.linking.service import rank_sentences, score_candidates
from claims.matching import metrics
from claims.matching.ranking import EMBEDDINGS_ONLY, LEXICAL_ONLY, ClaimRanker, SignalWeights
from claims.models import Claim

RUN_DEPTH = 100
BATCH = 256


@dataclass
class Evaluation:
    label: str
    scores: dict[str, float]
    queries_per_second: float
    rankings: dict[str, list[tuple[str, float]]]
    #: (decision score, is the claim relevant) for every candidate the linking code scored.
    decisions: list[tuple[float, bool]]


THRESHOLD_GRID = [round(0.5 + 0.05 * step, 2) for step in range(17)]


def threshold_table(evaluation: Evaluation, qrels: dict[str, set[str]]) -> list[tuple[float, int, float, float]]:
    """For each candidate threshold: links that would be stored, their precision, and the share of relevant
    (query, claim) pairs they find."""
    relevant_total = sum(len(claims) for claims in qrels.values()) or 1
    rows = []
    for threshold in THRESHOLD_GRID:
        stored = [is_relevant for score, is_relevant in evaluation.decisions if score >= threshold]
        precision = sum(stored) / len(stored) if stored else 1.0
        rows.append((threshold, len(stored), precision, sum(stored) / relevant_total))
    return rows


@contextlib.contextmanager
def scratch_database() -> Iterator[str]:
    """A fresh database beside the configured one, migrated, used for the block, then dropped."""
    settings_dict = connection.settings_dict
    original_name = settings_dict["NAME"]
    scratch_name = f"{original_name}_matching_eval_{os.getpid()}"
    settings_dict.setdefault("TEST", {})["NAME"] = scratch_name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
    try:
        yield scratch_name
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=False)


def load_claims(claims_path: Path) -> dict[str, int]:
    """Store the benchmark's claims (the fact-check's title as the claim's headline) as claims of one placeholder
    claimant, in file order; returns {benchmark id: claim id}."""
    claim_ids, texts, titles = metrics.read_claims_tsv(claims_path)
    claimant = Organisation.objects.create(
        name="Benchmark claimant", slug="benchmark-claimant", kind=OrganisationKind.OTHER
    )
    rows = [
        Claim(text=text, headline=title[:300], slug=f"benchmark-{index}", claimant_organisation=claimant)
        for index, (text, title) in enumerate(zip(texts, titles, strict=True))
    ]
    created = Claim.objects.bulk_create(rows, batch_size=2000)
    return {benchmark_id: claim.pk for benchmark_id, claim in zip(claim_ids, created, strict=True)}


def evaluate(
    *,
    label: str,
    ranker: ClaimRanker,
    query_ids: list[str],
    query_texts: list[str],
    qrels: dict[str, set[str]],
    benchmark_id_of: dict[int, str],
) -> Evaluation:
    """Rank every query as the linking task ranks a sentence: retrieval, then ``score_candidates``."""
    started = time.perf_counter()
    rankings: dict[str, list[tuple[str, float]]] = {}
    decisions: list[tuple[float, bool]] = []
    no_entities = SentenceEntities()
    for start in range(0, len(query_texts), BATCH):
        batch_texts = query_texts[start : start + BATCH]
        per_query = rank_sentences(
            ranker=ranker, sentences=batch_texts, entities=[no_entities] * len(batch_texts), top_k=RUN_DEPTH
        )
        for offset, matches in enumerate(per_query):
            scored = score_candidates(
                sentences=[batch_texts[offset]], entities=[no_entities], day=None, per_sentence=[matches]
            )
            ordered = sorted(scored.items(), key=lambda item: (-item[1]["rank_score"], item[0]))
            relevant = qrels.get(query_ids[start + offset], set())
            decisions.extend(
                (explanation["score"], benchmark_id_of[claim_id] in relevant) for claim_id, explanation in ordered[:5]
            )
            rankings[query_ids[start + offset]] = [
                (benchmark_id_of[claim_id], explanation["rank_score"]) for claim_id, explanation in ordered
            ]
    elapsed = time.perf_counter() - started
    ranked_ids = {query_id: [claim for claim, _ in ranking] for query_id, ranking in rankings.items()}
    return Evaluation(label, metrics.summary(ranked_ids, qrels), len(query_texts) / elapsed, rankings, decisions)


def with_weights(ranker: ClaimRanker, weights: SignalWeights, *, second_stage: bool = False) -> ClaimRanker:
    return ClaimRanker(ranker.index, ranker.embedder, weights, ranker.second_stage if second_stage else None)


def evaluate_files(
    *, claims_path: Path, queries_path: Path, qrels_path: Path, signals: bool = True
) -> list[Evaluation]:
    """Load claims into a scratch database, build the linking ranker from it, evaluate per signal and combined."""
    query_ids, query_texts = metrics.read_queries_tsv(queries_path)
    qrels = metrics.read_qrels(qrels_path)
    with scratch_database():
        benchmark_ids = load_claims(claims_path)
        benchmark_id_of = {claim_id: benchmark_id for benchmark_id, claim_id in benchmark_ids.items()}
        ranker = build_ranker_from_database()
        variants = [("combined", ranker)]
        if signals:
            variants = [
                ("lexical only", with_weights(ranker, LEXICAL_ONLY)),
                ("embeddings only", with_weights(ranker, EMBEDDINGS_ONLY)),
                ("first stage (no re-ranking)", with_weights(ranker, ranker.weights)),
                *variants,
            ]
        return [
            evaluate(
                label=label,
                ranker=variant,
                query_ids=query_ids,
                query_texts=query_texts,
                qrels=qrels,
                benchmark_id_of=benchmark_id_of,
            )
            for label, variant in variants
            if label == "lexical only" or variant.uses_embeddings
        ]
