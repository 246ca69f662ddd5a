"""Claims, people and events in the API are built by PostgreSQL (``claims.api.documents``,
``accountability.api.documents``): every list and detail answers exactly what the serializers that describe them
would, field for field and in the same order, whatever the record's shape."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.fields import DateTimeField
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from accountability.api.serializers import AccountabilityEventSerializer, PersonSerializer
from accountability.models import EventKind, PersonIdentifier, ReviewState, TermEndReason
from claims import selectors
from claims.api.serializers import ClaimDetailSerializer, ClaimSerializer
from claims.models import Claim, ClaimStatusChange, LinkReviewState, Stance
from tests.api import serializer_reads
from tests.api.data import published_world
from tests.factories import (
    AccountabilityEventFactory,
    ClaimFactory,
    ClaimLinkFactory,
    IncidentFactory,
    OrganisationFactory,
    PersonFactory,
    QuoteFactory,
    SourceFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2016, 3, 24, 12, 30, tzinfo=datetime.UTC)


def published(**fields: object) -> dict:
    return {"is_published": True, "published_at": MOMENT, **fields}


def as_json(data: object) -> str:
    """The body text the API's renderer writes, so that key order counts too."""
    return JSONRenderer().render(data).decode()


def serialized(serializer_class: type, claims: list[Claim]) -> str:
    request = Request(APIRequestFactory().get("/api/v1/claims/"))
    return as_json(serializer_class(claims, many=True, context={"request": request}).data)


def claims_of_every_shape() -> list[Claim]:
    """Claims with and without each relation, hidden relations beside shown ones, many links, odd date-times."""
    editor = UserFactory(first_name="Ann", last_name="Éditeur")
    nameless_editor = UserFactory(first_name="", last_name="")
    speaker = PersonFactory(**published(name="Jan Jambon"))
    speaking_for = OrganisationFactory(**published(name="N-VA"))
    hidden_person = PersonFactory(name="Not public")
    merged_person = PersonFactory(**published(name="Merged away"), merged_into=speaker)
    hidden_organisation = OrganisationFactory(name="Hidden ministry")

    full = ClaimFactory(
        **published(published_at=datetime.datetime(2016, 7, 1, 23, 59, 59, 120, tzinfo=datetime.UTC)),
        text="Belgium ignored Turkey’s warning about one of the bombers.",
        headline="Turkey warned Belgium",
        claimant_person=speaker,
        claimant_organisation=OrganisationFactory(**published(name="Présidence turque", country_code="TR")),
        incident=IncidentFactory(**published(name="Brussels bombings")),
    )
    full.subject_people.add(speaker, hidden_person, merged_person, PersonFactory(**published(name="Koen Geens")))
    full.subject_organisations.add(speaking_for, hidden_organisation)
    first = ClaimStatusChange.objects.create(
        claim=full, to_status="unverified", changed_at=MOMENT, changed_by=editor, reason="Recorded."
    )
    first.evidence.add(
        SourceFactory(**published(published_at=datetime.datetime(1999, 12, 31, 23, 0, tzinfo=datetime.UTC))),
        SourceFactory(is_published=False),
        SourceFactory(**published(published_at=datetime.datetime(2016, 1, 5, 8, 0, 0, 1, tzinfo=datetime.UTC))),
    )
    ClaimStatusChange.objects.create(
        claim=full,
        from_status="unverified",
        to_status="confirmed",
        changed_at=datetime.datetime(2016, 10, 30, 1, 30, tzinfo=datetime.UTC),  # the night summer time ended
        changed_by=nameless_editor,
        reason="The minister said so in parliament.",
    )
    ClaimStatusChange.objects.create(claim=full, from_status="confirmed", to_status="disputed", changed_at=MOMENT,
                                     reason="Contested.")  # fmt: skip
    for number in range(13):
        ClaimLinkFactory(
            claim=full,
            source=SourceFactory(**published()),
            stance=Stance.SUPPORTS,
            confidence=0.5 + number / 40,
            review_state=LinkReviewState.AUTO_CONFIRMED,
        )
    ClaimLinkFactory(
        claim=full,
        source=SourceFactory(**published()),
        stance=Stance.CONTRADICTS,
        confidence=0.1 + 0.2,
        review_state=LinkReviewState.CONFIRMED,
        reviewed_by=editor,
        reviewed_at=datetime.datetime(2016, 3, 27, 0, 59, 59, 999999, tzinfo=datetime.UTC),
        quote=QuoteFactory(**published(), speaker=speaker, speaker_organisation=speaking_for, said_to="Le Soir",
                           said_on=datetime.date(2016, 3, 24)),
    )  # fmt: skip
    ClaimLinkFactory(
        claim=full,
        source=SourceFactory(**published()),
        stance=Stance.MENTIONS,
        review_state=LinkReviewState.CONFIRMED,
        reviewed_by=nameless_editor,
        reviewed_at=MOMENT,
        quote=QuoteFactory(is_published=False),
    )
    ClaimLinkFactory(claim=full, source=SourceFactory(**published()), review_state=LinkReviewState.SUGGESTED)
    ClaimLinkFactory(
        claim=full,
        source=SourceFactory(**published()),
        review_state=LinkReviewState.REJECTED,
        reviewed_by=editor,
        reviewed_at=MOMENT,
    )
    ClaimLinkFactory(claim=full, source=SourceFactory(), review_state=LinkReviewState.AUTO_CONFIRMED)

    bare = ClaimFactory(
        **published(), claimant_organisation=None, claimant_person=hidden_person, first_made_on=None, headline=""
    )
    return [full, bare]


