"""The ingest app's background work: a meeting report's check (parse and preview) and its
import, and the sweep that catches up with the jobs a broker or a worker lost.

Each task takes a job's id and calls one service in ingest.import_jobs; each is safe to run
twice, since a run claims its job with one UPDATE.
"""

from __future__ import annotations

from celery import shared_task

from .import_jobs import report_import_check_run, report_import_job_run, report_import_jobs_sweep


@shared_task
def check_meeting_report(job_id: int) -> str:
    """Read an uploaded meeting report and store the preview on its job; returns its status."""
    return report_import_check_run(job_id=job_id).status


@shared_task
def run_meeting_report_import(job_id: int) -> str:
    """Import a confirmed meeting report, all or nothing; returns the job's status."""
    return report_import_job_run(job_id=job_id).status


@shared_task
def sweep_meeting_report_jobs() -> int:
    """Queue again the jobs a broker outage left waiting and fail those a dead worker left
    running (import_jobs.report_import_jobs_sweep); returns how many it touched."""
    outcome = report_import_jobs_sweep()
    return outcome.requeued + outcome.abandoned
