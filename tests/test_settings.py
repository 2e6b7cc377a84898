"""Start-up settings: refusals of unusable values, and the defaults a newcomer gets.

Each case imports the settings in a fresh interpreter, since a refusal ends the process and
settings are read once per process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A developer's .env (say, one written for docker compose) must not decide these outcomes, so
# the settings' read of it is switched off in the child process.
IGNORE_DOTENV = "import environ; environ.Env.read_env = staticmethod(lambda *a, **k: None)"
SETUP = f"{IGNORE_DOTENV}; import django; django.setup()"
REPORT = (
    SETUP + "; import json; from django.conf import settings as s; print(json.dumps({"
    "'DEBUG': s.DEBUG, "
    "'ENGINE': s.DATABASES['default']['ENGINE'], "
    "'CELERY_TASK_ALWAYS_EAGER': s.CELERY_TASK_ALWAYS_EAGER, "
    "'CELERY_BROKER_URL': s.CELERY_BROKER_URL, "
    "'EMAIL_BACKEND': s.EMAIL_BACKEND}))"
)

INHERITED = ("DATABASE_URL", "REDIS_URL", "EMAIL_URL")


def start(code: str, **variables: str) -> subprocess.CompletedProcess[str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "CELERY_")) and name not in INHERITED
    }
    env["DJANGO_SETTINGS_MODULE"] = "wgsom.settings.base"
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_with(**variables: str) -> dict:
    result = start(REPORT, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def assert_refused_naming(result: subprocess.CompletedProcess[str], variable: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]


def test_debug_off_without_secret_key_is_refused_in_one_line():
    result = start(SETUP, DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="example.org")
    assert_refused_naming(result, "DJANGO_SECRET_KEY")


def test_debug_off_without_allowed_hosts_is_refused_in_one_line():
    result = start(SETUP, DJANGO_DEBUG="false", DJANGO_SECRET_KEY="not-a-real-secret")
    assert_refused_naming(result, "DJANGO_ALLOWED_HOSTS")


def test_debug_value_that_is_not_a_boolean_is_refused():
    result = start(SETUP, DJANGO_DEBUG="maybe")
    assert_refused_naming(result, "DJANGO_DEBUG")


def test_debug_off_with_secret_key_and_hosts_starts():
    # The refusals above must come from the missing value, not from anything else.
    values = settings_with(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="not-a-real-secret",
        DJANGO_ALLOWED_HOSTS="example.org",
    )
    assert values["DEBUG"] is False


def test_nothing_set_means_sqlite_eager_celery_and_console_email():
    values = settings_with()
    assert values["DEBUG"] is True
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["CELERY_TASK_ALWAYS_EAGER"] is True
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_database_url_and_redis_url_switch_to_postgresql_and_a_real_broker():
    values = settings_with(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/wgsom",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    assert values["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/0"
