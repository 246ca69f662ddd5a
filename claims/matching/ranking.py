"""Rank existing claims for query texts: weighted sum of embedding cosines and per-query-normalised BM25.

Score of claim c for query q::

    text_cosine * cos(q, c.text) + text_title_cosine * cos(q, c.text + " " + c.title)
    + bm25 * BM25(q, c.text + " " + c.title) / max over claims of BM25(q, .)

Dividing BM25 by the query's best BM25 score puts it on the same 0..1 scale as a cosine whatever the query
length, which is what makes a single weight work across queries (see bench/matching_research for the tuning).
Scoring is one dense matrix product per signal and one sparse product for BM25, per batch of queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from .embedding import Embedder
from .lexical import BM25Index, normalise_by_query_maximum
from .text import clean_query_text, tokenize_all

if TYPE_CHECKING:
    from scipy import sparse

    from .reranking import SecondStage

#: Chosen on the CLEF CheckThat! 2020 (tweets/Snopes) and 2021-2B (debates/PolitiFact) training queries by
#: bench/matching_research/tune.py (mean MAP@5 0.730). Adding "text title" embeddings (0.75/0.25) scored only
#: 0.0014 higher on train, not worth encoding every claim twice, so that signal is off by default.
DEFAULT_TEXT_COSINE_WEIGHT = 1.0
DEFAULT_TEXT_TITLE_COSINE_WEIGHT = 0.0
DEFAULT_BM25_WEIGHT = 0.3
DEFAULT_TOP_K = 5
#: Queries scored together: bounds memory to ``QUERY_CHUNK_SIZE x n_claims`` float32 per signal.
QUERY_CHUNK_SIZE = 256

SIGNAL_NAMES = ("text_cosine", "text_title_cosine", "bm25")


@dataclass(frozen=True)
class SignalWeights:
    text_cosine: float = DEFAULT_TEXT_COSINE_WEIGHT
    text_title_cosine: float = DEFAULT_TEXT_TITLE_COSINE_WEIGHT
    bm25: float = DEFAULT_BM25_WEIGHT

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in SIGNAL_NAMES}


DEFAULT_WEIGHTS = SignalWeights()
LEXICAL_ONLY = SignalWeights(text_cosine=0.0, text_title_cosine=0.0, bm25=1.0)
EMBEDDINGS_ONLY = SignalWeights(text_cosine=1.0, text_title_cosine=0.0, bm25=0.0)


@dataclass(frozen=True)
class ClaimIndex:
    """Everything needed to score claims, held in memory. Rows of the matrices follow ``claim_ids``."""

    claim_ids: list[str]
    bm25: BM25Index
    #: (n_claims, dim) float32 unit vectors of the claim text; ``None`` when no embedding model is installed.
    text_embeddings: np.ndarray | None = None
    #: (n_claims, dim) float32 unit vectors of "text title"; ``None`` when that signal is not used.
    text_title_embeddings: np.ndarray | None = None
    language: str | None = "en"

    def __len__(self) -> int:
        return len(self.claim_ids)

    @cached_property
    def _rows(self) -> dict[str, int]:
        return {claim_id: row for row, claim_id in enumerate(self.claim_ids)}

    def row_of(self, claim_id: str) -> int | None:
        return self._rows.get(claim_id)


@dataclass(frozen=True)
class ClaimMatch:
    claim_id: str
    score: float
    #: Weighted contribution of each signal; they add up to ``score``.
    contributions: dict[str, float] = field(default_factory=dict)


def lexical_document(text: str, title: str) -> str:
    return f"{text} {title}".strip()


def build_claim_index(
    claim_ids: Sequence[str],
    texts: Sequence[str],
    titles: Sequence[str] | None = None,
    embedder: Embedder | None = None,
    *,
    weights: SignalWeights = DEFAULT_WEIGHTS,
    language: str | None = "en",
    text_embeddings: np.ndarray | None = None,
    text_title_embeddings: np.ndarray | None = None,
) -> ClaimIndex:
    """Build the index; embeddings are computed with ``embedder`` unless given (e.g. loaded from a database).

    The "text title" embeddings are only computed when ``weights.text_title_cosine`` is non-zero.
    """
    titles = titles if titles is not None else [""] * len(texts)
    documents = [lexical_document(text, title) for text, title in zip(texts, titles, strict=True)]
    if embedder is not None and text_embeddings is None and weights.text_cosine:
        text_embeddings = embedder.encode(list(texts))
    if embedder is not None and text_title_embeddings is None and weights.text_title_cosine:
        text_title_embeddings = embedder.encode(documents)
    return ClaimIndex(
        claim_ids=list(claim_ids),
        bm25=BM25Index.build(tokenize_all(documents, language)),
        text_embeddings=_as_float32(text_embeddings),
        text_title_embeddings=_as_float32(text_title_embeddings),
        language=language,
    )


def _as_float32(matrix: np.ndarray | None) -> np.ndarray | None:
    return None if matrix is None else np.ascontiguousarray(matrix, dtype=np.float32)


def signal_scores(
    query_texts: Sequence[str], index: ClaimIndex, query_embeddings: np.ndarray | None
) -> dict[str, np.ndarray]:
    """Unweighted dense (n_queries, n_claims) score matrix of every available signal (for tuning).

    ``query_texts`` are expected cleaned with :func:`clean_query_text`, as :meth:`ClaimRanker.rank` does."""
    signals: dict[str, np.ndarray] = {}
    if query_embeddings is not None and index.text_embeddings is not None:
        signals["text_cosine"] = query_embeddings @ index.text_embeddings.T
    if query_embeddings is not None and index.text_title_embeddings is not None:
        signals["text_title_cosine"] = query_embeddings @ index.text_title_embeddings.T
    bm25 = normalise_by_query_maximum(index.bm25.score(tokenize_all(query_texts, index.language)))
    signals["bm25"] = bm25.toarray().astype(np.float32)
    return signals


def lexical_scores(query_texts: Sequence[str], index: ClaimIndex) -> sparse.csr_matrix:
    """(n_queries, n_claims) BM25 of each query divided by its best, claims sharing no word with it absent.

    ``query_texts`` are expected cleaned with :func:`clean_query_text`, as :meth:`ClaimRanker.rank` does."""
    return normalise_by_query_maximum(index.bm25.score(tokenize_all(query_texts, index.language)))


def combined_scores(
    query_texts: Sequence[str],
    index: ClaimIndex,
    query_embeddings: np.ndarray | None,
    weights: SignalWeights,
    lexical: sparse.csr_matrix | None = None,
) -> np.ndarray:
    """Dense (n_queries, n_claims) weighted sum of the signals, built in a single buffer (``lexical``: the queries'
    :func:`lexical_scores`, when already computed)."""
    total: np.ndarray | None = None
    if query_embeddings is not None:
        for weight, claim_embeddings in (
            (weights.text_cosine, index.text_embeddings),
            (weights.text_title_cosine, index.text_title_embeddings),
        ):
            if weight and claim_embeddings is not None:
                # Scaling the small query matrix instead of the product saves a pass over the big one.
                product = (np.float32(weight) * query_embeddings) @ claim_embeddings.T
                total = product if total is None else np.add(total, product, out=total)
    if total is None:
        total = np.zeros((len(query_texts), len(index)), dtype=np.float32)
    if weights.bm25:
        bm25 = lexical if lexical is not None else lexical_scores(query_texts, index)
        bm25.sum_duplicates()
        # Row by row (a row's columns are then distinct): about twice as fast as scattering the COO triplets.
        for row in range(bm25.shape[0]):
            start, end = bm25.indptr[row], bm25.indptr[row + 1]
            total[row, bm25.indices[start:end]] += weights.bm25 * bm25.data[start:end]
    return total


#: Column block size of :func:`top_k_indices`' first pass.
TOP_K_BLOCK_SIZE = 128


def top_k_indices(scores: np.ndarray, k: int) -> np.ndarray:
    """(n_queries, min(k, n_claims)) column indices of the best scores, best first.

    ``np.argpartition`` over 100,000 columns dominates the cost of a query, so for wide matrices the best
    claims are looked for only in the ``k`` column blocks with the highest block maxima (which must contain
    the exact top k), plus the columns after the last whole block.
    """
    n_rows, n_columns = scores.shape
    k = min(k, n_columns)
    if k == 0:
        return np.zeros((n_rows, 0), dtype=np.int64)
    n_blocks = n_columns // TOP_K_BLOCK_SIZE
    if n_blocks <= 4 * k:
        return _exact_top_k(scores, k)
    blocked_width = n_blocks * TOP_K_BLOCK_SIZE
    block_maxima = scores[:, :blocked_width].reshape(n_rows, n_blocks, TOP_K_BLOCK_SIZE).max(axis=2)
    best_blocks = np.argpartition(-block_maxima, k - 1, axis=1)[:, :k]
    offsets = np.arange(TOP_K_BLOCK_SIZE)
    candidates = (best_blocks[:, :, None] * TOP_K_BLOCK_SIZE + offsets).reshape(n_rows, -1)
    if blocked_width < n_columns:
        tail = np.broadcast_to(np.arange(blocked_width, n_columns), (n_rows, n_columns - blocked_width))
        candidates = np.concatenate([candidates, tail], axis=1)
    best_among_candidates = _exact_top_k(np.take_along_axis(scores, candidates, axis=1), k)
    return np.take_along_axis(candidates, best_among_candidates, axis=1)


def _best_positions(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest values, largest first (ties in position order): a partition, then a sort of
    only those ``k``, instead of sorting every claim sharing a word with the query."""
    if len(values) > k:
        threshold = np.partition(values, len(values) - k)[len(values) - k]
        candidates = np.flatnonzero(values >= threshold)
    else:
        candidates = np.arange(len(values))
    return candidates[np.argsort(-values[candidates], kind="stable")][:k]


