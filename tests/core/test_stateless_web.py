"""Web processes keep nothing of their own: with Redis, the cache is shared and sessions are read
from it and written through to the database (docs/operations.md, "Scaling out")."""

from __future__ import annotations

from tests.test_settings import values_of


def test_with_redis_sessions_and_the_cache_are_shared_by_every_process():
    values = values_of("SESSION_ENGINE", "CACHES", REDIS_URL="redis://redis:6379/0")
    # Written through to the database: a Redis that is down or emptied signs nobody out.
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert values["CACHES"]["default"]["BACKEND"] == "core.cache.DegradingRedisCache"


def test_without_redis_sessions_are_in_the_database():
    values = values_of("SESSION_ENGINE")
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
