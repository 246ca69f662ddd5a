"""Requests no page or endpoint can use are answered 400 at the door, so they never reach a view that would fail on
them: a NUL character in the path or query (PostgreSQL text cannot hold it), more query fields than
``DATA_UPLOAD_MAX_NUMBER_FIELDS``, and a JSON body nested too deep to parse. Under ``/api/`` the answer has the
API's error shape; elsewhere it is the site's 400 page."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import bad_request

from config.api_errors import error_body

API_PREFIX = "/api/"
BODY_METHODS = ("POST", "PUT", "PATCH")


def _refusal(request: HttpRequest, *, code: str, message: str) -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse(error_body(code=code, message=message), status=400)
    return bad_request(request, SuspiciousOperation(message))


def _json_too_deep(request: HttpRequest) -> bool:
    """True when the body is JSON that the parser would give up on for its depth (a RecursionError)."""
    if request.method not in BODY_METHODS or request.content_type != "application/json":
        return False
    announced = request.META.get("CONTENT_LENGTH") or ""
    if not announced.isdigit() or int(announced) > settings.API_MAX_REQUEST_BYTES:
        return False  # the parser refuses it by size (413) without reading it
    try:
        json.loads(request.body)
    except RecursionError:
        return True
    except ValueError:
        return False  # malformed JSON: the parser's own error names the problem
    return False


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
            return _refusal(request, code="invalid_character", message="The address contains a NUL character.")
        try:
            request.GET  # noqa: B018 (parsing the query is what raises for too many fields)
        except SuspiciousOperation as error:
            return _refusal(request, code="too_many_fields", message=str(error))
        if _json_too_deep(request):
            return _refusal(request, code="parse_error", message="The JSON body is nested too deeply.")
        return self.get_response(request)
