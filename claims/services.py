"""Every write to sources, claims, their status history, quotes and links."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accountability.caching import content_changed
from accountability.models import Incident, Organisation, Person, RecordOrigin
from accountability.recording import Actor, recording, require_sources, save_validated, unique_slug
from accountability.records import DatePrecision
from claims.canonical import canonical_url, content_hash
from claims.models import (
    Claim,
    ClaimLink,
    ClaimStatus,
    ClaimStatusChange,
    FetchState,
    LinkReviewState,
    Quote,
    Source,
    Stance,
)


def _actor_or_none(actor: Actor):  # type: ignore[no-untyped-def]
    return actor if getattr(actor, "pk", None) else None


def source_find_existing(*, url: str = "", text: str = "") -> Source | None:
    """The source this URL or text already is, if any: by canonical URL, else by the hash of pasted text."""
    if url:
        found = Source.objects.filter(canonical_url=canonical_url(url)).first()
        if found is not None:
            return found
    if text.strip():
        return Source.objects.filter(content_hash=content_hash(text)).order_by("id").first()
    return None


def source_record(
    *,
    actor: Actor,
    url: str = "",
    text: str = "",
    title: str = "",
    author: str = "",
    publisher: Organisation | None = None,
    publisher_name: str = "",
    language: str = "",
    published_at: datetime.datetime | None = None,
    fetch_state: str | None = None,
) -> tuple[Source, bool]:
    """Store a source once. Returns ``(source, created)``; the same URL or pasted text gives the same row."""
    if not url.strip() and not text.strip():
        raise ValidationError({"url": "Give the address of the article or paste its text."})
    existing = source_find_existing(url=url, text=text)
    if existing is not None:
        return existing, False
    source = Source(
        url=url.strip(),
        canonical_url=canonical_url(url) if url.strip() else None,
        content_hash=content_hash(text) if text.strip() else "",
        title=title.strip(),
        author=author.strip(),
        publisher=publisher,
        publisher_name=publisher_name or (publisher.name if publisher else ""),
        language=language,
        published_at=published_at,
        text=text.strip(),
        fetch_state=fetch_state or (FetchState.PASTED if text.strip() else FetchState.PENDING),
        fetched_at=timezone.now() if text.strip() else None,
        recorded_by=_actor_or_none(actor),
    )
    try:
        with recording(actor, action="source_record"):
            return save_validated(source), True
    except (IntegrityError, ValidationError):
        concurrent = source_find_existing(url=url, text=text)  # another process stored it first
        if concurrent is None:
            raise
        return concurrent, False


def claim_create(
    *,
    text: str,
    sources: Iterable[Source],
    actor: Actor,
    claimant_person: Person | None = None,
    claimant_organisation: Organisation | None = None,
    subject_people: Sequence[Person] = (),
    subject_organisations: Sequence[Organisation] = (),
    incident: Incident | None = None,
    first_made_on: datetime.date | None = None,
    first_made_on_precision: str = DatePrecision.DAY,
    language: str = "en",
    slug: str | None = None,
) -> Claim:
    """A new claim, unverified, linked to the sources it was read in (as confirmed editor links)."""
    listed_sources = require_sources(sources)
    if claimant_person is None and claimant_organisation is None:
        raise ValidationError({"claimant_person": "Name who made the claim: a person or an organisation."})
    with recording(actor, action="claim_create"):
        claim = save_validated(
            Claim(
                text=text.strip(),
                slug=slug or unique_slug(Claim, text, max_length=80),
                claimant_person=claimant_person,
                claimant_organisation=claimant_organisation,
                incident=incident,
                first_made_on=first_made_on,
                first_made_on_precision=first_made_on_precision,
                language=language,
                status=ClaimStatus.UNVERIFIED,
                recorded_by=_actor_or_none(actor),
            )
        )
        claim.subject_people.add(*subject_people)
        claim.subject_organisations.add(*subject_organisations)
        change = save_validated(
            ClaimStatusChange(
                claim=claim,
                from_status="",
                to_status=ClaimStatus.UNVERIFIED,
                changed_by=_actor_or_none(actor),
                changed_at=timezone.now(),
                reason="Claim recorded.",
            )
        )
        change.evidence.add(*listed_sources)
        for source in listed_sources:
            claim_link_source(
                claim=claim, source=source, stance=Stance.MENTIONS, origin=RecordOrigin.EDITOR, actor=actor
            )
        claim_schedule_rescan(claim)
        return claim


def claim_schedule_rescan(claim: Claim) -> None:
    """After commit, look back over recent sources for evidence of this (new or edited) claim."""
    from claims import tasks

    transaction.on_commit(lambda: tasks.scan_sources_for_claim.delay(claim.pk))


def claim_status_change(
    *, claim: Claim, to_status: str, reason: str, evidence: Iterable[Source], actor: Actor
) -> ClaimStatusChange:
    """Change a claim's status. A reason and at least one piece of evidence are required; all is kept."""
    listed_evidence = require_sources(evidence, field="evidence")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the status changes."})
    if to_status == claim.status:
        raise ValidationError({"to_status": f"The claim is already {claim.get_status_display().lower()}."})
    with recording(actor, action="claim_status_change"):
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        change = save_validated(
            ClaimStatusChange(
                claim=locked,
                from_status=locked.status,
                to_status=to_status,
                changed_by=_actor_or_none(actor),
                changed_at=timezone.now(),
                reason=reason.strip(),
            )
        )
        change.evidence.add(*listed_evidence)
        locked.status = to_status
        save_validated(locked)
        claim.status = to_status
        from claims.api.webhooks import CLAIM_STATUS_CHANGED, webhooks_notify

        transaction.on_commit(
            lambda: webhooks_notify(
                event_type=CLAIM_STATUS_CHANGED,
                record=locked,
                from_status=change.from_status,
                to_status=change.to_status,
                reason=change.reason,
                changed_at=change.changed_at,
            )
        )
        return change


