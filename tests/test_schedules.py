"""Every app's beat schedules exist after a fresh `migrate`, without any manual step."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

from django.conf import settings

from wgsom.celery import app


def test_a_fresh_migrate_creates_every_periodic_task(tmp_path):
    # A database of its own, migrated from nothing as a deployment would: the test database
    # may have been flushed by a transactional test since it was migrated.
    database = tmp_path / "fresh.sqlite3"
    # Debug on: the settings then need no secret key; nothing is served. The reminders' days
    # were an environment variable before the database kept them: its value carries over.
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_DEBUG": "true",
        "COMPLIANCE_REMINDER_AFTER_DAYS": "45",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        # System checks are `make migrations-check`'s business; this is about the data.
        [sys.executable, "manage.py", "migrate", "--noinput", "--skip-checks", "-v", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )

    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT t.task, t.kwargs, t.enabled, c.minute, c.hour, c.day_of_week, c.timezone "
            "FROM django_celery_beat_periodictask t "
            "JOIN django_celery_beat_crontabschedule c ON c.id = t.crontab_id "
            "ORDER BY t.task, t.name"
        ).fetchall()
        reminder_settings = db.execute(
            "SELECT id, days_after_meeting FROM compliance_remindersettings"
        ).fetchall()
        reminders_description = db.execute(
            "SELECT description FROM django_celery_beat_periodictask "
            "WHERE task = 'compliance.tasks.send_reminders'"
        ).fetchone()[0]

    assert [(task, json.loads(kwargs), enabled) for task, kwargs, enabled, *_ in rows] == [
        ("compliance.tasks.refresh_snapshot", {"trigger": "scheduled"}, 1),
        ("compliance.tasks.send_reminders", {}, 1),
        ("ingest.tasks.sweep_meeting_report_jobs", {}, 1),
        ("outbox.tasks.send_queued", {}, 1),
        ("reporting.tasks.purge_unconfirmed_imports", {}, 1),
        ("reporting.tasks.sweep_import_jobs", {}, 1),
        ("subscriptions.tasks.purge_unconfirmed", {}, 1),
        ("subscriptions.tasks.send_digests", {"frequency": "daily"}, 1),
        ("subscriptions.tasks.send_digests", {"frequency": "weekly"}, 1),
    ]
    nightly, weekly, meeting_report_sweep, outbox, hourly, sweep, purge, daily, weekly_digest = (
        tuple(row[3:]) for row in rows
    )
    assert nightly == ("30", "2", "*", settings.TIME_ZONE)
    assert weekly == ("0", "8", "1", settings.TIME_ZONE)
    assert outbox == ("*", "*", "*", settings.TIME_ZONE)  # every minute
    assert hourly == ("15", "*", "*", settings.TIME_ZONE)
    assert sweep == ("*/5", "*", "*", settings.TIME_ZONE)
    assert meeting_report_sweep == ("*/5", "*", "*", settings.TIME_ZONE)
    assert purge == ("45", "*", "*", settings.TIME_ZONE)
    assert daily == ("0", "7", "*", settings.TIME_ZONE)
    assert weekly_digest == ("30", "7", "1", settings.TIME_ZONE)
    # One row of reminder settings, which the Secretariat changes on its Reminders page.
    assert reminder_settings == [(1, 45)]
    assert "Reminders page" in reminders_description
    assert "COMPLIANCE_REMINDER_AFTER_DAYS" not in reminders_description


def test_the_scheduled_tasks_are_registered_under_the_names_the_schedules_use():
    app.loader.import_default_modules()
    assert {
        "compliance.tasks.refresh_snapshot",
        "compliance.tasks.send_reminders",
        "ingest.tasks.sweep_meeting_report_jobs",
        "outbox.tasks.send_message",
        "outbox.tasks.send_queued",
        "reporting.tasks.purge_unconfirmed_imports",
        "subscriptions.tasks.purge_unconfirmed",
        "subscriptions.tasks.send_digests",
        "subscriptions.tasks.send_digest",
        "subscriptions.tasks.send_confirmation",
    } <= set(app.tasks)
