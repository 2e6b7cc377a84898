"""A Redis cache that degrades to a miss when Redis is down, instead of failing the request.

The cache only ever holds what can be recomputed or lost (API throttle counts, the similarity
model, the debounce mark of the compliance refresh, the confirmation e-mail counts), so a Redis
that cannot be reached must cost a page nothing but speed. Every operation that meets a
connection or timeout error answers as if the key were absent:

- `get` returns the default, `get_many` nothing, `has_key` False;
- `set`, `touch`, `delete`, `clear` and the `*_many` writes do nothing (`add`, `touch` and
  `delete` return False: nothing was stored, touched or deleted);
- `incr` (and `decr`) raise ValueError, Django's answer for a key that does not exist.

What that means for the callers is their choice, made where they call: the API throttles
(DRF's get/set) let every request through while Redis is down (fail open: refusing the API
would turn a cache outage into an outage); the sign-up limit of the subscriptions sends no
confirmation it cannot count (fail closed: a sign-up can be repeated, a flooded mailbox cannot
be undone).

After an error Redis is left alone for `RETRY_AFTER_SECONDS` (each process decides for itself),
so a dead Redis costs one failed connection every few seconds, not one per cache call; the
warning is logged at most once per `LOG_EVERY_SECONDS`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

T = TypeVar("T")

# What a Redis that is down, unreachable or too slow raises (BusyLoadingError is a
# ConnectionError too); a ResponseError is a programming error and still propagates.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


class _Breaker:
    """When Redis last failed, shared by the cache objects of every thread of a process
    (Django makes one per thread), per Redis location."""

    def __init__(self) -> None:
        self.down_until = 0.0
        self.last_warning = float("-inf")


_breakers: dict[str, _Breaker] = {}


class DegradingRedisCache(RedisCache):
    """Django's Redis cache, answering a miss while Redis cannot be reached."""

    RETRY_AFTER_SECONDS = 5.0
    LOG_EVERY_SECONDS = 60.0

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        # redis-py retries a failed connection three times with a back-off of up to seconds;
        # a cache gives up at once and answers a miss.
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._breaker = _breakers.setdefault(str(server), _Breaker())

    # --- the breaker ----------------------------------------------------------------------

    def _call(self, operation: Callable[[], T], fallback: T) -> T:
        if time.monotonic() < self._breaker.down_until:
            return fallback
        try:
            return operation()
        except UNAVAILABLE as exc:
            self._mark_down(exc)
            return fallback

    def _mark_down(self, exc: BaseException) -> None:
        now = time.monotonic()
        self._breaker.down_until = now + self.RETRY_AFTER_SECONDS
        if now - self._breaker.last_warning >= self.LOG_EVERY_SECONDS:
            self._breaker.last_warning = now
            logger.warning(
                "Cache unavailable (%s: %s); answering misses for now. Is Redis at "
                "REDIS_URL up? (logged at most once a minute)",
                type(exc).__name__,
                exc,
            )

    @property
    def available(self) -> bool:
        """False while Redis is being left alone after an error."""
        return time.monotonic() >= self._breaker.down_until

    # --- Django's cache API ---------------------------------------------------------------

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._call(
            lambda: super(DegradingRedisCache, self).add(key, value, timeout, version), False
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._call(
            lambda: super(DegradingRedisCache, self).get(key, default, version), default
        )

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._call(lambda: super(DegradingRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(
            lambda: super(DegradingRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._call(lambda: super(DegradingRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._call(lambda: super(DegradingRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call(lambda: super(DegradingRedisCache, self).has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        unavailable = object()
        result = self._call(
            lambda: super(DegradingRedisCache, self).incr(key, delta, version), unavailable
        )
        if result is unavailable:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return result  # type: ignore[return-value]

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        # Django's contract: the keys that failed to be inserted.
        return self._call(
            lambda: super(DegradingRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._call(lambda: super(DegradingRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._call(lambda: super(DegradingRedisCache, self).clear(), None)
