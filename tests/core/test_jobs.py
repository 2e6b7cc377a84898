"""The mechanics every Celery-run job shares (core.jobs): a worker claims its job with one
conditional UPDATE, so a task delivered twice runs once; the sweep queues again the jobs a
broker lost and fails those a dead worker left running, and leaves the others alone.

Shown on the spreadsheet import job; the meeting report import job uses the same helpers."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.jobs import SweepOutcome, claim, sweep
from reporting.models import ImportJob

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 12, 7, 12, 0))
Status = ImportJob.Status


def job(staff, status: str, **minutes_ago: int) -> ImportJob:
    """A job in `status`, its times (created_at=…, started_at=…) so many minutes before NOW."""
    made = ImportJob.objects.create(created_by=staff, filename="reports.csv", status=status)
    ImportJob.objects.filter(pk=made.pk).update(
        **{field: NOW - datetime.timedelta(minutes=m) for field, m in minutes_ago.items()}
    )
    made.refresh_from_db()
    return made


# --- claim ------------------------------------------------------------------------------------


def test_a_job_is_claimed_once_however_often_its_task_is_delivered(
    staff, django_assert_max_num_queries
):
    queued = job(staff, Status.QUEUED)

    with django_assert_max_num_queries(1):
        first = claim(ImportJob, queued.pk, Status.QUEUED, Status.RUNNING, started_at=NOW)
    second = claim(ImportJob, queued.pk, Status.QUEUED, Status.RUNNING, started_at=NOW)

    queued.refresh_from_db()
    assert (first, second) == (True, False)
    assert (queued.status, queued.started_at) == (Status.RUNNING, NOW)


def test_a_job_in_another_status_is_not_claimed(staff):
    done = job(staff, Status.DONE)

    assert not claim(ImportJob, done.pk, Status.QUEUED, Status.RUNNING)
    done.refresh_from_db()
    assert done.status == Status.DONE


def test_a_job_is_claimed_from_any_of_several_statuses(staff):
    checking = job(staff, Status.CHECKING)

    assert claim(ImportJob, checking.pk, [Status.CHECKING, Status.RUNNING], Status.FAILED)
    checking.refresh_from_db()
    assert checking.status == Status.FAILED


def test_a_claim_through_a_queryset_finds_only_the_jobs_it_holds(staff, reader):
    queued = job(staff, Status.QUEUED)
    others = ImportJob.objects.filter(created_by=reader)

    assert not claim(others, queued.pk, Status.QUEUED, Status.RUNNING)
    assert claim(ImportJob.objects.filter(created_by=staff), queued.pk, Status.QUEUED, "running")


# --- sweep ------------------------------------------------------------------------------------


def swept(*, requeue=None, release=None) -> SweepOutcome:
    return sweep(
        ImportJob,
        queued={Status.CHECK_QUEUED: "created_at", Status.QUEUED: "confirmed_at"},
        running={Status.CHECKING: "The check stopped.", Status.RUNNING: "The import stopped."},
        requeue_after=datetime.timedelta(minutes=2),
        abandon_after=datetime.timedelta(minutes=30),
        requeue=requeue or (lambda status, pk: True),
        failed_status=Status.FAILED,
        release=release,
        now=NOW,
        error_count=1,
    )


def test_the_sweep_queues_again_the_jobs_waiting_too_long_and_leaves_fresh_ones(staff):
    lost_check = job(staff, Status.CHECK_QUEUED, created_at=3)
    job(staff, Status.CHECK_QUEUED, created_at=1)
    lost_import = job(staff, Status.QUEUED, created_at=60, confirmed_at=3)
    job(staff, Status.QUEUED, created_at=60, confirmed_at=1)
    requeued: list[tuple[str, int]] = []

    outcome = swept(requeue=lambda status, pk: requeued.append((status, pk)) or True)

    assert sorted(requeued) == sorted(
        [(Status.CHECK_QUEUED, lost_check.pk), (Status.QUEUED, lost_import.pk)]
    )
    assert outcome == SweepOutcome(requeued=2, abandoned=0)


def test_a_job_the_broker_still_refuses_is_not_counted_and_waits_for_the_next_sweep(staff):
    lost = job(staff, Status.CHECK_QUEUED, created_at=10)

    assert swept(requeue=lambda status, pk: False).requeued == 0
    lost.refresh_from_db()
    assert lost.status == Status.CHECK_QUEUED


def test_the_sweep_fails_the_jobs_running_too_long_with_their_status_message(staff):
    dead_check = job(staff, Status.CHECKING, created_at=90, started_at=60)
    dead_import = job(staff, Status.RUNNING, created_at=90, started_at=45)
    alive = job(staff, Status.RUNNING, created_at=20, started_at=10)
    released: list[int] = []

    outcome = swept(release=lambda job: released.append(job.pk))

    for stale in (dead_check, dead_import, alive):
        stale.refresh_from_db()
    assert outcome == SweepOutcome(requeued=0, abandoned=2)
    assert (dead_check.status, dead_check.errors, dead_check.error_count) == (
        Status.FAILED,
        ["The check stopped."],
        1,
    )
    assert (dead_import.status, dead_import.errors, dead_import.finished_at) == (
        Status.FAILED,
        ["The import stopped."],
        NOW,
    )
    assert alive.status == Status.RUNNING
    assert sorted(released) == sorted([dead_check.pk, dead_import.pk])


def test_the_sweep_leaves_finished_jobs_alone(staff):
    for status in (Status.CHECKED, Status.DONE, Status.FAILED):
        job(staff, status, created_at=90, started_at=60)
    requeued: list[tuple[str, int]] = []

    assert swept(requeue=lambda status, pk: requeued.append((status, pk)) or True) == (
        SweepOutcome(0, 0)
    )
    assert requeued == []


def test_a_sweep_with_nothing_to_do_reads_each_kind_of_job_once(
    staff, django_assert_max_num_queries
):
    # Two waiting statuses, two running statuses with their own message: four reads.
    with django_assert_max_num_queries(4):
        swept()
