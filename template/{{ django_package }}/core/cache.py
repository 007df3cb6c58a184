"""The cache as an optimisation: while Redis is down, the app carries on without it.

`FaultTolerantRedisCache` is Django's RedisCache, except that a call that cannot reach Redis
is logged instead of raised: a read is a miss (the caller computes the value, from the
database), a write or delete is skipped. Every cached value has a timeout, so an entry that a
skipped invalidation leaves behind expires on its own.

After a failure the cache is bypassed for a few seconds, so a request during an outage does
not wait for Redis at every cache call, and the log gets one traceback per outage window
(plus one line per skipped invalidation).

Records the app cannot do without (who started a task) use a plain RedisCache, whose errors
the caller turns into 503 (settings.CACHES["tasks"]).
"""

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis import RedisError

logger = logging.getLogger(__name__)

BYPASS_SECONDS = 5.0
Key = Any  # Django's cache keys: strings, or anything `str()` makes one of
Timeout = float | None
T = TypeVar("T")


class FaultTolerantRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._bypass_until = 0.0

    def _try(self, call: Callable[[], T], fallback: T, *, invalidates: object = None) -> T:
        """`call()`, or `fallback` when Redis fails; `invalidates`: what a skipped call leaves stale."""
        if time.monotonic() < self._bypass_until:
            if invalidates is not None:
                logger.error("Redis is unavailable: %r may be stale until it expires", invalidates)
            return fallback
        try:
            return call()
        except RedisError:
            self._bypass_until = time.monotonic() + BYPASS_SECONDS
            logger.exception(
                "Redis is unavailable: the cache is bypassed for %s s%s",
                BYPASS_SECONDS,
                "" if invalidates is None else f"; {invalidates!r} may be stale until it expires",
            )
            return fallback

    # Reads: a miss.
    def get(self, key: Key, default: Any = None, version: int | None = None) -> Any:
        return self._try(lambda: RedisCache.get(self, key, default, version), default)

    def get_many(self, keys: Iterable[Key], version: int | None = None) -> dict[Key, Any]:
        return self._try(lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key: Key, version: int | None = None) -> bool:
        return self._try(lambda: RedisCache.has_key(self, key, version), False)

    # Writes: skipped.
    def set(
        self, key: Key, value: Any, timeout: Timeout = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._try(lambda: RedisCache.set(self, key, value, timeout, version), None)

    def add(
        self, key: Key, value: Any, timeout: Timeout = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._try(lambda: RedisCache.add(self, key, value, timeout, version), False)

    def set_many(
        self, data: dict[Key, Any], timeout: Timeout = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Key]:
        # Django's set_many returns the keys it could not set: all of them.
        return self._try(lambda: RedisCache.set_many(self, data, timeout, version), list(data))

    def touch(
        self, key: Key, timeout: Timeout = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._try(lambda: RedisCache.touch(self, key, timeout, version), False)

    # Invalidations: skipped and logged, as what they should have changed may now be stale.
    def incr(self, key: Key, delta: int = 1, version: int | None = None) -> int:
        # A counter Redis cannot reach counts from nothing, as a missing key would.
        return self._try(
            lambda: RedisCache.incr(self, key, delta, version),
            delta,
            invalidates=key,
        )

    def delete(self, key: Key, version: int | None = None) -> bool:
        return self._try(lambda: RedisCache.delete(self, key, version), False, invalidates=key)

    def delete_many(self, keys: Iterable[Key], version: int | None = None) -> None:
        keys = list(keys)
        self._try(
            lambda: RedisCache.delete_many(self, keys, version),
            None,
            invalidates=keys,
        )

    def clear(self) -> None:
        self._try(lambda: RedisCache.clear(self), None, invalidates="*")
