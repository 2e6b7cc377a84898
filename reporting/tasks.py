"""Reporting's background work: the check and the import of an uploaded spreadsheet, the
sweep of the jobs a broker or worker lost, the removal of spreadsheet uploads checked but
never confirmed, and the notification tasks that queued e-mail before the outbox.

The workflow now writes its notifications to the outbox in its own transaction
(notifications.py); the two notification tasks remain so that any already waiting in a broker
when this changed still do their work, through the outbox. They take ids and read the report
afresh: if its review state has moved on, the message no longer applies and nothing is queued.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.db import transaction

from core.uploads import purge_stale_uploads

from . import notifications
from .services import (
    implementation_reports_import_check,
    implementation_reports_import_run,
    import_jobs_sweep,
)


@shared_task
@transaction.atomic
def notify_report_submitted(report_id: int) -> int:
    """Tell the Secretariat a report awaits validation."""
    return notifications.report_submitted_notify(report_id=report_id)


@shared_task
@transaction.atomic
def notify_report_reviewed(report_id: int) -> int:
    """Tell the State's focal points their report was validated, or returned with a comment."""
    return notifications.report_reviewed_notify(report_id=report_id)


@shared_task
def purge_unconfirmed_imports() -> int:
    """Remove uploaded spreadsheets whose preview was never confirmed and can no longer be."""
    return purge_stale_uploads(
        older_than=datetime.timedelta(seconds=settings.REPORT_IMPORT_PREVIEW_MAX_AGE)
    )


@shared_task
def check_report_import(job_id: int) -> str:
    """Check an uploaded spreadsheet row by row, writing nothing
    (services.implementation_reports_import_check); safe to run twice: a job already claimed
    is left alone. Returns the job's status."""
    return implementation_reports_import_check(job_id=job_id).status


@shared_task
def run_report_import(job_id: int) -> str:
    """Run a confirmed spreadsheet import (services.implementation_reports_import_run); safe
    to run twice: a job already claimed is left alone. Returns the job's status."""
    return implementation_reports_import_run(job_id=job_id).status


@shared_task
def sweep_import_jobs() -> int:
    """Queue again the import jobs (checks and imports) a broker outage left waiting, and
    close those a dead worker left running (services.import_jobs_sweep); returns how many it
    touched."""
    outcome = import_jobs_sweep()
    return outcome.requeued + outcome.abandoned
