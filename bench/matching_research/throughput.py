"""Measure encoding and matching speed at production scale (default: 100,000 claims).

The claim collection of a benchmark set is repeated until it holds ``--claims-count`` claims (embeddings get a
little noise so that rows differ), then we time:

- claims encoded per second (a sample of ``--encode-sample`` claim texts);
- queries per second for scoring only (query embeddings precomputed): cosine matrix product, sparse BM25,
  top-k;
- queries per second end to end (query encoding included), i.e. ``ClaimRanker.rank``.

Run it on an otherwise idle machine: other processes on the same cores distort every figure.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from common import load_benchmark

from claims.matching.embedding import Embedder, l2_normalise
from claims.matching.ranking import DEFAULT_WEIGHTS, ClaimRanker, build_claim_index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--qrels", required=True)
    parser.add_argument("--claims-count", type=int, default=100_000)
    parser.add_argument("--encode-sample", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    arguments = parser.parse_args()

    print(f"cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.2f}")
    benchmark = load_benchmark(arguments.claims, arguments.queries, arguments.qrels)
    embedder = Embedder(num_threads=arguments.threads)
    embedder.encode(["warm-up"])

    sample = benchmark.claim_texts[: arguments.encode_sample]
    started = time.perf_counter()
    sample_embeddings = embedder.encode(sample, batch_size=arguments.batch_size)
    print(f"claims encoded: {len(sample) / (time.perf_counter() - started):.0f}/s ({len(sample)} claims)")

    repeats = -(-arguments.claims_count // len(sample))
    rng = np.random.default_rng(0)
    noise = rng.normal(scale=0.05, size=(len(sample) * repeats, sample_embeddings.shape[1])).astype(np.float32)
    claim_embeddings = l2_normalise(np.tile(sample_embeddings, (repeats, 1)) + noise)[: arguments.claims_count]
    claim_texts = (sample * repeats)[: arguments.claims_count]
    started = time.perf_counter()
    index = build_claim_index(
        [str(number) for number in range(len(claim_texts))],
        claim_texts,
        None,
        text_embeddings=claim_embeddings,
    )
    print(f"index of {len(index)} claims built in {time.perf_counter() - started:.1f}s")

    queries = benchmark.query_texts
    started = time.perf_counter()
    query_embeddings = embedder.encode(queries, batch_size=arguments.batch_size)
    encoding_rate = len(queries) / (time.perf_counter() - started)
    print(f"queries encoded: {encoding_rate:.0f}/s")

    ranker = ClaimRanker(index, embedder, DEFAULT_WEIGHTS)
    started = time.perf_counter()
    ranker._rank_chunk(list(queries), query_embeddings, 5, None)
    print(
        f"scoring only (cosine + BM25 + top-5 over {len(index)} claims): "
        f"{len(queries) / (time.perf_counter() - started):.0f} queries/s"
    )
    started = time.perf_counter()
    ranker.rank(queries, top_k=5)
    print(f"end to end (encode + score): {len(queries) / (time.perf_counter() - started):.0f} queries/s")


if __name__ == "__main__":
    main()
