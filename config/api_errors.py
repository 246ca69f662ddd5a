"""One error shape for the whole API: ``{"error": {"code": ..., "message": ..., "fields": {...}}}``.

DRF's exceptions keep their status and code; Django's ``ValidationError`` and the domain's ``ApplicationError``
become 400 with the fields they name; ``Http404`` / ``PermissionDenied`` become 404 / 403; anything unexpected is
logged and answered 500 in the same shape. Errors are always JSON, also when the client asked for CSV.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accountability.errors import ApplicationError
from config.database_outage import is_database_outage, outage_body, outage_headers, outage_log

logger = logging.getLogger("config.api")


def error_body(*, code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _as_messages(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _as_messages(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _as_messages(value)]
    return [str(detail)]


def _fields(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(name): _as_messages(value) for name, value in detail.items()}
    return {"non_field_errors": _as_messages(detail)}


def _django_validation_error(error: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        detail: Any = {
            ("non_field_errors" if name == "__all__" else name): messages
            for name, messages in error.message_dict.items()
        }
    else:
        detail = {"non_field_errors": error.messages}
    return exceptions.ValidationError(detail)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, ApplicationError):
        fields = {str(name): _as_messages(value) for name, value in exc.extra.items()}
        return _respond(
            context, status.HTTP_400_BAD_REQUEST, error_body(code=exc.code, message=exc.message, fields=fields)
        )
    if isinstance(exc, DjangoValidationError):
        exc = _django_validation_error(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)

    if is_database_outage(exc):
        outage_log(context["request"], exc)
        return _respond(context, status.HTTP_503_SERVICE_UNAVAILABLE, outage_body(), headers=outage_headers())
    if not isinstance(exc, exceptions.APIException):
        logger.exception("Unhandled error in the API", exc_info=exc)
        body = error_body(code="server_error", message="Something went wrong on our side; it has been logged.")
        return _respond(context, status.HTTP_500_INTERNAL_SERVER_ERROR, body)

    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]

    if isinstance(exc, exceptions.ValidationError):
        fields = _fields(exc.detail)
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "invalid"
        if isinstance(codes, dict) and len(codes) == 1 and list(codes) == ["cursor"]:
            code = "invalid_cursor"
        message = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in fields.items())
        body = error_body(code=code, message=message, fields=fields)
    else:
        codes = exc.get_codes()
        body = error_body(
            code=codes if isinstance(codes, str) else exc.default_code, message=" ".join(_as_messages(exc.detail))
        )
    return _respond(context, exc.status_code, body, headers=headers)


def _respond(context: dict[str, Any], status_code: int, body: dict, headers: dict[str, str] | None = None) -> Response:
    request = context.get("request")
    if request is not None:
        # Errors are JSON whatever format was asked for: a CSV of an error helps nobody.
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return Response(body, status=status_code, headers=headers)


@csrf_exempt  # no cookie session here: an unknown address answers 404 whatever the method, never a CSRF page
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any address under /api/ that names no endpoint."""
    body = error_body(code="not_found", message=f"No API endpoint at {request.path}; see /api/docs/.")
    return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)
