"""While the database cannot be reached, readers get a short "try again" answer instead of an error page.

The site answers 503 with a plain page that needs no database; the API answers 503 in its usual error shape.
Both say when to retry (``Retry-After``). Once the database is back, Django's connection health checks
(``CONN_HEALTH_CHECKS``) replace the broken connection on the next request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger("config.database_outage")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"


def is_database_outage(exception: BaseException) -> bool:
    return isinstance(exception, DATABASE_ERRORS)


def outage_body() -> dict:
    from config.api_errors import error_body

    return error_body(
        code="service_unavailable",
        message=f"The database is unreachable for a moment; nothing was changed. Retry in {RETRY_AFTER_SECONDS} s.",
    )


def outage_headers() -> dict[str, str]:
    return {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}


def outage_log(request: HttpRequest, exception: BaseException) -> None:
    logger.warning("Database unavailable while serving %s %s: %s", request.method, request.path, exception)


def outage_response(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """The 503 answer for this request: JSON under /api/, the plain page elsewhere."""
    outage_log(request, exception)
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse(outage_body(), status=503)
    else:
        html = render_to_string(
            "503_outage.html",
            {
                "retry_after": RETRY_AFTER_SECONDS,
                "path": request.get_full_path(),
                "LANGUAGE_CODE": translation.get_language(),
            },
        )
        response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    for header, value in outage_headers().items():
        response[header] = value
    return response


class DatabaseOutageMiddleware:
    """Turns a lost database connection in a view (sessions and users load lazily, so there too) into a 503.

    API views catch their own exceptions: ``config.api_errors`` hands database errors to ``outage_response``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_outage(exception):
            return outage_response(request, exception)
        return None
