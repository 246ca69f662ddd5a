from __future__ import annotations

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from claims.api.models import NewsroomKey


class NewsroomRateThrottle(SimpleRateThrottle):
    """Anonymous readers share the ``anonymous`` rate per client address; each newsroom key gets the ``newsroom``
    rate of its own. Counters live in the default cache (Redis/Valkey), so every web process shares them."""

    scope = "anonymous"

    def allow_request(self, request: Request, view: object) -> bool:
        self.scope = "newsroom" if isinstance(request.auth, NewsroomKey) else "anonymous"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_rate(self) -> str:
        # Read at request time (not class creation), so a changed setting takes effect without a restart of tests.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request: Request, view: object) -> str:
        is_keyed = isinstance(request.auth, NewsroomKey)
        ident = f"key-{request.auth.prefix}" if is_keyed else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
