"""A meeting report's check and import as Celery jobs (ingest.import_jobs): each run claims its
job once, the sweep catches up with jobs a broker or a worker lost, and the stored preview
stays bounded whatever the file holds."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts.models import AuditAction, AuditEvent
from core.uploads import UploadExpired, read_held_upload
from ingest import import_jobs
from ingest.models import ReportImportJob
from ingest.report_parser import ParsedReport, ReportWarning
from ingest.services import ImportChange, ReportImportResult
from recommendations.models import Recommendation

from .documents import tenth_meeting_text

NOW = timezone.make_aware(datetime.datetime(2026, 12, 7, 12, 0))


@pytest.fixture
def queued_tasks(monkeypatch):
    """The tasks the sweep queues, instead of queuing them."""
    sent: list[tuple] = []
    monkeypatch.setattr(
        import_jobs, "enqueue", lambda name, *args, **kwargs: sent.append((name, *args)) or True
    )
    return sent


def created(
    staff, *, content: bytes = b"", minutes_ago: int | None = None, **fields
) -> ReportImportJob:
    """A job as a request creates it (its file held), its task not run, then moved in time."""
    job = import_jobs.report_import_job_create(
        by=staff,
        content=content or tenth_meeting_text().encode(),
        filename="tenth.txt",
        meeting_ordinal=None,
        update=False,
        language="en",
    )
    if minutes_ago is not None:
        fields["created_at"] = NOW - datetime.timedelta(minutes=minutes_ago)
    ReportImportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def held(job: ReportImportJob) -> bool:
    try:
        import_jobs._read(job)
    except UploadExpired:
        return False
    return True


# --- each run claims its job once ------------------------------------------------------------


def test_a_check_delivered_twice_reads_the_file_once(wgsom, staff, monkeypatch):
    job = created(staff)
    reads: list[str] = []
    real = import_jobs.report_read
    monkeypatch.setattr(
        import_jobs, "report_read", lambda **kwargs: reads.append("read") or real(**kwargs)
    )

    import_jobs.report_import_check_run(job_id=job.pk)
    again = import_jobs.report_import_check_run(job_id=job.pk)

    assert reads == ["read"]
    assert again.status == "checked"
    assert again.preview["meeting_ordinal"] == 10
    assert held(again), "kept for the import"


def test_an_import_delivered_twice_imports_once_and_discards_the_file(wgsom, staff):
    job = created(staff)
    import_jobs.report_import_check_run(job_id=job.pk)
    import_jobs.report_import_job_confirm(job_id=job.pk, by=staff, aliases={})
    token = ReportImportJob.objects.get(pk=job.pk).upload_token

    first = import_jobs.report_import_job_run(job_id=job.pk)
    second = import_jobs.report_import_job_run(job_id=job.pk)

    assert (first.status, second.status) == ("done", "done")
    assert first.result["counts"]["created"] == 152
    assert Recommendation.objects.filter(meeting__ordinal=10).count() == 22
    assert AuditEvent.objects.filter(action=AuditAction.MEETING_REPORT_IMPORTED).count() == 1
    with pytest.raises(UploadExpired):
        read_held_upload(token=token, owner_id=staff.pk, salt=import_jobs._UPLOAD_SALT, max_age=60)


def test_an_import_that_fails_writes_nothing_and_says_why(wgsom, staff, monkeypatch):
    job = created(staff)
    import_jobs.report_import_check_run(job_id=job.pk)
    import_jobs.report_import_job_confirm(job_id=job.pk, by=staff, aliases={})

    def broken(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(import_jobs, "report_import", broken)
    failed = import_jobs.report_import_job_run(job_id=job.pk)

    assert failed.status == "failed"
    assert failed.errors == ["The report could not be read or imported; nothing was imported."]
    assert failed.upload_token == ""
    assert not Recommendation.objects.filter(meeting__ordinal=10).exists()


def test_a_job_is_read_in_the_uploaders_language(wgsom, staff):
    job = created(staff)
    ReportImportJob.objects.filter(pk=job.pk).update(language="fr")

    checked = import_jobs.report_import_check_run(job_id=job.pk)

    assert checked.preview["meeting"] == "10e réunion (2031)"


# --- the sweep --------------------------------------------------------------------------------


def test_the_sweep_queues_again_a_check_the_broker_lost(staff, db, queued_tasks):
    lost = created(staff, minutes_ago=3)
    created(staff, minutes_ago=1)  # may still be on its way to a worker

    outcome = import_jobs.report_import_jobs_sweep(now=NOW)

    assert queued_tasks == [("ingest.tasks.check_meeting_report", lost.pk)]
    assert (outcome.requeued, outcome.abandoned) == (1, 0)


def test_the_sweep_queues_again_an_import_the_broker_lost(staff, db, queued_tasks):
    lost = created(
        staff,
        minutes_ago=10,
        status="confirmed",
        confirmed_at=NOW - datetime.timedelta(minutes=5),
    )

    import_jobs.report_import_jobs_sweep(now=NOW)

    assert queued_tasks == [("ingest.tasks.run_meeting_report_import", lost.pk)]


def test_a_lost_job_queued_again_is_checked_by_the_task(wgsom, staff):
    lost = created(staff, minutes_ago=3)

    import_jobs.report_import_jobs_sweep(now=NOW)

    lost.refresh_from_db()
    assert lost.status == "checked"


def test_the_sweep_fails_a_job_a_dead_worker_left_running(staff, db, settings, queued_tasks):
    minutes = settings.CELERY_TASK_TIME_LIMIT // 60 + 5
    dead = created(
        staff,
        minutes_ago=minutes,
        status="importing",
        started_at=NOW - datetime.timedelta(minutes=minutes),
    )
    alive = created(
        staff, minutes_ago=3, status="checking", started_at=NOW - datetime.timedelta(minutes=2)
    )
    assert held(dead)

    outcome = import_jobs.report_import_jobs_sweep(now=NOW)

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert outcome.abandoned == 1
    assert (dead.status, dead.upload_token) == ("failed", "")
    assert dead.errors == ["The work stopped before it finished; nothing was imported. Try again."]
    assert alive.status == "checking"
    assert queued_tasks == []


def test_beat_runs_the_sweep_every_five_minutes(db):
    task = PeriodicTask.objects.get(task="ingest.tasks.sweep_meeting_report_jobs")
    assert task.enabled
    assert task.crontab.minute == "*/5"


# --- the stored preview stays small ----------------------------------------------------------


def test_the_stored_preview_keeps_a_bounded_number_of_changes_and_warnings(monkeypatch):
    monkeypatch.setattr(import_jobs, "PREVIEW_MAX_CHANGES", 3)
    monkeypatch.setattr(import_jobs, "PREVIEW_MAX_WARNINGS", 2)
    report = ParsedReport(warnings=[ReportWarning(f"line {n}", "a gap") for n in range(5)])
    result = ReportImportResult(
        meeting_ordinal=10,
        meeting="10th meeting (2031)",
        changes=[ImportChange("statement", f"Statement {n}", "created") for n in range(10)],
    )

    preview = import_jobs.preview_snapshot(report, result)

    assert len(preview["changes"]) == 3 and preview["changes_left_out"] == 7
    assert preview["warnings"] == ["line 0: a gap", "line 1: a gap"]
    assert preview["warnings_left_out"] == 3