def test_claims_list_answers_what_the_serializer_would(api):
    claims = claims_of_every_shape()
    ClaimFactory()  # unpublished: listed by neither

    body = api.get("/api/v1/claims/", {"page_size": 100}).json()

    expected = serialized(ClaimSerializer, list(selectors.claims_api().order_by("-id")))
    assert as_json(body["results"]) == expected
    assert [claim["id"] for claim in body["results"]] == [claim.pk for claim in reversed(claims)]


def test_claim_detail_answers_what_the_serializer_would(api):
    for claim in claims_of_every_shape():
        body = api.get(f"/api/v1/claims/{claim.slug}/").json()

        expected = serializer_reads.claims_with_strongest_links().get(pk=claim.pk)
        assert as_json([body]) == serialized(ClaimDetailSerializer, [expected])


def test_claim_detail_embeds_at_most_ten_strongest_links_of_a_stance(api):
    full, _ = claims_of_every_shape()

    links = api.get(f"/api/v1/claims/{full.pk}/").json()["links"]

    supporting = [link for link in links if link["stance"] == Stance.SUPPORTS]
    assert len(supporting) == 10
    assert [link["confidence"] for link in supporting] == sorted((0.5 + n / 40 for n in range(3, 13)), reverse=True)


def test_filtered_searched_and_reordered_claim_lists_answer_what_the_serializer_would(api):
    full, bare = claims_of_every_shape()
    person = full.claimant_person

    for query, chosen in (
        ({"person": person.slug}, [full]),
        ({"q": "Turkey"}, [full]),
        ({"ordering": "published_at"}, [bare, full]),
    ):
        body = api.get("/api/v1/claims/", query).json()

        claims = [selectors.claims_api().get(pk=claim.pk) for claim in chosen]
        assert as_json(body["results"]) == serialized(ClaimSerializer, claims), query


def test_claims_csv_is_built_from_the_same_documents(api):
    claims_of_every_shape()

    response = api.get("/api/v1/claims/", {"format": "csv"})

    assert response.status_code == 200
    assert "Belgium ignored Turkey’s warning" in response.content.decode()


@pytest.mark.parametrize("zone", ["Europe/Brussels", "UTC", "Asia/Kolkata", "America/St_Johns"])
@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2016, 3, 22, 7, 58, tzinfo=datetime.UTC),
        datetime.datetime(2016, 3, 27, 0, 59, 59, 999999, tzinfo=datetime.UTC),
        datetime.datetime(2016, 10, 30, 1, 0, 0, 1, tzinfo=datetime.UTC),
        datetime.datetime(1850, 6, 1, 12, tzinfo=datetime.UTC),  # local mean time: an offset with seconds
        datetime.datetime(999, 1, 1, tzinfo=datetime.UTC),
    ],
)
def test_api_datetime_writes_what_drf_writes(zone, moment):
    with timezone.override(zoneinfo.ZoneInfo(zone)), connection.cursor() as cursor:
        cursor.execute("SELECT api_datetime(%s, %s)", [moment, zone])
        (written,) = cursor.fetchone()

        assert written == DateTimeField().to_representation(moment)


