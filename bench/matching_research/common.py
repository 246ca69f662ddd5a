"""Shared helpers of the claim-matching benchmark scripts (no Django): data loading and embedding cache."""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from claims.matching.embedding import MODEL_ID, Embedder  # noqa: E402
from claims.matching.metrics import read_claims_tsv, read_qrels, read_queries_tsv  # noqa: E402
from claims.matching.ranking import lexical_document  # noqa: E402

DEFAULT_CACHE_DIR = Path(tempfile.gettempdir()) / "claim-matching-cache"


@dataclass(frozen=True)
class Benchmark:
    claim_ids: list[str]
    claim_texts: list[str]
    claim_titles: list[str]
    query_ids: list[str]
    query_texts: list[str]
    qrels: dict[str, set[str]]


def load_benchmark(claims_path: str | Path, queries_path: str | Path, qrels_path: str | Path) -> Benchmark:
    claim_ids, claim_texts, claim_titles = read_claims_tsv(claims_path)
    query_ids, query_texts = read_queries_tsv(queries_path)
    return Benchmark(claim_ids, claim_texts, claim_titles, query_ids, query_texts, read_qrels(qrels_path))


def text_title_documents(benchmark: Benchmark) -> list[str]:
    return [
        lexical_document(text, title) for text, title in zip(benchmark.claim_texts, benchmark.claim_titles, strict=True)
    ]


def cached_embeddings(
    embedder: Embedder, texts: Sequence[str], cache_dir: Path | None = DEFAULT_CACHE_DIR
) -> tuple[np.ndarray, float | None]:
    """Embeddings of ``texts``, cached on disk by content hash, and texts/s when they had to be encoded."""
    path: Path | None = None
    if cache_dir is not None:
        digest = hashlib.sha256(("\n".join(texts) + MODEL_ID + str(embedder.max_tokens)).encode()).hexdigest()[:20]
        path = cache_dir / f"{digest}.npy"
        if path.exists():
            return np.load(path), None
    started = time.perf_counter()
    embeddings = embedder.encode(list(texts))
    rate = len(texts) / max(time.perf_counter() - started, 1e-9)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, embeddings)
    return embeddings, rate


def rankings_from_indices(query_ids: Sequence[str], claim_ids: Sequence[str], best: np.ndarray) -> dict[str, list[str]]:
    return {query_id: [claim_ids[column] for column in row] for query_id, row in zip(query_ids, best, strict=True)}


def format_metrics(name: str, metrics: dict[str, float], extra: str = "") -> str:
    figures = "  ".join(f"{key} {value:.4f}" for key, value in metrics.items())
    return f"{name:<34} {figures}  {extra}"
