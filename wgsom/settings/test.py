"""Test settings: the base settings, made fast and deterministic."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Most tests sign staff in with force_login and go straight to staff pages; the second-factor
# and re-authentication tests turn these back on (tests/accounts/test_second_factor.py).
OTP_REQUIRED_FOR_STAFF = False
REAUTH_MINUTES = 24 * 60
