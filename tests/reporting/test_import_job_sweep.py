"""Import jobs (checks and imports) a broker outage or a dead worker left behind are caught up
by the sweep (reporting.services.import_jobs_sweep, run every five minutes by beat)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from reporting import services
from reporting.models import ImportJob

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 12, 7, 12, 0))


def job(
    staff,
    status: str,
    *,
    created_minutes_ago: int,
    started_minutes_ago: int | None = None,
    confirmed_minutes_ago: int | None = None,
):
    created = ImportJob.objects.create(
        created_by=staff, filename="reports.csv", upload_key="", status=status
    )

    def ago(minutes: int | None) -> datetime.datetime | None:
        return None if minutes is None else NOW - datetime.timedelta(minutes=minutes)

    ImportJob.objects.filter(pk=created.pk).update(
        created_at=ago(created_minutes_ago),
        started_at=ago(started_minutes_ago),
        confirmed_at=ago(confirmed_minutes_ago),
    )
    return created


@pytest.fixture
def queued_tasks(monkeypatch):
    sent: list[tuple] = []
    monkeypatch.setattr(
        services, "enqueue", lambda name, *args, **kwargs: sent.append((name, *args)) or True
    )
    return sent


def test_a_job_still_queued_after_two_minutes_is_queued_again(staff, queued_tasks):
    lost = job(staff, "queued", created_minutes_ago=3)

    outcome = services.import_jobs_sweep(now=NOW)

    assert queued_tasks == [("reporting.tasks.run_report_import", lost.pk)]
    assert outcome.requeued == 1


def test_a_job_queued_moments_ago_is_left_to_its_worker(staff, queued_tasks):
    job(staff, "queued", created_minutes_ago=1)

    assert services.import_jobs_sweep(now=NOW).requeued == 0
    assert queued_tasks == []


def test_a_job_queued_again_while_the_broker_is_still_down_waits_for_the_next_sweep(
    staff, monkeypatch
):
    monkeypatch.setattr(services, "enqueue", lambda *args, **kwargs: False)
    lost = job(staff, "queued", created_minutes_ago=10)

    assert services.import_jobs_sweep(now=NOW).requeued == 0
    lost.refresh_from_db()
    assert lost.status == "queued"


def test_a_job_running_past_the_task_time_limit_is_marked_failed(staff, settings, queued_tasks):
    minutes = settings.CELERY_TASK_TIME_LIMIT // 60 + 5
    dead = job(staff, "running", created_minutes_ago=minutes, started_minutes_ago=minutes)
    alive = job(staff, "running", created_minutes_ago=3, started_minutes_ago=2)

    outcome = services.import_jobs_sweep(now=NOW)

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert outcome.abandoned == 1
    assert dead.status == "failed"
    assert dead.errors == [
        "The import stopped before it finished; nothing was imported. Try again."
    ]
    assert alive.status == "running"


def test_a_check_still_waiting_after_two_minutes_is_queued_again(staff, queued_tasks):
    lost = job(staff, "check_queued", created_minutes_ago=3)
    job(staff, "check_queued", created_minutes_ago=1)

    outcome = services.import_jobs_sweep(now=NOW)

    assert queued_tasks == [("reporting.tasks.check_report_import", lost.pk)]
    assert outcome.requeued == 1


def test_an_import_waits_from_its_confirmation_not_from_its_upload(staff, queued_tasks):
    job(staff, "queued", created_minutes_ago=30, confirmed_minutes_ago=1)
    lost = job(staff, "queued", created_minutes_ago=30, confirmed_minutes_ago=3)

    assert services.import_jobs_sweep(now=NOW).requeued == 1
    assert queued_tasks == [("reporting.tasks.run_report_import", lost.pk)]


def test_a_check_running_past_the_task_time_limit_is_marked_failed(staff, settings, queued_tasks):
    minutes = settings.CELERY_TASK_TIME_LIMIT // 60 + 5
    dead = job(staff, "checking", created_minutes_ago=minutes, started_minutes_ago=minutes)
    alive = job(staff, "checking", created_minutes_ago=3, started_minutes_ago=2)

    outcome = services.import_jobs_sweep(now=NOW)

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert outcome.abandoned == 1
    assert (dead.status, dead.errors, dead.error_count) == (
        "failed",
        ["The check stopped before it finished; nothing was imported. Upload the file again."],
        1,
    )
    assert alive.status == "checking"


def test_finished_jobs_are_left_alone(staff, queued_tasks):
    job(staff, "done", created_minutes_ago=60, started_minutes_ago=60)
    job(staff, "failed", created_minutes_ago=60, started_minutes_ago=60)
    job(staff, "checked", created_minutes_ago=60, started_minutes_ago=60)

    assert services.import_jobs_sweep(now=NOW) == services.ImportJobSweep(0, 0)
    assert queued_tasks == []
