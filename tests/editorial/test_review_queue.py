"""The review queue: what waits, in which order, with which explanation; decisions one by one, in bulk and with
corrections, each naming its reviewer; filters, permissions, pagination and a query count that does not grow."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accountability.models import AccountabilityEvent, EventKind, ReviewState
from claims.models import ClaimLink, LinkReviewState, Stance
from claims.review.selectors import highlight_matched_words
from claims.review.services import event_review_record
from tests.editorial.conftest import ADMIN, proposed_event, proposed_link, signed_in
from tests.factories import (
    ClaimFactory,
    IncidentFactory,
    OrganisationFactory,
    PersonFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
QUEUE = ADMIN + "review/"


def _row_order(html: str, ids: list[str]) -> list[str]:
    return sorted(ids, key=html.index)


def test_queue_lists_proposed_links_best_first_and_leaves_decided_ones_out(reviewer_client):
    weak = proposed_link(confidence=0.45)
    strong = proposed_link(confidence=0.8)
    middle = proposed_link(confidence=0.6)
    decided = proposed_link(confidence=0.9, review_state=LinkReviewState.AUTO_CONFIRMED)
    response = reviewer_client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert _row_order(html, [f'id="link-{link.pk}"' for link in (weak, strong, middle)]) == [
        f'id="link-{link.pk}"' for link in (strong, middle, weak)
    ]
    assert f'id="link-{decided.pk}"' not in html


def test_queue_shows_the_explanation_with_matched_words_highlighted(reviewer_client):
    bakraoui, government = PersonFactory(name="Ibrahim El Bakraoui"), OrganisationFactory(name="Belgian government")
    claim = ClaimFactory(text="Belgium ignored Turkey's warning that Ibrahim al-Bakrawi was a militant.")
    proposed_link(claim=claim, shared_people=[bakraoui.pk], shared_organisations=[government.pk])
    html = reviewer_client.get(QUEUE).content.decode()
    assert "<mark>ignored</mark>" in html
    assert "<mark>warning</mark>" in html
    assert "<mark>militant</mark>" in html
    assert "Ankara</mark>" not in html
    assert "Ibrahim El Bakraoui, Belgian government" in html
    assert "Same meaning (cosine): 0.61" in html
    assert "Shared people or organisations: 0.10" in html


def test_highlighting_escapes_the_sentence_before_marking_it():
    marked = highlight_matched_words('<script>alert("warning")</script> & a warning', "A warning was ignored")
    assert "<script>" not in marked
    assert marked == "&lt;script&gt;alert(&quot;<mark>warning</mark>&quot;)&lt;/script&gt; &amp; a <mark>warning</mark>"


def test_events_are_listed_offers_before_the_outcomes_answering_them(reviewer_client):
    offer = proposed_event(person=PersonFactory(name="Koen Geens"))
    refusal = proposed_event(
        person=offer.person, kind=EventKind.RESIGNATION_REFUSED, responds_to=offer, decided_by=PersonFactory()
    )
    html = reviewer_client.get(QUEUE).content.decode()
    assert html.index(f'id="event-{offer.pk}"') < html.index(f'id="event-{refusal.pk}"')


def test_proposals_about_deleted_records_leave_the_queue(reviewer_client):
    kept, on_deleted_claim, on_deleted_source = proposed_link(), proposed_link(), proposed_link()
    event = proposed_event()
    moment = timezone.now()
    type(on_deleted_claim.claim).objects.filter(pk=on_deleted_claim.claim_id).update(deleted_at=moment)
    type(on_deleted_source.source).objects.filter(pk=on_deleted_source.source_id).update(deleted_at=moment)
    type(event.person).objects.filter(pk=event.person_id).update(deleted_at=moment)
    html = reviewer_client.get(QUEUE).content.decode()
    assert f'id="link-{kept.pk}"' in html
    assert f'id="link-{on_deleted_claim.pk}"' not in html
    assert f'id="link-{on_deleted_source.pk}"' not in html
    assert f'id="event-{event.pk}"' not in html


def test_queue_lists_proposed_events_with_their_sentence(reviewer_client):
    jambon = PersonFactory(name="Jan Jambon")
    offer = proposed_event(person=jambon)
    confirmed = proposed_event(review_state=ReviewState.CONFIRMED)
    html = reviewer_client.get(QUEUE).content.decode()
    assert f'id="event-{offer.pk}"' in html
    assert f'id="event-{confirmed.pk}"' not in html
    assert "Interior Minister <mark>Jan</mark> <mark>Jambon</mark> offered his resignation." in html


def test_accepting_a_link_records_the_reviewer_and_time(reviewer, reviewer_client):
    link = proposed_link()
    response = reviewer_client.post(QUEUE, {"decide": f"accept:link-{link.pk}"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.review_state == LinkReviewState.CONFIRMED
    assert link.reviewed_by == reviewer
    assert timezone.now() - link.reviewed_at < datetime.timedelta(minutes=1)


def test_rejecting_a_link_takes_it_out_of_the_queue(reviewer, reviewer_client):
    link = proposed_link()
    reviewer_client.post(QUEUE, {"decide": f"reject:link-{link.pk}"})
    link.refresh_from_db()
    assert (link.review_state, link.reviewed_by) == (LinkReviewState.REJECTED, reviewer)
    assert f'id="link-{link.pk}"' not in reviewer_client.get(QUEUE).content.decode()


def test_accepting_an_event_confirms_it_and_history_names_the_reviewer(reviewer, reviewer_client):
    offer = proposed_event()
    reviewer_client.post(QUEUE, {"decide": f"accept:event-{offer.pk}"})
    offer.refresh_from_db()
    assert offer.review_state == ReviewState.CONFIRMED
    who, when = event_review_record(offer)
    assert who == reviewer
    assert timezone.now() - when < datetime.timedelta(minutes=1)


def test_bulk_accept_decides_every_ticked_proposal_offers_before_their_outcomes(reviewer_client):
    jambon, michel = PersonFactory(name="Jan Jambon"), PersonFactory(name="Charles Michel")
    offer = proposed_event(person=jambon)
    refusal = proposed_event(person=jambon, kind=EventKind.RESIGNATION_REFUSED, responds_to=offer, decided_by=michel)
    links = [proposed_link(), proposed_link()]
    untouched = proposed_link()
    selected = [f"event-{refusal.pk}", f"event-{offer.pk}", *(f"link-{link.pk}" for link in links)]
    response = reviewer_client.post(QUEUE, {"selected": selected, "bulk": "accept"}, follow=True)
    assert "Accepted 2 link(s) and 2 event(s)." in response.content.decode()
    assert set(AccountabilityEvent.objects.values_list("review_state", flat=True)) == {ReviewState.CONFIRMED}
    assert {link.review_state for link in ClaimLink.objects.filter(pk__in=[link.pk for link in links])} == {
        LinkReviewState.CONFIRMED
    }
    untouched.refresh_from_db()
    assert untouched.review_state == LinkReviewState.SUGGESTED


def test_an_outcome_cannot_be_accepted_before_its_offer(reviewer_client):
    offer = proposed_event()
    refusal = proposed_event(
        person=offer.person, kind=EventKind.RESIGNATION_REFUSED, responds_to=offer, decided_by=PersonFactory()
    )
    response = reviewer_client.post(QUEUE, {"decide": f"accept:event-{refusal.pk}"}, follow=True)
    assert "Accept the resignation offer this outcome answers" in response.content.decode()
    refusal.refresh_from_db()
    assert refusal.review_state == ReviewState.PROPOSED


def test_bulk_reject_of_an_offer_rejects_its_proposed_outcome_too(reviewer_client):
    offer = proposed_event()
    refusal = proposed_event(
        person=offer.person, kind=EventKind.RESIGNATION_REFUSED, responds_to=offer, decided_by=PersonFactory()
    )
    response = reviewer_client.post(
        QUEUE, {"selected": [f"event-{offer.pk}", f"event-{refusal.pk}"], "bulk": "reject"}, follow=True
    )
    assert "Rejected 0 link(s) and 2 event(s)." in response.content.decode()
    refusal.refresh_from_db()
    assert refusal.review_state == ReviewState.REJECTED


def test_bulk_decision_without_a_ticked_row_says_so(reviewer_client):
    proposed_link()
    response = reviewer_client.post(QUEUE, {"bulk": "accept"}, follow=True)
    assert "Tick at least one proposal" in response.content.decode()


def test_a_proposal_decided_meanwhile_is_reported_not_decided_again(reviewer_client):
    link = proposed_link()
    other = UserFactory(username="other-reviewer")
    ClaimLink.objects.filter(pk=link.pk).update(
        review_state=LinkReviewState.REJECTED, reviewed_by=other, reviewed_at=timezone.now()
    )
    response = reviewer_client.post(QUEUE, {"decide": f"accept:link-{link.pk}"}, follow=True)
    assert "was already decided" in response.content.decode()
    link.refresh_from_db()
    assert (link.review_state, link.reviewed_by) == (LinkReviewState.REJECTED, other)


def test_correcting_a_link_changes_stance_and_claim_then_accepts_it(reviewer, reviewer_client):
    link = proposed_link(stance=Stance.SUPPORTS)
    right_claim = ClaimFactory(text="The three bombers were known to police.")
    page = reviewer_client.get(f"{QUEUE}links/{link.pk}/correct/")
    assert page.status_code == 200
    assert 'class="admin-autocomplete' in page.content.decode()
    response = reviewer_client.post(
        f"{QUEUE}links/{link.pk}/correct/", {"stance": Stance.CONTRADICTS, "claim": right_claim.pk}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.claim, link.stance, link.review_state, link.reviewed_by) == (
        right_claim,
        Stance.CONTRADICTS,
        LinkReviewState.CONFIRMED,
        reviewer,
    )


def test_correcting_to_a_claim_the_source_already_backs_is_refused_clearly(reviewer_client):
    link = proposed_link()
    already = ClaimFactory()
    proposed_link(claim=already, source=link.source, review_state=LinkReviewState.AUTO_CONFIRMED)
    response = reviewer_client.post(
        f"{QUEUE}links/{link.pk}/correct/", {"stance": Stance.SUPPORTS, "claim": already.pk}
    )
    assert response.status_code == 200
    assert "already linked to that claim" in response.content.decode()
    link.refresh_from_db()
    assert link.review_state == LinkReviewState.SUGGESTED


def test_correcting_an_event_changes_who_decided_then_accepts_it(reviewer_client):
    jambon, michel, wrong = PersonFactory(name="Jan Jambon"), PersonFactory(name="Charles Michel"), PersonFactory()
    offer = proposed_event(person=jambon, review_state=ReviewState.CONFIRMED, origin="editor")
    refusal = proposed_event(person=jambon, kind=EventKind.RESIGNATION_REFUSED, responds_to=offer, decided_by=wrong)
    response = reviewer_client.post(
        f"{QUEUE}events/{refusal.pk}/correct/",
        {"person": jambon.pk, "decided_by": michel.pk, "occurred_on": "2016-03-24", "summary": "Michel refused."},
    )
    assert response.status_code == 302
    refusal.refresh_from_db()
    assert (refusal.decided_by, refusal.review_state, refusal.summary) == (
        michel,
        ReviewState.CONFIRMED,
        "Michel refused.",
    )


@pytest.mark.parametrize(
    ("filter_name", "matching", "other"),
    [
        ("incident", {"claim__incident": "incident"}, {}),
        ("claim", {"claim": "claim"}, {}),
        ("source", {"source": "source"}, {}),
    ],
)
def test_link_filters_keep_only_matching_proposals(reviewer_client, filter_name, matching, other):
    objects = {"incident": IncidentFactory(), "claim": ClaimFactory(), "source": SourceFactory()}
    if filter_name == "incident":
        kept = proposed_link(claim=ClaimFactory(incident=objects["incident"]))
    else:
        kept = proposed_link(**{filter_name: objects[filter_name]})
    dropped = proposed_link(**other)
    html = reviewer_client.get(QUEUE, {filter_name: objects[filter_name].pk}).content.decode()
    assert f'id="link-{kept.pk}"' in html
    assert f'id="link-{dropped.pk}"' not in html


def test_official_filter_finds_claims_about_them_and_events_they_decided(reviewer_client):
    michel = PersonFactory(name="Charles Michel")
    about = ClaimFactory()
    about.subject_people.add(michel)
    kept_link, dropped_link = proposed_link(claim=about), proposed_link()
    offer = proposed_event(review_state=ReviewState.CONFIRMED, origin="editor")
    decided = proposed_event(
        person=offer.person, kind=EventKind.RESIGNATION_REFUSED, responds_to=offer, decided_by=michel
    )
    dropped_event = proposed_event()
    html = reviewer_client.get(QUEUE, {"official": michel.pk}).content.decode()
    assert f'id="link-{kept_link.pk}"' in html
    assert f'id="event-{decided.pk}"' in html
    assert f'id="link-{dropped_link.pk}"' not in html
    assert f'id="event-{dropped_event.pk}"' not in html


def test_minimum_score_and_age_filters(reviewer_client):
    strong, weak = proposed_link(confidence=0.9), proposed_link(confidence=0.5)
    old = proposed_link(confidence=0.7)
    ClaimLink.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    event = proposed_event()
    html = reviewer_client.get(QUEUE, {"minimum_score": "0.8"}).content.decode()
    assert f'id="link-{strong.pk}"' in html
    assert f'id="link-{weak.pk}"' not in html
    assert f'id="event-{event.pk}"' not in html  # events carry no score
    html = reviewer_client.get(QUEUE, {"age": "old-7"}).content.decode()
    assert f'id="link-{old.pk}"' in html
    assert f'id="link-{strong.pk}"' not in html
    html = reviewer_client.get(QUEUE, {"age": "new-1"}).content.decode()
    assert f'id="link-{old.pk}"' not in html
    assert f'id="event-{event.pk}"' in html


def test_queue_needs_a_review_permission(contributor):
    proposed_link()
    assert signed_in(contributor).get(QUEUE).status_code == 403


def test_queue_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_link_reviewer_sees_no_events_and_cannot_decide_them(db):
    from django.contrib.auth.models import Permission

    user = UserFactory(username="links-only")
    user.user_permissions.add(Permission.objects.get(codename="review_claimlink"))
    link, event = proposed_link(), proposed_event()
    client = signed_in(user)
    html = client.get(QUEUE).content.decode()
    assert f'id="link-{link.pk}"' in html
    assert f'id="event-{event.pk}"' not in html
    assert client.post(QUEUE, {"decide": f"accept:event-{event.pk}"}).status_code == 403
    event.refresh_from_db()
    assert event.review_state == ReviewState.PROPOSED


def test_queue_pages_long_lists(reviewer_client):
    links = [proposed_link(confidence=0.5 + number / 100) for number in range(30)]
    first = reviewer_client.get(QUEUE).content.decode()
    second = reviewer_client.get(QUEUE, {"page": 2}).content.decode()
    assert "Page 1 of 2" in first
    assert first.count('class="review-row"') == 25
    assert second.count('class="review-row"') == 5
    assert f'id="link-{links[0].pk}"' in second  # the weakest come last


@pytest.mark.parametrize("count", [5, 50])
def test_queue_query_count_does_not_grow_with_the_number_of_proposals(
    reviewer_client, count, django_assert_num_queries
):
    people = [PersonFactory() for _ in range(3)]
    for number in range(count):
        proposed_link(shared_people=[people[number % 3].pk], shared_organisations=[OrganisationFactory().pk])
        proposed_event(person=people[number % 3])
    reviewer_client.get(QUEUE)  # warm the session and permission caches
    with django_assert_num_queries(QUEUE_QUERIES):
        assert reviewer_client.get(QUEUE).status_code == 200


QUEUE_QUERIES = 11
