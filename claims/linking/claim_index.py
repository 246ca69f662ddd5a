"""The in-memory claim index the matcher scores against, built from PostgreSQL and kept per process.

Claim vectors are stored in ``ClaimEmbedding`` rows; a claim without a current vector is embedded when the
index is built. The index is rebuilt when the set of claims changes (count or last update moves).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max

from claims.canonical import content_hash
from claims.matching.embedding import Embedder, embedding_model_available, shared_embedder
from claims.matching.ranking import ClaimRanker, build_claim_index
from claims.models import Claim, ClaimEmbedding

EMBEDDING_MODEL_NAME = "all-MiniLM-L6-v2-int8"


@dataclass
class CachedRanker:
    version: tuple[int, str]
    ranker: ClaimRanker


_cache: CachedRanker | None = None
_lock = threading.Lock()


def claims_version() -> tuple[int, str]:
    summary = Claim.objects.filter(merged_into__isnull=True).aggregate(count=Count("id"), last=Max("updated_at"))
    return summary["count"], str(summary["last"])


def embedder_or_none() -> Embedder | None:
    return shared_embedder() if embedding_model_available() else None


def claim_embeddings_ensure(claim_ids: list[int], texts: list[str], embedder: Embedder) -> np.ndarray:
    """Vectors for these claims, computing and storing those missing or made for an older text."""
    hashes = [content_hash(text) for text in texts]
    stored = {
        row.claim_id: row
        for row in ClaimEmbedding.objects.filter(claim_id__in=claim_ids, model_name=EMBEDDING_MODEL_NAME)
    }
    stale = [
        i for i, claim_id in enumerate(claim_ids) if claim_id not in stored or stored[claim_id].text_hash != hashes[i]
    ]
    vectors: dict[int, np.ndarray] = {
        claim_id: np.frombuffer(bytes(row.vector), dtype="<f4") for claim_id, row in stored.items()
    }
    if stale:
        fresh = embedder.encode([texts[i] for i in stale])
        rows = []
        for position, i in enumerate(stale):
            vector = np.ascontiguousarray(fresh[position], dtype="<f4")
            vectors[claim_ids[i]] = vector
            rows.append(
                ClaimEmbedding(
                    claim_id=claim_ids[i],
                    model_name=EMBEDDING_MODEL_NAME,
                    text_hash=hashes[i],
                    dimension=vector.shape[0],
                    vector=vector.tobytes(),
                )
            )
        ClaimEmbedding.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["claim"],
            update_fields=["model_name", "text_hash", "dimension", "vector"],
        )
    return np.vstack([vectors[claim_id] for claim_id in claim_ids]) if claim_ids else np.zeros((0, 384), "<f4")


def build_ranker_from_database() -> ClaimRanker:
    rows = list(Claim.objects.filter(merged_into__isnull=True).order_by("id").values_list("id", "text"))
    claim_ids = [claim_id for claim_id, _ in rows]
    texts = [text for _, text in rows]
    embedder = embedder_or_none()
    vectors = claim_embeddings_ensure(claim_ids, texts, embedder) if embedder is not None and rows else None
    index = build_claim_index([str(claim_id) for claim_id in claim_ids], texts, text_embeddings=vectors)
    return ClaimRanker(index, embedder)


def current_ranker() -> ClaimRanker:
    """The process's ranker, rebuilt when claims were added, edited or merged since it was built."""
    global _cache
    version = claims_version()
    with _lock:
        if _cache is None or _cache.version != version:
            _cache = CachedRanker(version, build_ranker_from_database())
        return _cache.ranker
