"""Celery tasks for compliance summaries: the snapshot refresh and the weekly reminders.

Both are scheduled by django-celery-beat (rows created by migration 0002, editable in the
admin) and are safe to run twice: a snapshot with unchanged figures writes nothing, and a
State already reminded this week is skipped. They acknowledge late (a worker that dies
mid-task leaves the message to another), retry with exponential back-off on database errors,
and stop at their time limits, rolling back what they had not committed.
"""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import services

_RELIABLE = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "retry_backoff": True,
    "retry_backoff_max": settings.COMPLIANCE_TASK_RETRY_BACKOFF_MAX,
    "retry_jitter": True,
    "max_retries": settings.COMPLIANCE_TASK_MAX_RETRIES,
}


@shared_task(
    name="compliance.tasks.refresh_snapshot",
    autoretry_for=(OperationalError, InterfaceError),
    soft_time_limit=settings.COMPLIANCE_SNAPSHOT_SOFT_TIME_LIMIT,
    time_limit=settings.COMPLIANCE_SNAPSHOT_TIME_LIMIT,
    **_RELIABLE,
)
def refresh_snapshot(*, trigger: str = "scheduled", force: bool = False) -> int | None:
    """Compute a compliance snapshot; return its number if one was written, else None.
    The nightly (scheduled) run then prunes the snapshots past keeping."""
    outcome = services.compliance_snapshot_compute(trigger=trigger, force=force)
    if trigger == "scheduled":
        services.compliance_snapshots_prune()
    return outcome.snapshot.sequence if outcome.written else None


@shared_task(
    name="compliance.tasks.send_reminders",
    autoretry_for=(
        OperationalError,
        InterfaceError,
        services.ReminderDeliveryError,
        smtplib.SMTPException,
        ConnectionError,
    ),
    **_RELIABLE,
)
def send_reminders() -> int:
    """E-mail this week's reminders to focal points; return how many States were reminded."""
    return services.compliance_reminders_send().sent


@shared_task(
    name="compliance.tasks.generate_secretariat_report",
    autoretry_for=(OperationalError, InterfaceError),
    # Laying out a report takes seconds to a minute; far past that something is wrong.
    soft_time_limit=min(300, settings.CELERY_TASK_SOFT_TIME_LIMIT),
    time_limit=min(360, settings.CELERY_TASK_TIME_LIMIT),
    **_RELIABLE,
)
def generate_secretariat_report(document_id: int) -> str:
    """Build the PDF and Word files of a Secretariat report; return its status. A report
    already built is left as it is."""
    return services.secretariat_report_generate(document_id=document_id).status
