"""Cursor pages with a stable order and a capped size; filters and ``updated_since`` answer 400 to bad input."""

from __future__ import annotations

import base64
import datetime

import pytest

from accountability.models import AccountabilityEvent
from tests.api.data import published, published_world
from tests.factories import ClaimFactory, OrganisationFactory


def _all_pages(api, url: str) -> list[int]:  # type: ignore[no-untyped-def]
    ids: list[int] = []
    while url:
        body = api.get(url).json()
        ids += [record["id"] for record in body["results"]]
        url = body["next"]
    return ids


def test_cursor_pages_visit_every_record_once_even_when_the_order_has_ties(api, db):
    published_world(7)  # 14 events, all on the same day
    expected = set(AccountabilityEvent.objects.values_list("id", flat=True))

    ids = _all_pages(api, "/api/v1/events/?ordering=occurred_on&page_size=3")

    assert len(ids) == len(expected) == 14
    assert set(ids) == expected


def test_ordering_by_an_allowed_field_and_ignoring_unknown_ones(api, db):
    for name in ("Zeta", "Alpha", "Mu"):
        OrganisationFactory(name=name, **published())

    by_name = [o["name"] for o in api.get("/api/v1/organisations/?ordering=name").json()["results"]]
    unknown = api.get("/api/v1/organisations/?ordering=wikidata_qid")

    assert by_name == ["Alpha", "Mu", "Zeta"]
    assert unknown.status_code == 200


def test_page_size_is_capped_at_100(api, db):
    for _ in range(105):
        OrganisationFactory(**published())

    body = api.get("/api/v1/organisations/?page_size=100000").json()

    assert len(body["results"]) == 100
    assert body["next"]


@pytest.mark.parametrize("page_size", ["-5", "0", "abc", "1e9", "99999999999999999999999"])
def test_absurd_page_sizes_fall_back_to_the_default_page(api, db, page_size):
    response = api.get("/api/v1/claims/", {"page_size": page_size})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        base64.b64encode(b"p=not-a-number").decode(),
        base64.b64encode(b"p=2016-13-45").decode(),
        base64.b64encode(b"o=-1").decode(),
    ],
)
def test_bad_cursors_answer_400_not_500(api, db, cursor):
    ClaimFactory(**published())

    response = api.get("/api/v1/claims/", {"cursor": cursor})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_cursor"


def test_a_cursor_from_another_ordering_answers_400(api, db):
    for _ in range(3):
        OrganisationFactory(**published())
    next_by_name = api.get("/api/v1/organisations/?ordering=name&page_size=1").json()["next"]
    cursor = next_by_name.split("cursor=")[1].split("&")[0]

    response = api.get("/api/v1/organisations/", {"cursor": cursor, "ordering": "published_at"})

    assert response.status_code == 400


def test_next_page_is_also_given_in_the_link_header(api, db):
    for _ in range(3):
        OrganisationFactory(**published())

    response = api.get("/api/v1/organisations/?page_size=2")

    assert response["Link"] == f'<{response.json()["next"]}>; rel="next"'


@pytest.mark.parametrize(
    "value", ["2016-03-24", "2016-03-24T18:00:00Z", "2016-03-24T18:00:00+01:00", "2016-03-24T18:00:00 01:00"]
)
def test_updated_since_accepts_iso_8601(api, db, value):
    response = api.get("/api/v1/events/", {"updated_since": value})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "endpoint",
    ["claims", "people", "organisations", "posts", "terms", "incidents", "events", "resignation-offers", "sources"],
)
def test_updated_since_on_every_list_returns_only_changed_records(api, db, endpoint):
    published_world(1)
    future = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)).isoformat()

    everything = api.get(f"/api/v1/{endpoint}/", {"updated_since": "2000-01-01"}).json()["results"]
    nothing = api.get(f"/api/v1/{endpoint}/", {"updated_since": future}).json()["results"]

    assert everything
    assert nothing == []


@pytest.mark.parametrize("value", ["yesterday", "2016-02-30", "2016-03-24T25:00", "1458842400"])
def test_bad_updated_since_answers_400_with_a_clear_message(api, db, value):
    response = api.get("/api/v1/claims/", {"updated_since": value})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "ISO 8601" in error["fields"]["updated_since"][0]
    assert error["message"].startswith("updated_since:")


@pytest.mark.parametrize(
    ("endpoint", "params"),
    [
        ("events", {"year": "99999999"}),
        ("events", {"year": "twenty"}),
        ("events", {"kind": "coup"}),
        ("events", {"occurred_after": "2016-99-01"}),
        ("claims", {"status": "maybe"}),
        ("resignation-offers", {"outcome": "sacked"}),
        ("terms", {"held_on": "soon"}),
    ],
)
def test_bad_filter_values_answer_400(api, db, endpoint, params):
    response = api.get(f"/api/v1/{endpoint}/", params)

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(params)


@pytest.mark.parametrize("person", ["99999999999999999999999", "²", "no-such-person", "-1"])
def test_unknown_or_absurd_record_references_in_filters_give_an_empty_list(api, db, person):
    response = api.get("/api/v1/claims/", {"person": person})

    assert response.status_code == 200
    assert response.json()["results"] == []
