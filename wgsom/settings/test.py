"""Test settings: the base settings, made fast and deterministic."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Most tests sign staff in with force_login and go straight to staff pages; the second-factor
# and re-authentication tests turn these back on (tests/accounts/test_second_factor.py).
OTP_REQUIRED_FOR_STAFF = False
REAUTH_MINUTES = 24 * 60
# Tests write inside a transaction that never commits, so data versions do not move and a
# cached count would outlive the rows it counted; tests of the cache turn it on.
VERSIONED_CACHE_SECONDS = 0
# The replica is the same test database under a second alias (a test mirror), for the router's
# own tests (tests/core/test_db_router.py), which install the router themselves; every other
# test reads and writes `default` only, whatever DATABASE_REPLICA_URL says.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
DATABASE_ROUTERS = []
MIDDLEWARE = [name for name in MIDDLEWARE if name != "core.db_routers.ReplicaRoutingMiddleware"]  # noqa: F405
