"""Probes for orchestrators and load balancers.

``/healthz`` (liveness) answers from the process alone, touching no database. ``/readyz`` (readiness) checks the
database, the broker and that a worker ran the beat-scheduled heartbeat task recently (which proves beat, broker and
a worker together); any failure answers 503 with a JSON body naming what failed. Both are served ahead of the rest of
the middleware, so a probe needs no allowed ``Host``, is never redirected to HTTPS and is never cached.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from accountability.tasks import WORKER_HEARTBEAT_KEY

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"
PROBE_TIMEOUT_SECONDS = 3


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def check_broker() -> dict[str, Any]:
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
        socket_timeout=PROBE_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    finally:
        client.close()
    return {"ok": True}


def check_worker_heartbeat() -> dict[str, Any]:
    """A worker ran the heartbeat task (sent by beat every 30 s) within ``READINESS_HEARTBEAT_MAX_AGE`` seconds."""
    max_age = settings.READINESS_HEARTBEAT_MAX_AGE
    last_beat = cache.get(WORKER_HEARTBEAT_KEY)
    if last_beat is None:
        return {"ok": False, "error": "no worker heartbeat recorded"}
    age = (timezone.now() - datetime.datetime.fromisoformat(last_beat)).total_seconds()
    if age > max_age:
        return {"ok": False, "error": f"last worker heartbeat {age:.0f} s ago (limit {max_age} s)", "age_s": age}
    return {"ok": True, "age_s": round(age, 1)}


READINESS_CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": check_database,
    "broker": check_broker,
    "worker": check_worker_heartbeat,
}


def _run(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return check()
    except Exception as error:  # a probe reports every failure instead of raising it
        return {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}


def liveness(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def readiness(request: HttpRequest) -> HttpResponse:
    checks = {name: _run(check) for name, check in READINESS_CHECKS.items()}
    failed = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "unavailable" if failed else "ready", "failed": failed, "checks": checks}
    return JsonResponse(body, status=503 if failed else 200)


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {LIVENESS_PATH: liveness, READINESS_PATH: readiness}


class HealthProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info.rstrip("/") or "/")
        if probe is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        response = probe(request)
        add_never_cache_headers(response)
        return response
