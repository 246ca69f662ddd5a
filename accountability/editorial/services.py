"""Writes of the hand-recording screens that the shared services do not already offer as one step."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError

from accountability.models import Incident, Organisation, Person, RecordOrigin
from accountability.recording import Actor, recording
from claims.models import Claim, Quote, Source, Stance
from claims.services import claim_create, claim_link_source, quote_record


def claim_from_sentence_create(
    *,
    source: Source,
    sentence: str,
    text: str,
    actor: Actor,
    claimant_person: Person | None = None,
    claimant_organisation: Organisation | None = None,
    subject_people: Sequence[Person] = (),
    subject_organisations: Sequence[Organisation] = (),
    incident: Incident | None = None,
    first_made_on: datetime.date | None = None,
    is_quote: bool = True,
) -> Claim:
    """A claim read in one sentence of a source: the claim, linked to the source, and (when the sentence is the
    claimant's own words) the sentence recorded as their quote and attached to the link. One transaction."""
    if sentence.strip() and sentence.strip() not in source.text:
        raise ValidationError({"sentence": "That sentence is not in this source."})
    with recording(actor, action="claim_from_sentence_create"):
        claim = claim_create(
            text=text,
            sources=[source],
            actor=actor,
            claimant_person=claimant_person,
            claimant_organisation=claimant_organisation,
            subject_people=subject_people,
            subject_organisations=subject_organisations,
            incident=incident,
            first_made_on=first_made_on,
            language=source.language or "en",
        )
        if is_quote and sentence.strip():
            quote = Quote.objects.filter(source=source, text=sentence.strip()).first() or quote_record(
                text=sentence,
                source=source,
                actor=actor,
                speaker=claimant_person,
                speaker_organisation=claimant_organisation if claimant_person is None else None,
                said_on=first_made_on,
                language=source.language or "en",
            )
            claim_link_source(
                claim=claim, source=source, quote=quote, stance=Stance.MENTIONS, origin=RecordOrigin.EDITOR, actor=actor
            )
        return claim
