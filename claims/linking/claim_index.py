"""The in-memory claim index the matcher scores against, built from PostgreSQL and kept per process.

Claim vectors are stored in ``ClaimEmbedding`` rows (one per claim and model): the first-stage vectors of every
claim are loaded, and computed when missing or made for an older text, when the index is built; the re-ranking
encoder's vectors are computed the first time a claim is a sentence's candidate, then stored. The index is rebuilt
when claims are added, removed or merged, or their text or headline is edited (see ``current_ranker``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Count, Max

from claims.canonical import content_hash
from claims.matching.embedding import EMBEDDING_DIMENSION, Embedder, embedding_model_available, shared_embedder
from claims.matching.ranking import ClaimRanker, build_claim_index
from claims.matching.reranking import ClaimVectorSource, SecondStage
from claims.matching.second_encoder import DIMENSION as SECOND_ENCODER_DIMENSION
from claims.matching.second_encoder import MODEL_ID as SECOND_ENCODER_MODEL_NAME
from claims.matching.second_encoder import SecondEncoder, shared_second_encoder
from claims.models import Claim, ClaimEmbedding

EMBEDDING_MODEL_NAME = "all-MiniLM-L6-v2-int8"


@dataclass
class CachedRanker:
    version: tuple[int, int, str]
    ranker: ClaimRanker
    #: Hash of each indexed claim's text and headline: what the index depends on.
    matched_text_hashes: dict[int, str]
    #: ``time.monotonic()`` of the last comparison with the database.
    checked_at: float = 0.0


_cache: CachedRanker | None = None
_lock = threading.Lock()


def claims_version() -> tuple[int, int, str]:
    """(count, last id, last update) of the claims the matcher indexes: one aggregate query."""
    summary = Claim.objects.filter(merged_into__isnull=True).aggregate(
        count=Count("id"), last_id=Max("id"), last=Max("updated_at")
    )
    return summary["count"], summary["last_id"] or 0, str(summary["last"])


def matched_text_hash(text: str, headline: str) -> str:
    return content_hash(f"{text}\n{headline}")


def only_unmatched_fields_changed(cached: CachedRanker, version: tuple[int, int, str]) -> bool:
    """True when the claims are the same ones with the same texts and headlines, so the index is still right: a
    status change, a new subject or a publication moves ``updated_at`` without touching what is matched."""
    count, last_id, _ = version
    if (count, last_id) != cached.version[:2]:
        return False
    changed = Claim.objects.filter(merged_into__isnull=True, updated_at__gt=cached.version[2]).values_list(
        "id", "text", "headline"
    )
    return all(
        cached.matched_text_hashes.get(claim_id) == matched_text_hash(text, headline)
        for claim_id, text, headline in changed
    )


def embedder_or_none() -> Embedder | None:
    return shared_embedder() if embedding_model_available() else None


def claim_embeddings_ensure(
    claim_ids: list[int],
    texts: list[str],
    encode: Callable[[list[str]], np.ndarray],
    model_name: str = EMBEDDING_MODEL_NAME,
) -> np.ndarray:
    """Vectors of ``model_name`` for these claims, computing (with ``encode``) and storing those missing or made
    for an older text."""
    hashes = [content_hash(text) for text in texts]
    stored = {row.claim_id: row for row in ClaimEmbedding.objects.filter(claim_id__in=claim_ids, model_name=model_name)}
    stale = [
        i for i, claim_id in enumerate(claim_ids) if claim_id not in stored or stored[claim_id].text_hash != hashes[i]
    ]
    vectors: dict[int, np.ndarray] = {
        claim_id: np.frombuffer(bytes(row.vector), dtype="<f4") for claim_id, row in stored.items()
    }
    if stale:
        fresh = encode([texts[i] for i in stale])
        rows = []
        for position, i in enumerate(stale):
            vector = np.ascontiguousarray(fresh[position], dtype="<f4")
            vectors[claim_ids[i]] = vector
            rows.append(
                ClaimEmbedding(
                    claim_id=claim_ids[i],
                    model_name=model_name,
                    text_hash=hashes[i],
                    dimension=vector.shape[0],
                    vector=vector.tobytes(),
                )
            )
        ClaimEmbedding.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["claim", "model_name"],
            update_fields=["text_hash", "dimension", "vector"],
        )
    if not claim_ids:
        return np.zeros((0, EMBEDDING_DIMENSION), "<f4")
    return np.vstack([vectors[claim_id] for claim_id in claim_ids])


def build_ranker_from_database() -> ClaimRanker:
    return _build_from_database()[0]


def _build_from_database() -> tuple[ClaimRanker, dict[int, str]]:
    rows = list(Claim.objects.filter(merged_into__isnull=True).order_by("id").values_list("id", "text", "headline"))
    claim_ids = [claim_id for claim_id, _, _ in rows]
    texts = [text for _, text, _ in rows]
    embedder = embedder_or_none()
    vectors = claim_embeddings_ensure(claim_ids, texts, embedder.encode) if embedder is not None and rows else None
    # Headlines count for BM25 only: one vector per claim keeps the index build and memory at one encoding.
    headlines = [headline for _, _, headline in rows]
    index = build_claim_index([str(claim_id) for claim_id in claim_ids], texts, headlines, text_embeddings=vectors)
    hashes = {claim_id: matched_text_hash(text, headline) for claim_id, text, headline in rows}
    return ClaimRanker(index, embedder, second_stage=second_stage_from_database()), hashes


def configured_second_encoder() -> SecondEncoder | None:
    """The re-ranking encoder, unless switched off (``MATCHER_SECOND_ENCODER``) or not installed."""
    return shared_second_encoder() if settings.MATCHER_SECOND_ENCODER else None


def second_stage_from_database() -> SecondStage:
    """Near-identical claims first-recorded first, and the re-ranking encoder unless switched off
    (``MATCHER_SECOND_ENCODER``) or not installed."""
    encoder = configured_second_encoder()
    return SecondStage(encoder, second_encoder_vectors(encoder) if encoder is not None else None)


def second_encoder_vectors(encoder: SecondEncoder) -> ClaimVectorSource:
    """Re-ranking vectors by claim id, from this process's memory, else PostgreSQL, else the encoder (stored)."""
    remembered: dict[str, np.ndarray] = {}

    def vectors(claim_ids: Sequence[str]) -> np.ndarray:
        missing = sorted({claim_id for claim_id in claim_ids if claim_id not in remembered}, key=int)
        if missing:
            rows = Claim.objects.filter(id__in=[int(claim_id) for claim_id in missing]).values_list("id", "text")
            found = dict(rows)
            known_ids = [int(claim_id) for claim_id in missing if int(claim_id) in found]
            computed = claim_embeddings_ensure(
                known_ids, [found[claim_id] for claim_id in known_ids], encoder.passages, SECOND_ENCODER_MODEL_NAME
            )
            remembered.update(zip([str(claim_id) for claim_id in known_ids], computed, strict=True))
        if not claim_ids:
            return np.zeros((0, SECOND_ENCODER_DIMENSION), dtype=np.float32)
        # A claim deleted since the index was built scores 0 on this signal.
        absent = np.zeros(SECOND_ENCODER_DIMENSION, dtype=np.float32)
        return np.vstack([remembered.get(claim_id, absent) for claim_id in claim_ids])

    return vectors


def current_ranker() -> ClaimRanker:
    """The process's ranker, rebuilt when claims were added, removed, merged, or had their text or headline
    edited since it was built; other edits only move the version it was checked against."""
    global _cache
    with _lock:
        now = time.monotonic()
        if _cache is not None and now - _cache.checked_at < settings.MATCHER_INDEX_CHECK_SECONDS:
            return _cache.ranker
        version = claims_version()
        if _cache is not None and _cache.version != version and only_unmatched_fields_changed(_cache, version):
            _cache.version = version
        if _cache is None or _cache.version != version:
            ranker, hashes = _build_from_database()
            _cache = CachedRanker(version, ranker, hashes)
        _cache.checked_at = now
        return _cache.ranker
