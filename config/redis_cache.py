"""Django's Redis cache backend, with one redis-py client per connection pool instead of one per operation.

Django's ``RedisCacheClient`` makes a new ``redis.Redis`` for every cache call, and redis-py builds its table of
response callbacks (about 170 entries) in each client's constructor: about 0.2 ms of CPU per call, several calls per
request (the rate limit's counter, the content generation, the cached answer). A client only wraps its pool, so one
made once per pool serves every call; keys, values and pools are Django's own.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def redis_client(self) -> Any:
        """The redis-py client of the cache's (first) server, for what the cache API cannot say in one round trip:
        pipelines, counters. Keys made with ``make_and_validate_key`` stay in the cache's namespace."""
        return self._cache.get_client(write=True)