def _exact_top_k(scores: np.ndarray, k: int) -> np.ndarray:
    candidates = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    candidate_scores = np.take_along_axis(scores, candidates, axis=1)
    order = np.argsort(-candidate_scores, axis=1, kind="stable")
    return np.take_along_axis(candidates, order, axis=1)


class ClaimRanker:
    """Ranks the claims of a :class:`ClaimIndex` for batches of query texts."""

    def __init__(
        self,
        index: ClaimIndex,
        embedder: Embedder | None,
        weights: SignalWeights = DEFAULT_WEIGHTS,
        second_stage: SecondStage | None = None,
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.weights = weights
        #: Re-scores the best candidates of the queries that went through the embedder (see ``reranking``).
        self.second_stage = second_stage

    @property
    def uses_embeddings(self) -> bool:
        has_claim_vectors = self.index.text_embeddings is not None or self.index.text_title_embeddings is not None
        return (
            self.embedder is not None
            and has_claim_vectors
            and bool(self.weights.text_cosine or self.weights.text_title_cosine)
        )

    def lexical_scores(self, query_texts: Sequence[str]) -> sparse.csr_matrix:
        """The queries' :func:`lexical_scores`, for :meth:`rank` to reuse (they do not depend on the weights)."""
        return lexical_scores([clean_query_text(text) for text in query_texts], self.index)

    def rank(
        self,
        query_texts: Sequence[str],
        top_k: int = DEFAULT_TOP_K,
        *,
        lexical: sparse.csr_matrix | None = None,
    ) -> list[list[ClaimMatch]]:
        """Per query, the ``top_k`` best claims (best first) with their score and per-signal contributions.

        With embeddings, claims with no signal at all (score 0) are still returned, so callers should apply their
        own minimum score when they need a "does it repeat a claim at all" decision; without, only claims sharing
        a word with the query are. ``lexical``: the queries' :meth:`lexical_scores`, when already computed.
        """
        results: list[list[ClaimMatch]] = []
        for start in range(0, len(query_texts), QUERY_CHUNK_SIZE):
            chunk = [clean_query_text(text) for text in query_texts[start : start + QUERY_CHUNK_SIZE]]
            chunk_lexical = lexical[start : start + QUERY_CHUNK_SIZE] if lexical is not None else None
            query_embeddings = self.embedder.encode(chunk) if self.uses_embeddings and self.embedder else None
            if query_embeddings is not None and self.second_stage is not None:
                depth = max(top_k, self.second_stage.depth)
                chunk_matches = self._rank_chunk(chunk, query_embeddings, depth, chunk_lexical)
                chunk_matches = [m[:top_k] for m in self.second_stage.rerank(chunk, chunk_matches, self.index)]
            else:
                chunk_matches = self._rank_chunk(chunk, query_embeddings, top_k, chunk_lexical)
            results.extend(chunk_matches)
        return results

    def _rank_chunk(
        self,
        query_texts: list[str],
        query_embeddings: np.ndarray | None,
        top_k: int,
        lexical: sparse.csr_matrix | None,
    ) -> list[list[ClaimMatch]]:
        if query_embeddings is None:
            return self._rank_chunk_lexically(query_texts, top_k, lexical)
        scores = combined_scores(query_texts, self.index, query_embeddings, self.weights, lexical)
        best = top_k_indices(scores, top_k)
        best_scores = np.take_along_axis(scores, best, axis=1)
        cosine_parts = self._cosine_contributions(query_embeddings, best)
        matches: list[list[ClaimMatch]] = []
        for row in range(len(query_texts)):
            row_matches = []
            for column, claim_index in enumerate(best[row]):
                contributions = {name: float(values[row, column]) for name, values in cosine_parts.items()}
                # BM25 is the remainder: recomputing it for the chosen claims would repeat the sparse product.
                contributions["bm25"] = float(best_scores[row, column]) - sum(contributions.values())
                row_matches.append(
                    ClaimMatch(self.index.claim_ids[claim_index], float(best_scores[row, column]), contributions)
                )
            matches.append(row_matches)
        return matches

    def _rank_chunk_lexically(
        self, query_texts: list[str], top_k: int, lexical: sparse.csr_matrix | None
    ) -> list[list[ClaimMatch]]:
        """BM25 alone, read from the sparse scores: only claims sharing a word with the query are returned, and no
        dense (queries x claims) matrix is built."""
        scores = lexical if lexical is not None else lexical_scores(query_texts, self.index)
        weight = float(self.weights.bm25)
        matches: list[list[ClaimMatch]] = []
        for row in range(scores.shape[0]):
            start, end = scores.indptr[row], scores.indptr[row + 1]
            documents, values = scores.indices[start:end], scores.data[start:end]
            best = _best_positions(values, top_k) if weight else []
            matches.append(
                [
                    ClaimMatch(
                        self.index.claim_ids[documents[i]],
                        weight * float(values[i]),
                        {"bm25": weight * float(values[i])},
                    )
                    for i in best
                ]
            )
        return matches

    def _cosine_contributions(self, query_embeddings: np.ndarray | None, best: np.ndarray) -> dict[str, np.ndarray]:
        parts: dict[str, np.ndarray] = {}
        if query_embeddings is None:
            return parts
        for name, weight, claim_embeddings in (
            ("text_cosine", self.weights.text_cosine, self.index.text_embeddings),
            ("text_title_cosine", self.weights.text_title_cosine, self.index.text_title_embeddings),
        ):
            if weight and claim_embeddings is not None:
                parts[name] = weight * np.einsum("qd,qkd->qk", query_embeddings, claim_embeddings[best])
        return parts
