"""Merging a duplicate claim into another."""

from __future__ import annotations

from accountability.merging import merge_run
from accountability.recording import Actor
from claims.models import Claim, ClaimLink, ClaimStatusChange


def claim_merge(*, loser: Claim, winner: Claim, actor: Actor) -> Claim:
    """Merge a duplicate claim into another: its sources (links), subjects and anything else pointing at it move
    to ``winner``; a source linked to both keeps the winner's link. The loser's status history stays with it (it
    describes the loser's own status), and its public page leads to the winner."""

    def settle() -> None:
        winner_sources = ClaimLink.objects.filter(claim=winner).values("source_id")
        ClaimLink.objects.filter(claim=loser, source_id__in=winner_sources).delete()

    merged = merge_run(
        loser=loser, winner=winner, actor=actor, action="claim_merge", settle=settle, skip=(ClaimStatusChange,)
    )
    return merged  # type: ignore[return-value]
