"""Evaluate the claim matcher on one benchmark set (no Django).

Prints MAP@1/3/5, MRR and end-to-end queries/s (query encoding + scoring + top-k) for lexical only,
embeddings only and the combined ranking, and optionally writes TREC run files.

    python bench/matching_research/evaluate.py --claims DATA/claims-snopes2020.tsv \
        --queries DATA/queries-clef2020-dev.tsv --qrels DATA/qrels-clef2020-dev.tsv
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from common import DEFAULT_CACHE_DIR, cached_embeddings, format_metrics, load_benchmark, text_title_documents

from claims.matching.embedding import Embedder
from claims.matching.metrics import summary, write_trec_run
from claims.matching.ranking import (
    DEFAULT_WEIGHTS,
    EMBEDDINGS_ONLY,
    LEXICAL_ONLY,
    ClaimRanker,
    SignalWeights,
    build_claim_index,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--qrels", required=True)
    parser.add_argument("--language", default="en", help="stemming language: en, fr, nl or none")
    parser.add_argument("--threads", type=int, default=None, help="ONNX Runtime intra-op threads")
    parser.add_argument("--text-cosine", type=float, default=DEFAULT_WEIGHTS.text_cosine)
    parser.add_argument("--text-title-cosine", type=float, default=DEFAULT_WEIGHTS.text_title_cosine)
    parser.add_argument("--bm25", type=float, default=DEFAULT_WEIGHTS.bm25)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR, help="claim embedding cache")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--run-dir", type=Path, default=None, help="write one TREC run file per signal here")
    arguments = parser.parse_args()

    language = None if arguments.language == "none" else arguments.language
    combined = SignalWeights(arguments.text_cosine, arguments.text_title_cosine, arguments.bm25)
    benchmark = load_benchmark(arguments.claims, arguments.queries, arguments.qrels)
    embedder = Embedder(num_threads=arguments.threads)
    cache_dir = None if arguments.no_cache else arguments.cache_dir

    text_embeddings, rate = cached_embeddings(embedder, benchmark.claim_texts, cache_dir)
    if rate:
        print(f"encoded {len(benchmark.claim_texts)} claims at {rate:.0f} claims/s")
    text_title_embeddings = None
    if combined.text_title_cosine:
        text_title_embeddings, _ = cached_embeddings(embedder, text_title_documents(benchmark), cache_dir)
    started = time.perf_counter()
    index = build_claim_index(
        benchmark.claim_ids,
        benchmark.claim_texts,
        benchmark.claim_titles,
        embedder=None,
        weights=combined,
        language=language,
        text_embeddings=text_embeddings,
        text_title_embeddings=text_title_embeddings,
    )
    print(f"BM25 index of {len(index)} claims built in {time.perf_counter() - started:.2f}s")
    embedder.encode(["warm-up"])  # load the model outside the timed runs

    print(f"{len(benchmark.query_texts)} queries, {len(benchmark.qrels)} with relevance judgements")
    for name, weights in (
        ("lexical only (BM25)", LEXICAL_ONLY),
        ("embeddings only (cosine)", EMBEDDINGS_ONLY),
        (f"combined {combined}", combined),
    ):
        ranker = ClaimRanker(index, embedder, weights)
        started = time.perf_counter()
        matches = ranker.rank(benchmark.query_texts, top_k=5)
        elapsed = time.perf_counter() - started
        rankings = {qid: [m.claim_id for m in found] for qid, found in zip(benchmark.query_ids, matches, strict=True)}
        print(format_metrics(name, summary(rankings, benchmark.qrels), f"{len(matches) / elapsed:.0f} queries/s"))
        if arguments.run_dir is not None:
            arguments.run_dir.mkdir(parents=True, exist_ok=True)
            tag = name.split()[0]
            run = {
                qid: [(m.claim_id, m.score) for m in found]
                for qid, found in zip(benchmark.query_ids, matches, strict=True)
            }
            write_trec_run(arguments.run_dir / f"{Path(arguments.queries).stem}.{tag}.run", run, tag)


if __name__ == "__main__":
    main()
