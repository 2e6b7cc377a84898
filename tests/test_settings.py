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

# A key good enough for production: long, and not the .env.example placeholder.
GOOD_SECRET_KEY = "k" * 20 + "-a-test-key-long-enough-for-the-settings-0123456789"
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": GOOD_SECRET_KEY,
    "DJANGO_ALLOWED_HOSTS": "wgsom.example.org",
}


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
    result = start(SETUP, DJANGO_DEBUG="false", DJANGO_SECRET_KEY=GOOD_SECRET_KEY)
    assert_refused_naming(result, "DJANGO_ALLOWED_HOSTS")


def test_debug_value_that_is_not_a_boolean_is_refused():
    result = start(SETUP, DJANGO_DEBUG="maybe")
    assert_refused_naming(result, "DJANGO_DEBUG")


def test_debug_off_with_secret_key_and_hosts_starts():
    # The refusals above must come from the missing value, not from anything else.
    values = settings_with(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=GOOD_SECRET_KEY,
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


def values_of(*names: str, **variables: str) -> dict:
    """The settings `names` as a fresh process started with `variables` reads them."""
    code = (
        SETUP + "; import json; from django.conf import settings as s; "
        f"print(json.dumps({{name: getattr(s, name, None) for name in {list(names)!r}}}))"
    )
    result = start(code, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_debug_off_with_the_env_example_placeholder_key_is_refused_in_one_line():
    placeholder = "change-me-this-placeholder-is-not-a-secret-but-it-is-long-enough"
    result = start(SETUP, **{**PRODUCTION, "DJANGO_SECRET_KEY": placeholder})
    assert_refused_naming(result, "DJANGO_SECRET_KEY")


def test_debug_off_with_a_key_shorter_than_50_characters_is_refused_in_one_line():
    result = start(SETUP, **{**PRODUCTION, "DJANGO_SECRET_KEY": "x" * 49})
    assert_refused_naming(result, "DJANGO_SECRET_KEY")


def test_debug_on_accepts_a_short_key_for_local_work():
    assert values_of("DEBUG", DJANGO_SECRET_KEY="short")["DEBUG"] is True


def test_debug_off_sends_hsts_for_a_year_with_subdomains_and_no_preload_by_default():
    values = values_of(
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", **PRODUCTION
    )
    assert values == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
    }


def test_hsts_is_configurable():
    values = values_of(
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        DJANGO_SECURE_HSTS_PRELOAD="true",
        **PRODUCTION,
    )
    assert values == {
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": True,
    }


def test_database_connections_kept_open_are_checked_before_use():
    databases = values_of("DATABASES", DJANGO_CONN_MAX_AGE="60")["DATABASES"]
    assert databases["default"]["CONN_HEALTH_CHECKS"] is True


def test_a_lost_workers_task_comes_back_within_minutes_not_an_hour():
    values = values_of(
        "CELERY_BROKER_TRANSPORT_OPTIONS",
        "CELERY_TASK_TIME_LIMIT",
        "COMPLIANCE_SNAPSHOT_TIME_LIMIT",
    )
    timeout = values["CELERY_BROKER_TRANSPORT_OPTIONS"]["visibility_timeout"]
    # Longer than any task may run (a task still running is not delivered twice), and than
    # the longest retry back-off, whose message a worker holds unacknowledged meanwhile ...
    assert timeout > values["CELERY_TASK_TIME_LIMIT"] >= values["COMPLIANCE_SNAPSHOT_TIME_LIMIT"]
    assert timeout > 15 * 60
    # ... but minutes, not Celery's hour.
    assert timeout <= 30 * 60


def test_the_visibility_timeout_follows_the_environment():
    options = values_of("CELERY_BROKER_TRANSPORT_OPTIONS", CELERY_BROKER_VISIBILITY_TIMEOUT="2400")
    assert options["CELERY_BROKER_TRANSPORT_OPTIONS"]["visibility_timeout"] == 2400


def test_a_visibility_timeout_shorter_than_a_task_is_refused_in_one_line():
    result = start(SETUP, CELERY_BROKER_VISIBILITY_TIMEOUT="300", CELERY_TASK_TIME_LIMIT="600")
    assert_refused_naming(result, "CELERY_BROKER_VISIBILITY_TIMEOUT")


def test_deploy_checks_find_nothing_to_warn_about_in_a_production_like_environment():
    code = (
        SETUP + "; from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = start(code, **PRODUCTION)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output
    assert "WARNING" not in output
