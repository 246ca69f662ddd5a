"""Choose the ranking weights (and lexical variants) on TRAINING queries.

Every set's signals are computed once; the weight grid is then swept over the cached score matrices. The
objective is the mean MAP@5 over the given sets, so a single set of defaults serves tweets and debates alike.

    python bench/matching_research/tune.py \
        --set DATA/claims-snopes2020.tsv DATA/queries-clef2020-train.tsv DATA/qrels-clef2020-train.tsv \
        --set DATA/claims-politifact.tsv DATA/queries-clef2021-2b-train.tsv DATA/qrels-clef2021-2b-train.tsv
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from common import (
    DEFAULT_CACHE_DIR,
    Benchmark,
    cached_embeddings,
    load_benchmark,
    rankings_from_indices,
    text_title_documents,
)

from claims.matching.embedding import Embedder
from claims.matching.lexical import DEFAULT_B, DEFAULT_K1, BM25Index, normalise_by_query_maximum
from claims.matching.metrics import mean_average_precision_at_k, summary
from claims.matching.ranking import top_k_indices
from claims.matching.text import clean_query_text, tokenize_all

#: Stemming language, stopword removal, k1, b, BM25 over "text title" (best of --explore-lexical on train).
DEFAULT_LEXICAL = ("en", True, DEFAULT_K1, DEFAULT_B, True)
RRF_K = 60
RRF_DEPTH = 100


@dataclass
class PreparedSet:
    name: str
    benchmark: Benchmark
    text_cosine: np.ndarray
    text_title_cosine: np.ndarray


def prepare(paths: list[str], embedder: Embedder, cache_dir: Path) -> PreparedSet:
    benchmark = load_benchmark(*paths)
    # Clean queries exactly as ClaimRanker.rank does.
    benchmark = dataclasses.replace(benchmark, query_texts=[clean_query_text(t) for t in benchmark.query_texts])
    query_embeddings, _ = cached_embeddings(embedder, benchmark.query_texts, cache_dir)
    text_embeddings, _ = cached_embeddings(embedder, benchmark.claim_texts, cache_dir)
    text_title_embeddings, _ = cached_embeddings(embedder, text_title_documents(benchmark), cache_dir)
    return PreparedSet(
        name=Path(paths[1]).stem,
        benchmark=benchmark,
        text_cosine=query_embeddings @ text_embeddings.T,
        text_title_cosine=query_embeddings @ text_title_embeddings.T,
    )


def bm25_scores(
    prepared: PreparedSet, language: str | None, stopwords: bool, k1: float, b: float, with_title: bool = True
) -> np.ndarray:
    benchmark = prepared.benchmark
    documents = text_title_documents(benchmark) if with_title else benchmark.claim_texts
    index = BM25Index.build(tokenize_all(documents, language, stopwords), k1=k1, b=b)
    scores = index.score(tokenize_all(benchmark.query_texts, language, stopwords))
    return normalise_by_query_maximum(scores).toarray().astype(np.float32)


def map_at_5(prepared: PreparedSet, scores: np.ndarray) -> float:
    benchmark = prepared.benchmark
    rankings = rankings_from_indices(benchmark.query_ids, benchmark.claim_ids, top_k_indices(scores, 5))
    return mean_average_precision_at_k(rankings, benchmark.qrels, 5)


def reciprocal_rank_fusion(*score_matrices: np.ndarray) -> np.ndarray:
    fused = np.zeros_like(score_matrices[0])
    rows = np.arange(fused.shape[0])[:, None]
    for scores in score_matrices:
        best = top_k_indices(scores, RRF_DEPTH)
        fused[rows, best] += 1.0 / (RRF_K + 1 + np.arange(best.shape[1]))[None, :]
    return fused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", nargs=3, action="append", required=True, metavar=("CLAIMS", "QUERIES", "QRELS"))
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--explore-lexical", action="store_true", help="also sweep stemming/stopwords/k1/b/title")
    arguments = parser.parse_args()

    embedder = Embedder(num_threads=arguments.threads)
    sets = [prepare(paths, embedder, arguments.cache_dir) for paths in arguments.set]
    names = [prepared.name for prepared in sets]
    print("objective: mean MAP@5 over " + ", ".join(names))

    def report(label: str, per_set: list[float]) -> float:
        mean = float(np.mean(per_set))
        print(f"{label:<58} mean {mean:.4f}  " + "  ".join(f"{value:.4f}" for value in per_set))
        return mean

    print("\n## lexical variants (BM25 alone)")
    lexical_variants: dict[tuple[str | None, bool, float, float, bool], float] = {}
    grid = [
        (language, stopwords, k1, b, with_title)
        for language, stopwords, (k1, b), with_title in itertools.product(
            ["en", None], [True, False], [(1.2, 0.75), (1.5, 0.75), (0.9, 0.4), (1.2, 0.5)], [True, False]
        )
    ]
    for language, stopwords, k1, b, with_title in grid if arguments.explore_lexical else [DEFAULT_LEXICAL]:
        per_set = [map_at_5(p, bm25_scores(p, language, stopwords, k1, b, with_title)) for p in sets]
        label = f"stem={language} stopwords={stopwords} k1={k1} b={b} title={with_title}"
        lexical_variants[(language, stopwords, k1, b, with_title)] = report(label, per_set)
    best_lexical = max(lexical_variants, key=lexical_variants.__getitem__)
    print(f"best lexical variant: {best_lexical}")
    bm25 = [bm25_scores(p, *best_lexical) for p in sets]

    print("\n## embeddings alone")
    report("cos(text)", [map_at_5(p, p.text_cosine) for p in sets])
    report("cos(text+title)", [map_at_5(p, p.text_title_cosine) for p in sets])
    report(
        "max(cos(text), cos(text+title))",
        [map_at_5(p, np.maximum(p.text_cosine, p.text_title_cosine)) for p in sets],
    )

    print("\n## reciprocal-rank fusion (k=60) of cos(text) and BM25")
    report(
        "rrf",
        [map_at_5(p, reciprocal_rank_fusion(p.text_cosine, s)) for p, s in zip(sets, bm25, strict=True)],
    )

    print("\n## weighted sums: a*cos(text) + c*cos(text+title) + w*BM25/max")
    results: dict[tuple[float, float, float], float] = {}
    for title_share in [0.0, 0.25, 0.5, 0.75, 1.0]:
        for bm25_weight in [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8]:
            weights = (1.0 - title_share, title_share, bm25_weight)
            per_set = [
                map_at_5(p, weights[0] * p.text_cosine + weights[1] * p.text_title_cosine + weights[2] * s)
                for p, s in zip(sets, bm25, strict=True)
            ]
            results[weights] = report(
                f"text={weights[0]:.2f} text_title={weights[1]:.2f} bm25={weights[2]:.2f}", per_set
            )
    best = max(results, key=results.__getitem__)
    print(
        f"\nbest weights on train: text_cosine={best[0]} text_title_cosine={best[1]} bm25={best[2]} "
        f"(mean MAP@5 {results[best]:.4f}); lexical variant {best_lexical}"
    )
    for p, s in zip(sets, bm25, strict=True):
        scores = best[0] * p.text_cosine + best[1] * p.text_title_cosine + best[2] * s
        rankings = rankings_from_indices(p.benchmark.query_ids, p.benchmark.claim_ids, top_k_indices(scores, 5))
        print(p.name, {key: round(value, 4) for key, value in summary(rankings, p.benchmark.qrels).items()})


if __name__ == "__main__":
    main()
