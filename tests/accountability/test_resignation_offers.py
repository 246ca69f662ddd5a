"""Resignation offers and their outcomes: services, invariants held by the database, one-query lifecycle."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accountability import services
from accountability.models import AccountabilityEvent, EventKind, ReviewState, TermEndReason
from accountability.recording import publication_set
from accountability.selectors import resignation_offers
from tests.factories import PersonFactory, TermFactory

pytestmark = pytest.mark.django_db
OFFERED = datetime.date(2016, 3, 24)


@pytest.fixture
def minister_term():
    return TermFactory(started_on=datetime.date(2014, 10, 11))


@pytest.fixture
def offer(minister_term, source, editor):
    return services.resignation_offer_record(
        person=minister_term.person, post=minister_term.post, occurred_on=OFFERED, sources=[source], actor=editor
    )


def test_offer_needs_a_source(minister_term, editor):
    with pytest.raises(ValidationError) as error:
        services.resignation_offer_record(
            person=minister_term.person, post=minister_term.post, occurred_on=OFFERED, sources=[], actor=editor
        )
    assert "sources" in error.value.message_dict


def test_refusal_names_who_decided_and_when(offer, source, editor):
    prime_minister = PersonFactory(name="Prime Minister")
    refusal = services.resignation_offer_decide(
        offer=offer,
        outcome=EventKind.RESIGNATION_REFUSED,
        decided_by=prime_minister,
        occurred_on=OFFERED,
        sources=[source],
        actor=editor,
    )
    assert refusal.responds_to == offer
    assert refusal.decided_by == prime_minister
    assert refusal.recorded_by == editor


def test_refusal_cannot_precede_its_offer(offer, source, editor):
    with pytest.raises(ValidationError) as error:
        services.resignation_offer_decide(
            offer=offer,
            outcome=EventKind.RESIGNATION_REFUSED,
            decided_by=PersonFactory(),
            occurred_on=OFFERED - datetime.timedelta(days=1),
            sources=[source],
            actor=editor,
        )
    assert "occurred_on" in error.value.message_dict


def test_database_refuses_an_outcome_dated_before_its_offer(offer):
    with pytest.raises(IntegrityError, match="cannot precede"), transaction.atomic():
        AccountabilityEvent.objects.create(
            kind=EventKind.RESIGNATION_REFUSED,
            person=offer.person,
            responds_to=offer,
            decided_by=PersonFactory(),
            occurred_on=OFFERED - datetime.timedelta(days=3),
        )


def test_database_refuses_moving_an_offer_after_its_outcome(offer, source, editor):
    services.resignation_offer_decide(
        offer=offer,
        outcome=EventKind.RESIGNATION_REFUSED,
        decided_by=PersonFactory(),
        occurred_on=OFFERED,
        sources=[source],
        actor=editor,
    )
    with pytest.raises(IntegrityError, match="cannot be moved after its outcome"), transaction.atomic():
        AccountabilityEvent.objects.filter(pk=offer.pk).update(occurred_on=OFFERED + datetime.timedelta(days=5))


def test_database_refuses_an_outcome_without_an_offer():
    with pytest.raises(IntegrityError, match="event_outcome_answers_offer"), transaction.atomic():
        AccountabilityEvent.objects.create(
            kind=EventKind.RESIGNATION_REFUSED, person=PersonFactory(), occurred_on=OFFERED
        )


def test_database_refuses_an_outcome_answering_someone_elses_offer(offer):
    with pytest.raises(IntegrityError, match="same person"), transaction.atomic():
        AccountabilityEvent.objects.create(
            kind=EventKind.RESIGNATION_REFUSED, person=PersonFactory(), responds_to=offer, occurred_on=OFFERED
        )


def test_an_offer_has_one_live_outcome(offer, source, editor):
    decider = PersonFactory()
    services.resignation_offer_decide(
        offer=offer,
        outcome=EventKind.RESIGNATION_REFUSED,
        decided_by=decider,
        occurred_on=OFFERED,
        sources=[source],
        actor=editor,
    )
    with pytest.raises(ValidationError, match="already has an outcome"):
        services.resignation_offer_decide(
            offer=offer,
            outcome=EventKind.RESIGNATION_ACCEPTED,
            decided_by=decider,
            occurred_on=OFFERED,
            sources=[source],
            actor=editor,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountabilityEvent.objects.create(
            kind=EventKind.RESIGNATION_ACCEPTED,
            person=offer.person,
            responds_to=offer,
            occurred_on=OFFERED,
            decided_by=decider,
        )


def test_refusal_or_acceptance_needs_a_decider(offer, source, editor):
    with pytest.raises(ValidationError) as error:
        services.resignation_offer_decide(
            offer=offer, outcome=EventKind.RESIGNATION_ACCEPTED, occurred_on=OFFERED, sources=[source], actor=editor
        )
    assert "decided_by" in error.value.message_dict


def test_withdrawal_is_decided_by_the_person_who_offered(offer, source, editor):
    withdrawal = services.resignation_offer_decide(
        offer=offer, outcome=EventKind.RESIGNATION_WITHDRAWN, occurred_on=OFFERED, sources=[source], actor=editor
    )
    assert withdrawal.decided_by == offer.person
    assert resignation_offers().get(pk=offer.pk).outcome == EventKind.RESIGNATION_WITHDRAWN


def test_only_an_offer_can_be_answered(minister_term, source, editor):
    apology = services.accountability_event_record(
        kind=EventKind.APOLOGY, person=minister_term.person, occurred_on=OFFERED, sources=[source], actor=editor
    )
    with pytest.raises(ValidationError) as error:
        services.resignation_offer_decide(
            offer=apology,
            outcome=EventKind.RESIGNATION_REFUSED,
            decided_by=PersonFactory(),
            occurred_on=OFFERED,
            sources=[source],
            actor=editor,
        )
    assert "responds_to" in error.value.message_dict


def test_unknown_outcome_is_a_clear_error(offer, source, editor):
    with pytest.raises(ValidationError) as error:
        services.resignation_offer_decide(
            offer=offer,
            outcome="postponed",
            decided_by=PersonFactory(),
            occurred_on=OFFERED,
            sources=[source],
            actor=editor,
        )
    assert "outcome" in error.value.message_dict


def test_accepted_offer_followed_by_leaving_the_post_shows_in_one_query(
    offer, minister_term, source, editor, django_assert_num_queries
):
    services.resignation_offer_decide(
        offer=offer,
        outcome=EventKind.RESIGNATION_ACCEPTED,
        decided_by=PersonFactory(name="Head of Government"),
        occurred_on=OFFERED + datetime.timedelta(days=2),
        sources=[source],
        actor=editor,
    )
    services.term_end(
        term=minister_term,
        ended_on=OFFERED + datetime.timedelta(days=3),
        end_reason=TermEndReason.RESIGNED,
        sources=[source],
        actor=editor,
    )
    with django_assert_num_queries(1):
        lifecycle = resignation_offers().get(pk=offer.pk)
        summary = (lifecycle.outcome, lifecycle.decided_by_name, lifecycle.outcome_on, lifecycle.left_post)
    assert summary == (EventKind.RESIGNATION_ACCEPTED, "Head of Government", OFFERED + datetime.timedelta(days=2), True)
    assert lifecycle.term_end_reason == TermEndReason.RESIGNED


def test_open_offer_has_no_outcome(offer):
    lifecycle = resignation_offers().get(pk=offer.pk)
    assert (lifecycle.outcome, lifecycle.decided_by_name, lifecycle.left_post) == (None, None, False)


def test_rejected_proposal_is_not_an_outcome(offer, source, editor):
    services.accountability_event_record(
        kind=EventKind.RESIGNATION_REFUSED,
        person=offer.person,
        responds_to=offer,
        decided_by=PersonFactory(),
        occurred_on=OFFERED,
        sources=[source],
        actor=editor,
        origin="matcher",
        review_state=ReviewState.REJECTED,
    )
    assert resignation_offers().get(pk=offer.pk).outcome is None


def test_proposed_event_cannot_be_published(minister_term, source, editor):
    proposed = services.accountability_event_record(
        kind=EventKind.APOLOGY,
        person=minister_term.person,
        occurred_on=OFFERED,
        sources=[source],
        actor=editor,
        origin="matcher",
        review_state=ReviewState.PROPOSED,
    )
    with pytest.raises(ValidationError):
        publication_set(record=proposed, is_published=True, actor=editor)


def test_publishing_records_the_time_once(offer, editor):
    published = publication_set(record=offer, is_published=True, actor=editor)
    first_time = published.published_at
    publication_set(record=offer, is_published=False, actor=editor)
    again = publication_set(record=offer, is_published=True, actor=editor)
    assert first_time is not None
    assert again.published_at == first_time
