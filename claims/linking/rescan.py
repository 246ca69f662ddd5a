"""A new or edited claim looks back over recent sources, so evidence that arrived before it is found; and gets its
vectors now, so the sources that arrive after it find them ready instead of computing them while they link."""

from __future__ import annotations

import datetime

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import Q
from django.utils import timezone

from claims.linking.claim_index import (
    claim_embeddings_ensure,
    configured_second_encoder,
    embedder_or_none,
    second_encoder_vectors,
)
from claims.linking.service import source_link
from claims.matching.ranking import ClaimRanker, build_claim_index
from claims.matching.text import tokenize
from claims.models import Claim, FetchState, Source

RESCAN_WINDOW = datetime.timedelta(days=365)
RESCAN_MAX_SOURCES = 50


def recent_sources_mentioning(claim: Claim) -> list[Source]:
    """Recent sources sharing words with the claim, best first, by PostgreSQL full-text search (any word)."""
    words = sorted(set(tokenize(claim.text, language=None)))
    if not words:
        return []
    query = SearchQuery(" OR ".join(words), search_type="websearch", config="simple")
    vector = SearchVector("text", config="simple")
    since = timezone.now() - RESCAN_WINDOW
    return list(
        Source.objects.filter(fetch_state__in=[FetchState.FETCHED, FetchState.PASTED])
        .filter(
            Q(published_at__gte=since) | Q(published_at__isnull=True, created_at__gte=since) | Q(created_at__gte=since)
        )
        .annotate(rank=SearchRank(vector, query))
        .filter(rank__gt=0)
        .order_by("-rank", "-id")[:RESCAN_MAX_SOURCES]
    )


def claim_scan_recent_sources(*, claim_id: int) -> int:
    """Link the claim to recent sources that repeat it; returns how many links were stored."""
    claim = Claim.objects.get(pk=claim_id)
    if claim.merged_into_id:
        return 0
    embedder = embedder_or_none()
    vectors = claim_embeddings_ensure([claim.pk], [claim.text], embedder.encode) if embedder is not None else None
    claim_second_encoder_vector_ensure(claim)
    ranker = ClaimRanker(build_claim_index([str(claim.pk)], [claim.text], text_embeddings=vectors), embedder)
    stored = 0
    for source in recent_sources_mentioning(claim):
        result = source_link(source=source, ranker=ranker, propose=False)
        stored += result.links_suggested + result.links_auto_confirmed
    return stored


def claim_second_encoder_vector_ensure(claim: Claim) -> None:
    """Compute and store the claim's re-ranking vector unless it is stored for its current text (about 37 ms of
    CPU), when the re-ranking encoder is on."""
    encoder = configured_second_encoder()
    if encoder is not None:
        second_encoder_vectors(encoder)([str(claim.pk)])
