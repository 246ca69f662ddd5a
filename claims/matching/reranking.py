"""Second stage of the ranking: re-score each sentence's best candidates with a second encoder, then put the
first-recorded claim ahead of its near-identical copies.

The first stage (MiniLM cosine + normalised BM25 over every claim) is cheap enough to run against the whole
record but confuses claims that share a topic. A second, stronger encoder (multilingual-e5-small) compares the
sentence with only the ``RERANK_DEPTH`` best candidates; its cosine is added with ``SECOND_ENCODER_WEIGHT``.

Records collect near-identical copies of one claim (the same statement entered twice, differing only in quotes
or a date). Their scores are equal to a rounding error, so their order would be arbitrary; the matcher puts the
copy recorded first on top, as the one editors already know (and the one a merge would keep).

The second encoder only sees sentences whose best first-stage cosine lies between ``RERANK_MIN_COSINE`` (below, the
sentence repeats no claim closely enough to be linked) and ``RERANK_CONFIDENT_COSINE`` (above, it repeats one nearly
word for word): the uncertain middle, where it changes outcomes. That keeps linking fast.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .ranking import ClaimIndex, ClaimMatch
from .second_encoder import SecondEncoder

#: Chosen on the CLEF CheckThat! training queries of both sets (bench/matching_research/tune_reranking.py, best
#: mean MAP@5 with headlines indexed: 0.749 at 2.0, against 0.743 at 0 and 0.747 at 3.0).
SECOND_ENCODER_WEIGHT = 2.0
#: Re-scoring 5 candidates instead of 10 lost 0.0005 mean MAP@5 on the same training queries, for half the work.
RERANK_DEPTH = 5
RERANK_MIN_COSINE = 0.3
#: A sentence whose best first-stage cosine reaches this repeats that claim nearly word for word: the second
#: encoder would not change the outcome, so it is not asked.
RERANK_CONFIDENT_COSINE = 0.9
#: First-stage (MiniLM) cosine between two claims above which they are treated as copies of one claim.
NEAR_DUPLICATE_COSINE = 0.95
#: How far below the first-recorded copy a later copy is placed.
NEAR_DUPLICATE_GAP = 1e-4

#: Second-encoder vectors for claim ids, in the order asked (computed and stored when missing).
ClaimVectorSource = Callable[[Sequence[str]], np.ndarray]


@dataclass
class SecondStage:
    encoder: SecondEncoder | None
    claim_vectors: ClaimVectorSource | None
    weight: float = SECOND_ENCODER_WEIGHT
    depth: int = RERANK_DEPTH
    min_cosine: float = RERANK_MIN_COSINE
    confident_cosine: float = RERANK_CONFIDENT_COSINE

    @property
    def uses_encoder(self) -> bool:
        return self.encoder is not None and self.claim_vectors is not None and self.weight > 0

    def rerank(
        self, query_texts: Sequence[str], matches: list[list[ClaimMatch]], index: ClaimIndex
    ) -> list[list[ClaimMatch]]:
        """``matches`` per query, best first, re-scored and re-ordered (each query's list keeps its length)."""
        best_cosines = [m[0].contributions.get("text_cosine", 0.0) if m else -1.0 for m in matches]
        chosen = [p for p, cosine in enumerate(best_cosines) if self.min_cosine <= cosine < self.confident_cosine]
        encoded = self._second_encoder_cosines([query_texts[p] for p in chosen], [matches[p] for p in chosen])
        cosines_of = dict(zip(chosen, encoded, strict=True)) if encoded is not None else {}
        return [
            near_duplicates_oldest_first(
                _with_second_encoder(query_matches, cosines_of.get(position), self.weight, self.depth), index
            )
            if best_cosines[position] >= self.min_cosine
            else query_matches
            for position, query_matches in enumerate(matches)
        ]

    def _second_encoder_cosines(
        self, query_texts: list[str], matches: list[list[ClaimMatch]]
    ) -> list[np.ndarray] | None:
        if not self.uses_encoder or not query_texts:
            return None
        assert self.encoder is not None
        assert self.claim_vectors is not None
        heads = [[match.claim_id for match in query_matches[: self.depth]] for query_matches in matches]
        unique_ids = sorted({claim_id for head in heads for claim_id in head})
        claim_rows = {claim_id: row for row, claim_id in enumerate(unique_ids)}
        claim_vectors = self.claim_vectors(unique_ids)
        query_vectors = self.encoder.queries(query_texts)
        return [
            claim_vectors[[claim_rows[claim_id] for claim_id in head]] @ query_vectors[row]
            for row, head in enumerate(heads)
        ]


def _with_second_encoder(
    matches: list[ClaimMatch], cosines: np.ndarray | None, weight: float, depth: int
) -> list[ClaimMatch]:
    if cosines is None:
        return matches
    rescored = []
    for position, match in enumerate(matches):
        if position < depth:
            contribution = weight * float(cosines[position])
            contributions = {**match.contributions, "second_encoder": contribution}
            rescored.append(ClaimMatch(match.claim_id, match.score + contribution, contributions))
        else:
            rescored.append(match)
    # Candidates below the re-ranked head keep their first-stage score; they cannot climb above it.
    head = sorted(rescored[:depth], key=lambda match: -match.score)
    return head + rescored[depth:]


def recorded_order(claim_id: str) -> tuple[int, int | str]:
    """Sort key: claims recorded earlier first (numeric ids are database ids, hence record order)."""
    return (0, int(claim_id)) if claim_id.isdigit() else (1, claim_id)


def near_duplicates_oldest_first(matches: list[ClaimMatch], index: ClaimIndex) -> list[ClaimMatch]:
    """Within each group of near-identical candidates, the first-recorded claim takes the group's best place and
    score; the later copies follow just below it."""
    vectors = index.text_embeddings
    if vectors is None or len(matches) < 2:
        return matches
    rows = [index.row_of(match.claim_id) for match in matches]
    known = [position for position, row in enumerate(rows) if row is not None]
    if len(known) < 2:
        return matches
    candidate_vectors = vectors[[rows[position] for position in known]]
    similar = candidate_vectors @ candidate_vectors.T >= NEAR_DUPLICATE_COSINE
    group_of = {position: position for position in range(len(matches))}
    for i, position in enumerate(known):
        for j in range(i):
            if similar[i, j]:
                group_of[position] = group_of[known[j]]
                break
    groups: dict[int, list[int]] = {}
    for position in range(len(matches)):
        groups.setdefault(group_of[position], []).append(position)
    if all(len(members) == 1 for members in groups.values()):
        return matches
    result = list(matches)
    for members in groups.values():
        if len(members) == 1:
            continue
        best_score = max(matches[position].score for position in members)
        by_record = sorted(members, key=lambda position: recorded_order(matches[position].claim_id))
        for rank, position in enumerate(by_record):
            match = matches[position]
            target = best_score - rank * NEAR_DUPLICATE_GAP
            if rank > 0:
                target = min(match.score, target)
            adjustment = target - match.score
            contributions = {**match.contributions, "near_duplicate": adjustment} if adjustment else match.contributions
            result[position] = ClaimMatch(match.claim_id, target, contributions)
    return sorted(result, key=lambda match: -match.score)