def quote_record(
    *,
    text: str,
    source: Source,
    actor: Actor,
    speaker: Person | None = None,
    speaker_organisation: Organisation | None = None,
    said_to: str = "",
    said_to_organisation: Organisation | None = None,
    said_on: datetime.date | None = None,
    language: str = "en",
) -> Quote:
    if speaker is None and speaker_organisation is None:
        raise ValidationError({"speaker": "Name who said it: a person or an organisation."})
    with recording(actor, action="quote_record"):
        return save_validated(
            Quote(
                text=text.strip(),
                source=source,
                speaker=speaker,
                speaker_organisation=speaker_organisation,
                said_to=said_to or (said_to_organisation.name if said_to_organisation else ""),
                said_to_organisation=said_to_organisation,
                said_on=said_on,
                language=language,
                recorded_by=_actor_or_none(actor),
            )
        )


def claim_link_source(
    *,
    claim: Claim,
    source: Source,
    stance: str,
    origin: str,
    actor: Actor,
    quote: Quote | None = None,
    confidence: float = 1.0,
    matcher_version: str = "",
    explanation: dict | None = None,
    review_state: str | None = None,
) -> ClaimLink:
    """Link a source to a claim. An editor's link is confirmed by that editor; a matcher's waits for review
    unless the matcher confirmed it itself. Linking the same pair again updates nothing and returns the link."""
    if quote is not None and quote.source_id != source.pk:
        raise ValidationError({"quote": "The quote must come from the linked source."})
    if review_state is None:
        review_state = LinkReviewState.CONFIRMED if origin == RecordOrigin.EDITOR else LinkReviewState.SUGGESTED
    reviewer = _actor_or_none(actor) if review_state in (LinkReviewState.CONFIRMED, LinkReviewState.REJECTED) else None
    with recording(actor, action="claim_link_source"):
        existing = ClaimLink.objects.filter(claim=claim, source=source).first()
        if existing is not None:
            if quote is not None and existing.quote_id is None:
                existing.quote = quote
                save_validated(existing)
            return existing
        return save_validated(
            ClaimLink(
                claim=claim,
                source=source,
                quote=quote,
                stance=stance,
                confidence=confidence,
                origin=origin,
                matcher_version=matcher_version,
                explanation=explanation or {},
                review_state=review_state,
                reviewed_by=reviewer,
                reviewed_at=timezone.now() if reviewer else None,
                recorded_by=_actor_or_none(actor),
            )
        )


def claim_link_review(
    *, link: ClaimLink, is_accepted: bool, actor: Actor, stance: str | None = None, claim: Claim | None = None
) -> ClaimLink:
    """An editor's decision on a link: accept (optionally correcting stance or claim) or reject."""
    if getattr(actor, "pk", None) is None:
        raise ValidationError({"reviewed_by": "A review needs a signed-in reviewer."})
    with recording(actor, action="claim_link_review"):
        link.review_state = LinkReviewState.CONFIRMED if is_accepted else LinkReviewState.REJECTED
        link.reviewed_by = actor  # type: ignore[assignment]
        link.reviewed_at = timezone.now()
        if stance:
            link.stance = stance
        if claim is not None:
            link.claim = claim
        return save_validated(link)


def claim_links_store_from_matcher(*, links: list[ClaimLink]) -> int:
    """Store many matcher links at once (a linking run makes dozens). Fields are validated in Python; the
    database holds the invariants (one link per claim and source, a confirmed link has a reviewer), and a link
    already there is left as it is. Returns how many were new."""
    for link in links:
        if link.origin != RecordOrigin.MATCHER or not link.matcher_version:
            raise ValidationError({"origin": "Bulk storage is for matcher links, which carry the matcher version."})
        link.clean_fields(exclude=["claim", "source", "quote", "reviewed_by", "recorded_by"])
    with recording(None, action="matcher_link_source"):
        created = ClaimLink.objects.bulk_create(links, ignore_conflicts=True)
        if any(link.review_state == LinkReviewState.AUTO_CONFIRMED for link in links):
            content_changed()  # bulk inserts send no signal; links the matcher confirmed are public at once
    return len([link for link in created if link.pk is not None]) if created else 0
