"""Newsroom keys: anonymous reads at a low rate, keyed reads at a higher one, source submission with a submit key."""

from __future__ import annotations

import json

import pytest
from pghistory.models import Events

from claims.api.models import NewsroomKey
from claims.api.throttling import Rate, forget_requests
from claims.models import FetchState, Source
from tests.api.conftest import client_with_key

ARTICLE_URL = "https://www.lesoir.be/2016/03/24/jambon-geens-demission?utm_source=twitter"


@pytest.fixture
def tight_rates(settings):  # type: ignore[no-untyped-def]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "2/min", "newsroom": "4/min"},
    }
    forget_requests("anonymous", "203.0.113.7", Rate.parse("2/min"))
    yield
    forget_requests("anonymous", "203.0.113.7", Rate.parse("2/min"))
    for prefix in NewsroomKey.objects.values_list("prefix", flat=True):
        forget_requests("newsroom", f"key-{prefix}", Rate.parse("4/min"))


def test_anonymous_reads_are_throttled_with_429_and_retry_after(api, db, tight_rates):
    answers = [api.get("/api/v1/claims/", REMOTE_ADDR="203.0.113.7") for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert answers[-1].json()["error"]["code"] == "throttled"


def test_a_newsroom_key_reads_at_its_own_higher_rate(api, reader, db, tight_rates):
    for _ in range(2):
        api.get("/api/v1/claims/", REMOTE_ADDR="203.0.113.7")

    keyed = [reader.get("/api/v1/claims/", REMOTE_ADDR="203.0.113.7").status_code for _ in range(5)]

    assert api.get("/api/v1/claims/", REMOTE_ADDR="203.0.113.7").status_code == 429
    assert keyed == [200, 200, 200, 200, 429]


@pytest.mark.parametrize("header", ["Api-Key nonsense.key", "Api-Key abc", "api-key x.y.z"])
def test_an_unknown_key_answers_401(api, db, header):
    response = api.get("/api/v1/claims/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["error"]["code"] == "invalid_api_key"


def test_a_revoked_key_answers_401(db):
    record, key = NewsroomKey.objects.create_key(name="Gone")
    record.revoked = True
    record.save()

    assert client_with_key(key).get("/api/v1/claims/").status_code == 401


def test_submitting_a_url_answers_202_with_a_status_url_to_poll(submitter, submit_key):
    response = submitter.post("/api/v1/sources/", {"url": ARTICLE_URL, "title": "Jambon et Geens"}, format="json")

    assert response.status_code == 202
    body = response.json()
    assert body["is_new"] is True
    assert body["fetch_state"] == FetchState.PENDING
    assert body["status_url"] == f"http://testserver/api/v1/sources/{body['id']}/status/"
    assert response["Location"] == body["status_url"]
    status = submitter.get(body["status_url"]).json()
    assert status == {
        "id": body["id"],
        "fetch_state": "pending",
        "fetch_error_code": "",
        "fetched_at": None,
        "linked_at": None,
        "is_published": False,
        "duplicate_of": None,
    }


def test_submission_history_names_the_newsroom_key(submitter, submit_key):
    body = submitter.post("/api/v1/sources/", {"url": ARTICLE_URL}, format="json").json()

    event = Events.objects.filter(pgh_obj_model="claims.Source", pgh_obj_id=str(body["id"])).get()

    assert event.pgh_context["newsroom"] == "De Standaard"
    assert event.pgh_context["api_key"] == submit_key.split(".")[0]
    assert event.pgh_context["action"] == "source_record"


def test_submitting_the_same_article_again_answers_200_with_the_existing_source(submitter):
    first = submitter.post("/api/v1/sources/", {"url": ARTICLE_URL}, format="json").json()

    again = submitter.post(
        "/api/v1/sources/", {"url": "https://lesoir.be/2016/03/24/jambon-geens-demission/"}, format="json"
    )

    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert again.json()["is_new"] is False
    assert Source.objects.count() == 1


def test_submitting_pasted_text_is_accepted(submitter):
    response = submitter.post(
        "/api/v1/sources/", {"text": "Jan Jambon offered to resign.", "title": "Wire copy"}, format="json"
    )

    assert response.status_code == 202
    assert Source.objects.get(pk=response.json()["id"]).fetch_state == FetchState.PASTED


def test_submission_without_url_or_text_names_the_field(submitter):
    response = submitter.post("/api/v1/sources/", {"title": "Nothing else"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"url": ["Give the address of the article or paste its text."]}


@pytest.mark.parametrize("url", ["ftp://example.org/file", "not a url", "javascript:alert(1)"])
def test_submission_refuses_urls_that_are_not_http(submitter, url):
    response = submitter.post("/api/v1/sources/", {"url": url}, format="json")

    assert response.status_code == 400
    assert "url" in response.json()["error"]["fields"]


def test_submission_without_a_key_answers_401_and_with_a_read_key_403(api, reader):
    anonymous = api.post("/api/v1/sources/", {"url": ARTICLE_URL}, format="json")
    read_only = reader.post("/api/v1/sources/", {"url": ARTICLE_URL}, format="json")

    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"
    assert read_only.status_code == 403
    assert read_only.json()["error"]["code"] == "permission_denied"
    assert not Source.objects.exists()


def test_submission_status_needs_a_submit_key(api, reader, source):
    assert api.get(f"/api/v1/sources/{source.pk}/status/").status_code == 401
    assert reader.get(f"/api/v1/sources/{source.pk}/status/").status_code == 403


def test_submission_status_of_an_unknown_source_is_404(submitter, db):
    assert submitter.get("/api/v1/sources/987654/status/").status_code == 404


def test_oversized_body_answers_413(submitter, settings):
    settings.API_MAX_REQUEST_BYTES = 1000

    response = submitter.post("/api/v1/sources/", json.dumps({"text": "x" * 2000}), content_type="application/json")

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert not Source.objects.exists()


def test_malformed_json_answers_400(submitter):
    response = submitter.post("/api/v1/sources/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_form_encoded_submission_answers_415(submitter):
    response = submitter.post("/api/v1/sources/", {"url": ARTICLE_URL})

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
