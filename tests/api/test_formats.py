"""JSON by default, CSV for every list, ETag and 304 on lists and details."""

from __future__ import annotations

import csv
import io

import pytest

from accountability.models import Person
from tests.api.data import published
from tests.factories import SourceFactory

LIST_ENDPOINTS = [
    "claims",
    "people",
    "organisations",
    "posts",
    "terms",
    "incidents",
    "events",
    "resignation-offers",
    "sources",
]


def _rows(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_every_list_is_available_as_csv(api, demo_story, endpoint):
    json_results = api.get(f"/api/v1/{endpoint}/").json()["results"]

    response = api.get(f"/api/v1/{endpoint}/?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _rows(response)
    assert [int(row["id"]) for row in rows] == [record["id"] for record in json_results]


def test_csv_by_accept_header_flattens_nested_records(api, demo_story):
    response = api.get("/api/v1/resignation-offers/", HTTP_ACCEPT="text/csv")

    rows = _rows(response)
    assert response["Content-Type"].startswith("text/csv")
    assert {row["person.slug"] for row in rows} == {"jan-jambon", "koen-geens"}
    assert {row["outcome"] for row in rows} == {"resignation_refused"}
    assert {row["post.organisation.slug"] for row in rows} == {"government-of-belgium"}


def test_json_is_the_default(api, demo_story):
    response = api.get("/api/v1/people/")

    assert response["Content-Type"] == "application/json"


def test_csv_cells_cannot_run_as_spreadsheet_formulas(api, db):
    SourceFactory(title='=HYPERLINK("http://evil.example")', **published())

    rows = _rows(api.get("/api/v1/sources/?format=csv"))

    assert rows[0]["title"].startswith("'=")


def test_errors_stay_json_when_csv_was_asked_for(api, db):
    response = api.get("/api/v1/claims/?format=csv&updated_since=nonsense")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["fields"]["updated_since"]


@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/people/jan-jambon/", "/api/v1/events/?format=csv"])
def test_unchanged_resource_answers_304_to_if_none_match(api, demo_story, path):
    first = api.get(path)
    etag = first["ETag"]

    again = api.get(path, HTTP_IF_NONE_MATCH=etag)

    assert first.status_code == 200
    assert again.status_code == 304
    assert again.content == b""


def test_etag_changes_when_the_record_changes(api, demo_story):
    etag = api.get("/api/v1/people/jan-jambon/")["ETag"]
    jambon = Person.objects.get(slug="jan-jambon")
    jambon.description = "Belgian politician (N-VA), interior minister 2014-2018"
    jambon.save()

    response = api.get("/api/v1/people/jan-jambon/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_json_and_csv_of_the_same_list_have_different_etags_and_vary_on_accept(api, demo_story):
    as_json = api.get("/api/v1/claims/")
    as_csv = api.get("/api/v1/claims/", HTTP_ACCEPT="text/csv")

    assert as_json["ETag"] != as_csv["ETag"]
    assert "Accept" in as_json["Vary"]
