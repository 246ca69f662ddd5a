"""Request rates for the API: anonymous readers per client address, each newsroom key on its own.

Counting is a sliding window over two fixed windows in Redis/Valkey: the requests of the current window plus the
previous window's, weighted by the share of it still inside the last period. One pipelined round trip per request
(``INCR``, ``EXPIRE``, ``GET``), atomic under concurrency, and the same small cost whatever the rate: DRF's own
``SimpleRateThrottle`` keeps every request's time in one cached list, read and written whole on each request, so a
rate of 1,200 a minute moves up to 1,200 timestamps twice per request, and two concurrent requests can lose a count.
A refused request is not counted.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from claims.api.models import NewsroomKey


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int

    @classmethod
    def parse(cls, rate: str) -> Rate:
        """``"60/min"``, ``"1200/m"``, ``"10/s"``, ``"5000/hour"``, ``"100000/day"``: DRF's rate strings."""
        count, period = rate.split("/")
        return cls(int(count), {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]])


@dataclass(frozen=True)
class WindowCount:
    """The requests counted in the current window (this one included) and in the previous one, at ``elapsed``
    seconds into the current window."""

    current: int
    previous: int
    elapsed: float

    def estimate(self, rate: Rate) -> float:
        return self.previous * (rate.seconds - self.elapsed) / rate.seconds + self.current

    def seconds_until_allowed(self, rate: Rate) -> float:
        """How long until one more request fits, with the refused one not counted."""
        counted = self.current - 1
        if counted + 1 <= rate.requests:
            # Within this window, once enough of the previous window's weight has slid out.
            room = rate.requests - counted - 1
            return max(0.0, (rate.seconds - self.elapsed) - rate.seconds * room / self.previous)
        # In the next window, once enough of this window's weight has slid out.
        into_next = rate.seconds * (1 - (rate.requests - 1) / counted) if counted else 0.0
        return (rate.seconds - self.elapsed) + max(0.0, into_next)


def counter_key(scope: str, ident: str, window: int) -> str:
    return cache.make_and_validate_key(f"throttle:{scope}:{ident}:{window}")


def count_request(scope: str, ident: str, rate: Rate, now: float) -> WindowCount:
    window, elapsed = divmod(now, rate.seconds)
    current, previous = counter_key(scope, ident, int(window)), counter_key(scope, ident, int(window) - 1)
    pipeline = cache.redis_client().pipeline(transaction=False)
    pipeline.incr(current)
    pipeline.expire(current, 2 * rate.seconds, nx=True)
    pipeline.get(previous)
    count, _, previous_count = pipeline.execute()
    return WindowCount(current=int(count), previous=int(previous_count or 0), elapsed=elapsed)


def uncount_request(scope: str, ident: str, rate: Rate, now: float) -> None:
    cache.redis_client().decr(counter_key(scope, ident, int(now // rate.seconds)))


def forget_requests(scope: str, ident: str, rate: Rate, now: float | None = None) -> None:
    """Clear a client's counts (the current and previous windows)."""
    window = int((time.time() if now is None else now) // rate.seconds)
    cache.redis_client().delete(counter_key(scope, ident, window), counter_key(scope, ident, window - 1))


class NewsroomRateThrottle(BaseThrottle):
    """Anonymous readers share the ``anonymous`` rate per client address; each newsroom key gets the ``newsroom``
    rate of its own. Counters live in the default cache (Redis/Valkey), so every web process shares them."""

    timer = time.time

    def __init__(self) -> None:
        self._wait: float | None = None

    def scope_and_ident(self, request: Request) -> tuple[str, str]:
        if isinstance(request.auth, NewsroomKey):
            return "newsroom", f"key-{request.auth.prefix}"
        return "anonymous", self.get_ident(request)

    def allow_request(self, request: Request, view: object) -> bool:
        scope, ident = self.scope_and_ident(request)
        # Read at request time (not class creation), so a changed setting takes effect without a restart.
        configured = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
        if configured is None:
            return True
        rate, now = Rate.parse(configured), self.timer()
        counted = count_request(scope, ident, rate, now)
        if counted.estimate(rate) <= rate.requests:
            return True
        uncount_request(scope, ident, rate, now)
        self._wait = counted.seconds_until_allowed(rate)
        return False

    def wait(self) -> float | None:
        return None if self._wait is None else max(1, math.ceil(self._wait))
