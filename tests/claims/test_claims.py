"""Claims, their status history, quotes, and links between sources and claims."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import services
from claims.models import ClaimLink, ClaimStatus, ClaimStatusChange, LinkReviewState, Stance
from tests.factories import (
    ClaimFactory,
    ClaimLinkFactory,
    OrganisationFactory,
    PersonFactory,
    QuoteFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(source, editor):
    return services.claim_create(
        text="Belgium ignored Turkey's warning that Ibrahim al-Bakrawi was a militant.",
        claimant_organisation=OrganisationFactory(name="Government of Turkey"),
        subject_organisations=[OrganisationFactory(name="Government of Belgium")],
        sources=[source],
        actor=editor,
    )


def test_new_claim_is_unverified_with_its_first_status_change_kept(claim, source, editor):
    assert claim.status == ClaimStatus.UNVERIFIED
    [first] = claim.status_changes.all()
    assert (first.from_status, first.to_status, first.changed_by) == ("", ClaimStatus.UNVERIFIED, editor)
    assert list(first.evidence.all()) == [source]


def test_new_claim_is_linked_to_its_source_confirmed_by_the_editor(claim, source, editor):
    link = claim.links.get()
    assert (link.source, link.origin, link.review_state, link.reviewed_by) == (
        source,
        "editor",
        LinkReviewState.CONFIRMED,
        editor,
    )


def test_claim_needs_a_claimant(source, editor):
    with pytest.raises(ValidationError) as error:
        services.claim_create(text="Someone was responsible.", sources=[source], actor=editor)
    assert "claimant_person" in error.value.message_dict


def test_claim_needs_a_source(editor):
    with pytest.raises(ValidationError) as error:
        services.claim_create(text="X", claimant_person=PersonFactory(), sources=[], actor=editor)
    assert "sources" in error.value.message_dict


def test_database_refuses_a_claim_without_claimant():
    with pytest.raises(IntegrityError, match="claim_has_claimant"), transaction.atomic():
        ClaimFactory(claimant_organisation=None)


def test_status_change_keeps_who_when_why_and_evidence(claim, editor):
    evidence = SourceFactory()
    change = services.claim_status_change(
        claim=claim,
        to_status=ClaimStatus.DISPUTED,
        reason="Belgium says it received no warning.",
        evidence=[evidence],
        actor=editor,
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DISPUTED
    assert (change.from_status, change.to_status, change.changed_by) == (
        ClaimStatus.UNVERIFIED,
        ClaimStatus.DISPUTED,
        editor,
    )
    assert change.changed_at is not None
    assert list(change.evidence.all()) == [evidence]
    assert [c.to_status for c in claim.status_changes.all()] == [ClaimStatus.UNVERIFIED, ClaimStatus.DISPUTED]


@pytest.mark.parametrize(("reason", "evidence_count", "field"), [(" ", 1, "reason"), ("Because.", 0, "evidence")])
def test_status_change_requires_reason_and_evidence(claim, editor, reason, evidence_count, field):
    with pytest.raises(ValidationError) as error:
        services.claim_status_change(
            claim=claim,
            to_status=ClaimStatus.CONFIRMED,
            reason=reason,
            evidence=SourceFactory.create_batch(evidence_count),
            actor=editor,
        )
    assert field in error.value.message_dict
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.UNVERIFIED


def test_status_change_to_the_same_status_is_refused(claim, source, editor):
    with pytest.raises(ValidationError) as error:
        services.claim_status_change(
            claim=claim, to_status=ClaimStatus.UNVERIFIED, reason="No change", evidence=[source], actor=editor
        )
    assert "to_status" in error.value.message_dict


def test_database_refuses_a_status_change_without_reason(claim):
    with pytest.raises(IntegrityError, match="status_change_has_reason"), transaction.atomic():
        ClaimStatusChange.objects.create(
            claim=claim, from_status="unverified", to_status="refuted", changed_at=claim.created_at, reason=""
        )


def test_quote_keeps_speaker_and_to_whom_it_was_said(source, editor):
    le_soir = OrganisationFactory(name="Le Soir", kind="newspaper")
    quote = services.quote_record(
        text="I confirm I tendered my resignation",
        source=source,
        speaker=PersonFactory(name="Jan Jambon"),
        said_to_organisation=le_soir,
        actor=editor,
    )
    assert (quote.said_to, quote.said_to_organisation) == ("Le Soir", le_soir)


def test_quote_needs_a_speaker(source, editor):
    with pytest.raises(ValidationError) as error:
        services.quote_record(text="Words", source=source, actor=editor)
    assert "speaker" in error.value.message_dict


def test_matcher_link_waits_for_review_with_its_version(claim, editor):
    other_source = SourceFactory()
    link = services.claim_link_source(
        claim=claim,
        source=other_source,
        stance=Stance.SUPPORTS,
        origin="matcher",
        confidence=0.62,
        matcher_version="hybrid-1",
        explanation={"sentence": "..."},
        actor=None,
    )
    assert (link.review_state, link.reviewed_by, link.matcher_version) == (LinkReviewState.SUGGESTED, None, "hybrid-1")


def test_matcher_link_without_version_is_refused(claim):
    with pytest.raises(ValidationError):
        services.claim_link_source(
            claim=claim, source=SourceFactory(), stance=Stance.SUPPORTS, origin="matcher", actor=None
        )


def test_linking_the_same_pair_twice_returns_the_same_link(claim, source, editor):
    again = services.claim_link_source(
        claim=claim, source=source, stance=Stance.SUPPORTS, origin="editor", actor=editor
    )
    assert ClaimLink.objects.filter(claim=claim).count() == 1
    assert again == claim.links.get()


def test_link_confidence_must_be_between_zero_and_one(claim, editor):
    with pytest.raises(ValidationError) as error:
        services.claim_link_source(
            claim=claim, source=SourceFactory(), stance=Stance.SUPPORTS, origin="editor", confidence=1.5, actor=editor
        )
    assert "__all__" in error.value.message_dict


def test_link_quote_must_come_from_the_linked_source(claim, editor):
    with pytest.raises(ValidationError) as error:
        services.claim_link_source(
            claim=claim,
            source=SourceFactory(),
            quote=QuoteFactory(),
            stance=Stance.SUPPORTS,
            origin="editor",
            actor=editor,
        )
    assert "quote" in error.value.message_dict


def test_database_refuses_a_confirmed_link_without_reviewer():
    with pytest.raises(IntegrityError, match="claim_link_reviewed_has_reviewer"), transaction.atomic():
        ClaimLinkFactory(review_state=LinkReviewState.CONFIRMED, reviewed_by=None)


def test_review_records_reviewer_time_and_correction(editor):
    link = ClaimLinkFactory()
    reviewed = services.claim_link_review(link=link, is_accepted=True, stance=Stance.CONTRADICTS, actor=editor)
    assert (reviewed.review_state, reviewed.reviewed_by, reviewed.stance) == (
        LinkReviewState.CONFIRMED,
        editor,
        Stance.CONTRADICTS,
    )
    assert reviewed.reviewed_at is not None


def test_rejection_needs_a_signed_in_reviewer():
    with pytest.raises(ValidationError):
        services.claim_link_review(link=ClaimLinkFactory(), is_accepted=False, actor=None)
