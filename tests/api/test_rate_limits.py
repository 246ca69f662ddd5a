"""API rates: a sliding window over the last period, counted atomically in Redis/Valkey, refusals not counted."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import close_old_connections
from rest_framework.test import APIRequestFactory

from claims.api.throttling import NewsroomRateThrottle, Rate, forget_requests

ADDRESS = "203.0.113.9"
# The start of a rate window for rates of a minute (a multiple of 60 s), so a test knows where in the window it is.
WINDOW_START = 1_800_000_000.0


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):  # type: ignore[no-untyped-def]
    clock = Clock(WINDOW_START)
    monkeypatch.setattr(NewsroomRateThrottle, "timer", staticmethod(clock))
    return clock


@pytest.fixture
def two_a_minute(settings):  # type: ignore[no-untyped-def]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "2/min", "newsroom": "4/min"},
    }
    rate = Rate.parse("2/min")
    for moment in (WINDOW_START, WINDOW_START + 60, WINDOW_START + 120):
        forget_requests("anonymous", ADDRESS, rate, now=moment)
    yield
    for moment in (WINDOW_START, WINDOW_START + 60, WINDOW_START + 120):
        forget_requests("anonymous", ADDRESS, rate, now=moment)


def read(api):  # type: ignore[no-untyped-def]
    return api.get("/api/v1/claims/", REMOTE_ADDR=ADDRESS)


def test_a_refused_client_is_told_when_the_window_has_room_again_and_is_let_in_then(api, db, two_a_minute, clock):
    assert [read(api).status_code for _ in range(3)] == [200, 200, 429]
    refused = read(api)

    # Two requests at the start of a window weigh 2 x (60 - t) / 60 in the next one: one more fits once t >= 30 s.
    assert refused.status_code == 429
    assert refused["Retry-After"] == "90"
    clock.now = WINDOW_START + 89
    assert read(api).status_code == 429
    clock.now = WINDOW_START + 90
    assert read(api).status_code == 200


def test_refused_requests_do_not_count_against_the_client(api, db, two_a_minute, clock):
    read(api), read(api)
    for _ in range(10):
        assert read(api).status_code == 429

    clock.now = WINDOW_START + 90

    assert read(api).status_code == 200  # ten more counted requests would keep it shut for a while yet


def test_the_last_windows_requests_weigh_by_the_share_of_it_still_within_the_period(api, db, two_a_minute, clock):
    clock.now = WINDOW_START + 50
    assert read(api).status_code == 200  # one request late in the window

    clock.now = WINDOW_START + 65  # 55 s of the previous window remain: it weighs 55/60, so one more fits
    assert read(api).status_code == 200
    refused = read(api)
    assert refused.status_code == 429
    # 1 x (60 - t) / 60 + 1 + 1 <= 2 once the previous window has slid out entirely: 55 s from now.
    assert refused["Retry-After"] == "55"


def test_concurrent_requests_are_counted_exactly(db, settings, clock):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anonymous": "10/min"}}
    forget_requests("anonymous", ADDRESS, Rate.parse("10/min"), now=clock.now)
    request = APIRequestFactory().get("/api/v1/claims/", REMOTE_ADDR=ADDRESS)
    request.auth = None

    def attempt(_: int) -> bool:
        try:
            return NewsroomRateThrottle().allow_request(request, view=None)
        finally:
            close_old_connections()

    with ThreadPoolExecutor(max_workers=8) as pool:
        allowed = list(pool.map(attempt, range(40)))

    forget_requests("anonymous", ADDRESS, Rate.parse("10/min"), now=clock.now)
    assert allowed.count(True) == 10


@pytest.mark.parametrize(
    ("text", "rate"),
    [("60/min", Rate(60, 60)), ("1200/m", Rate(1200, 60)), ("10/s", Rate(10, 1)), ("5000/hour", Rate(5000, 3600))],
)
def test_rates_are_written_as_drf_writes_them(text, rate):
    assert Rate.parse(text) == rate
