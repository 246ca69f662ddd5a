"""One JSON error shape everywhere under /api/."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accountability.errors import ApplicationError


def _assert_error_shape(response, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/", "/api/v2/claims/", "/api/v1/claims"])
def test_unknown_api_addresses_answer_json_404(api, db, path):
    _assert_error_shape(api.get(path), 404, "not_found")


def test_writing_to_a_read_endpoint_answers_405(api, db):
    _assert_error_shape(api.delete("/api/v1/claims/1/"), 405, "method_not_allowed")
    _assert_error_shape(api.post("/api/v1/claims/", {}, format="json"), 405, "method_not_allowed")


def test_unknown_format_answers_404_in_the_same_shape(api, db):
    _assert_error_shape(api.get("/api/v1/claims/?format=xml"), 404, "not_found")


def test_application_error_becomes_400_with_its_code(submitter, monkeypatch):
    def refuse(**kwargs: object) -> None:
        raise ApplicationError("Sources from this host are not accepted.", code="host_refused", extra={"url": "x"})

    monkeypatch.setattr("claims.api.views.source_submit", refuse)
    response = submitter.post("/api/v1/sources/", {"url": "https://example.org/a"}, format="json")

    _assert_error_shape(response, 400, "host_refused")
    assert response.json()["error"]["fields"] == {"url": ["x"]}


def test_django_validation_error_without_fields_becomes_400(submitter, monkeypatch):
    def refuse(**kwargs: object) -> None:
        raise ValidationError("Not today.")

    monkeypatch.setattr("claims.api.views.source_submit", refuse)
    response = submitter.post("/api/v1/sources/", {"url": "https://example.org/a"}, format="json")

    _assert_error_shape(response, 400, "invalid")
    assert response.json()["error"]["fields"] == {"non_field_errors": ["Not today."]}


def test_unexpected_failure_answers_500_in_the_same_shape(api, db, monkeypatch):
    def explode() -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr("claims.api.views.selectors.claims_api_records", explode)

    response = api.get("/api/v1/claims/")

    _assert_error_shape(response, 500, "server_error")
    assert "fire" not in response.content.decode()
