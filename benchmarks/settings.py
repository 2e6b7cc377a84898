"""Settings for the in-process scale benchmark (benchmarks/scale.py).

The test settings (fast hashers, plain static files storage, so no collected manifest is
needed), with what production has that changes timings: debug off, so Django keeps no query
log except while the harness counts one request (CaptureQueriesContext). The API's rate limits
are off, since one address sends every request; the cache is per process (local memory), so
no Redis is needed, and holds counts as production's does. The database is DATABASE_URL's;
the harness switches it per size.
"""

from __future__ import annotations

from wgsom.settings.test import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "wgsom-bench-scale",
    }
}
# Production's: an API list's count is cached under the data version (the test settings turn
# it off, since tests never commit). The harness only reads, so the version stays put.
VERSIONED_CACHE_SECONDS = 300
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
}
# Warnings and errors only: a request log line per measured request would be timed too.
LOGGING["root"]["level"] = "WARNING"  # type: ignore[index]  # noqa: F405
# A failed request is reported in the table with its exception; its traceback would bury it.
LOGGING["loggers"] = {**LOGGING.get("loggers", {}), "django.request": {"level": "CRITICAL"}}  # type: ignore[dict-item]  # noqa: F405
