"""Malformed and oversized requests get a clean 4xx answer, never a 500: bodies past the limit, JSON nested past
reason, bytes that are not UTF-8 in the body, the query and the path, NUL characters, huge query strings and absurd
pagination values, on the public site, the admin and the API (which answers in its JSON error shape)."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from claims.api.models import NewsroomKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitter() -> APIClient:
    _, key = NewsroomKey.objects.create_key(name="Hostile newsroom", can_submit=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def assert_api_error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message", "fields"} <= set(body["error"])
    return body["error"]


def test_an_oversized_body_answers_413_in_the_api_error_shape(submitter, settings):
    settings.API_MAX_REQUEST_BYTES = 10_000
    body = json.dumps({"url": "https://news.example.org/a", "text": "x" * 20_000})
    error = assert_api_error(submitter.post("/api/v1/sources/", body, content_type="application/json"), 413)
    assert error["code"] == "payload_too_large"


def test_an_oversized_form_post_to_the_site_answers_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post("/admin/login/", {"username": "x" * 20_000, "password": "y"})
    assert response.status_code == 400


@pytest.mark.parametrize("depth", [2_000, 100_000])
def test_json_nested_past_reason_answers_400(submitter, depth):
    body = "[" * depth + "]" * depth
    error = assert_api_error(submitter.post("/api/v1/sources/", body, content_type="application/json"), 400)
    assert error["code"] == "parse_error"


@pytest.mark.parametrize(
    "body",
    [b'{"url": "https://news.example.org/\xff\xfe"}', b"\xef\xbb\xbf\xc3\x28", b'{"text": "\xed\xa0\x80"}'],
    ids=["invalid byte", "broken sequence after bom", "surrogate"],
)
def test_a_body_that_is_not_utf8_answers_400(submitter, body):
    error = assert_api_error(submitter.post("/api/v1/sources/", body, content_type="application/json"), 400)
    assert error["code"] == "parse_error"


def test_a_nul_character_in_submitted_text_answers_400_not_a_database_error(submitter):
    body = {"url": "https://news.example.org/nul", "title": "A\u0000B", "text": "Before\u0000after " * 20}
    response = submitter.post("/api/v1/sources/", body, format="json")
    assert 400 <= response.status_code < 500, response.content[:300]


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=%ff%fe%00",
        "/search/?q=%00",
        "/claims/%ff%fe/",
        "/people/%c3%28/",
        "/%ff/",
        "/feeds/people/%ff/",
        "/embed/claims/%ed%a0%80/",
        "/admin/claims/claim/?q=%ff%00",
        "/admin/claims/claim/%ff/change/",
    ],
)
def test_bytes_that_are_not_utf8_in_path_or_query_of_the_site_answer_cleanly(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code in (200, 302, 400, 404), (path, response.status_code)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/?q=%ff%fe",
        "/api/v1/claims/?q=%00",
        "/api/v1/claims/%ff%fe/",
        "/api/v1/people/?updated_since=%ff",
        "/api/v1/events/?kind=%00",
        "/api/v1/%ff/",
    ],
)
def test_bytes_that_are_not_utf8_in_api_paths_and_queries_answer_in_the_error_shape(path):
    response = APIClient().get(path)
    if response.status_code != 200:
        assert_api_error(response, response.status_code)
    assert response.status_code in (200, 400, 404)


@pytest.mark.parametrize("path", ["/search/", "/api/v1/claims/", "/api/v1/people/"])
def test_a_huge_query_string_answers_cleanly(client, path):
    response = client.get(path, {"q": "responsibility " * 8_000})
    assert response.status_code in (200, 400, 414), response.status_code


def test_thousands_of_query_parameters_answer_400(client):
    query = "&".join(f"p{number}=x" for number in range(5_000))
    assert client.get(f"/search/?{query}").status_code == 400
    error = assert_api_error(client.get(f"/api/v1/claims/?{query}"), 400)
    assert error["code"] == "too_many_fields"


def test_a_nul_character_in_the_query_answers_400(client):
    assert client.get("/search/?q=before%00after").status_code == 400
    error = assert_api_error(client.get("/api/v1/claims/?q=%00"), 400)
    assert error["code"] == "invalid_character"


def test_json_nested_but_within_reason_is_left_to_the_endpoint(submitter):
    body = json.dumps({"url": "https://news.example.org/a", "title": [[["deep"]]]})
    error = assert_api_error(submitter.post("/api/v1/sources/", body, content_type="application/json"), 400)
    assert error["code"] != "parse_error"


@pytest.mark.parametrize("value", [str(10**12), "-1", "0", "abc", "1e3", "9" * 400, "%ff"])
def test_absurd_page_sizes_never_fail_and_never_exceed_the_cap(client, value):
    response = client.get(f"/api/v1/claims/?page_size={value}")
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 100


@pytest.mark.parametrize("cursor", ["-1", "not a cursor", "%ff"])
def test_a_cursor_that_is_not_ours_answers_400(client, cursor):
    error = assert_api_error(client.get(f"/api/v1/claims/?cursor={cursor}"), 400)
    assert error["code"] == "invalid_cursor"


@pytest.mark.parametrize(
    "position",
    ["p=-1", "p=1&r=1&o=99999999999999", "o=-5", "p=" + "9" * 300, "p=%00"],
    ids=["negative", "huge offset", "negative offset", "huge position", "nul position"],
)
def test_a_well_formed_cursor_with_absurd_values_answers_without_failing(client, position):
    import base64

    cursor = base64.b64encode(position.encode()).decode()
    response = client.get("/api/v1/claims/", {"cursor": cursor})
    assert response.status_code in (200, 400), response.content[:300]


@pytest.mark.parametrize("page", [str(10**12), "-1", "abc", "%00"])
def test_absurd_page_numbers_on_the_public_site_answer_cleanly(client, page):
    for path in ("/", "/search/?q=minister&", "/admin/claims/claim/?"):
        response = client.get(f"{path}{'&' if '?' in path else '?'}page={page}")
        assert response.status_code in (200, 302, 400, 404), (path, response.status_code)
