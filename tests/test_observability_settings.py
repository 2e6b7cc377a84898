"""Logs as JSON lines on request, and error tracking only when SENTRY_DSN is set.

Like tests/test_settings.py, each case builds the settings in a fresh interpreter: logging
and sentry_sdk are configured once per process.
"""

from __future__ import annotations

import json

from tests.test_settings import SETUP, assert_refused_naming, start

LOG_ONE_LINE = (
    SETUP + "; import logging; from core.logging import request_id; request_id.set('abc123');"
    " logging.getLogger('wgsom.test').warning('reports %s', 'ready')"
)

SENTRY_REPORT = (
    SETUP + "; import json, sys; loaded = 'sentry_sdk' in sys.modules; options = {}\n"
    "if loaded:\n"
    "    import sentry_sdk; client = sentry_sdk.get_client(); options = {"
    "'collection': client.options['data_collection'], 'environment': client.options['environment'],"
    " 'release': client.options['release'], 'integrations': sorted(client.integrations)}\n"
    "print(json.dumps({'loaded': loaded, **options}))"
)


def last_log_line(**variables: str) -> str:
    result = start(LOG_ONE_LINE, **variables)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stderr.splitlines() if "wgsom.test" in line][-1]


def test_json_logs_carry_time_level_logger_message_and_request_id():
    record = json.loads(last_log_line(DJANGO_LOG_FORMAT="json"))
    assert record["level"] == "WARNING"
    assert record["logger"] == "wgsom.test"
    assert record["message"] == "reports ready"
    assert record["request_id"] == "abc123"
    assert record["timestamp"].endswith("+00:00")


def test_logs_are_text_by_default_for_a_developer():
    line = last_log_line()
    assert not line.startswith("{")
    assert "WARNING wgsom.test [abc123] reports ready" in line


def test_an_unknown_log_format_is_refused_in_one_line():
    assert_refused_naming(start(SETUP, DJANGO_LOG_FORMAT="xml"), "DJANGO_LOG_FORMAT")


def sentry(**variables: str) -> dict:
    result = start(SENTRY_REPORT, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_sentry_dsn_sentry_is_not_even_imported():
    assert sentry() == {"loaded": False}


def test_sentry_dsn_turns_on_error_tracking_without_personal_data():
    report = sentry(
        SENTRY_DSN="https://public@o0.ingest.sentry.example.org/1",
        SENTRY_ENVIRONMENT="staging",
        SENTRY_RELEASE="1.2.3",
    )
    assert report["loaded"] is True
    assert report["collection"]["user_info"] is False
    assert report["collection"]["cookies"]["mode"] == "off"
    assert report["collection"]["http_bodies"] == []
    assert (report["environment"], report["release"]) == ("staging", "1.2.3")
    assert {"django", "celery"} <= set(report["integrations"])