def test_claims_list_reads_its_page_in_one_query(api, django_assert_num_queries):
    claims_of_every_shape()
    ClaimFactory.create_batch(5, **published())

    with django_assert_num_queries(1):
        body = api.get("/api/v1/claims/", {"page_size": 3}).json()

    assert len(body["results"]) == 3
    assert body["next"]


def test_link_counts_count_only_what_the_public_may_see(api):
    full, bare = claims_of_every_shape()

    counts = {claim.pk: api.get(f"/api/v1/claims/{claim.pk}/").json()["link_counts"] for claim in (full, bare)}

    assert counts[full.pk] == {"supports": 13, "contradicts": 1, "mentions": 1, "total": 15}
    assert counts[bare.pk] == {"supports": 0, "contradicts": 0, "mentions": 0, "total": 0}


def people_and_events_of_every_shape() -> None:
    """``published_world`` (a person with a variant name and a term; an offer refused by someone, with sources) and
    what it lacks: identifiers, hidden and ended terms, an event with no post or incident, hidden outcomes."""
    published_world(2)
    person = PersonFactory(**published(name="Koen Geens", description="Minister of Justice"))
    PersonIdentifier.objects.create(person=person, scheme=PersonIdentifier.Scheme.WIKIDATA, value="Q1771536")
    TermFactory(
        person=person,
        **published(),
        ended_on=datetime.date(2020, 10, 1),
        ended_on_precision="month",
        end_reason=TermEndReason.TERM_ENDED,
    )
    TermFactory(person=person, started_on=datetime.date(2021, 1, 1))  # unpublished
    PersonFactory(name="Hidden person")
    offer = AccountabilityEventFactory(person=person, **published(), summary="Offered to resign.")
    offer.sources.add(SourceFactory(**published()), SourceFactory())
    AccountabilityEventFactory(kind=EventKind.RESIGNATION_WITHDRAWN, person=person, responds_to=offer,
                               review_state=ReviewState.REJECTED)  # fmt: skip
    AccountabilityEventFactory(kind=EventKind.RESIGNATION_REFUSED, person=person, responds_to=offer)  # unpublished
    AccountabilityEventFactory(kind=EventKind.APOLOGY, person=person, review_state=ReviewState.PROPOSED)


def test_people_list_and_details_answer_what_the_serializer_would(api):
    people_and_events_of_every_shape()

    body = api.get("/api/v1/people/", {"page_size": 100}).json()

    people = list(serializer_reads.people().order_by("-id"))
    assert as_json(body["results"]) == as_json(PersonSerializer(people, many=True).data)
    for person in people:
        detail = api.get(f"/api/v1/people/{person.slug}/").json()
        assert as_json(detail) == as_json(PersonSerializer(person).data)


def test_events_list_and_details_answer_what_the_serializer_would(api):
    people_and_events_of_every_shape()

    body = api.get("/api/v1/events/", {"page_size": 100}).json()

    events = list(serializer_reads.events().order_by("-id"))
    assert as_json(body["results"]) == as_json(AccountabilityEventSerializer(events, many=True).data)
    assert {event["kind"] for event in body["results"]} >= {
        EventKind.RESIGNATION_OFFERED,
        EventKind.RESIGNATION_REFUSED,
    }
    for event in events:
        detail = api.get(f"/api/v1/events/{event.pk}/").json()
        assert as_json(detail) == as_json(AccountabilityEventSerializer(event).data)


def test_filtered_event_list_answers_what_the_serializer_would(api):
    people_and_events_of_every_shape()

    body = api.get("/api/v1/events/", {"kind": "resignation_offered", "country": "BE", "year": 2016}).json()

    # The published world's offers are about a Belgian post; Koen Geens's offer names no post and no incident.
    events = serializer_reads.events()
    expected = events.filter(kind=EventKind.RESIGNATION_OFFERED, post__isnull=False).order_by("-id")
    assert as_json(body["results"]) == as_json(AccountabilityEventSerializer(expected, many=True).data)
    assert len(body["results"]) == 2
