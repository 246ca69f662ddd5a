"""Every request carries an id: a sane incoming ``X-Request-ID`` is kept, otherwise a new one is made. It is echoed in
the response, added to every log record, and travels with the Celery tasks the request enqueues, so one id ties a
request to the work it caused."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+=-]{7,127}")

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)
request_logger = logging.getLogger("config.requests")


def accepted_or_new_request_id(incoming: str | None) -> str:
    """The incoming id when it is 8-128 plain characters (letters, digits, ``._:+=-``), else a fresh UUID."""
    if incoming and _SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


@contextmanager
def bound_request_id(request_id: str | None) -> Iterator[None]:
    token = current_request_id.set(request_id)
    try:
        yield
    finally:
        current_request_id.reset(token)


class RequestIdMiddleware:
    """Binds the request id for the whole request, echoes it, and logs one line per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accepted_or_new_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.monotonic()
        with bound_request_id(request_id):
            response = self.get_response(request)
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Adds ``request_id`` (or None outside a request or task) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


# Celery: the id rides in the task message's headers and is bound again while the task runs.
_task_tokens: dict[str, Any] = {}


def add_request_id_to_task_headers(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = current_request_id.get()
    if request_id and headers is not None:
        headers.setdefault(TASK_HEADER, request_id)


def bind_request_id_for_task(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    request_id = getattr(task.request, TASK_HEADER, None) if task is not None else None
    if task_id:
        _task_tokens[task_id] = current_request_id.set(request_id)


def unbind_request_id_after_task(task_id: str | None = None, **kwargs: Any) -> None:
    token = _task_tokens.pop(task_id, None) if task_id else None
    if token is not None:
        current_request_id.reset(token)
