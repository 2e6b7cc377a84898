"""Reporting's background work: e-mail about reports, sent by Celery once the write that caused
it has committed, and the removal of spreadsheet uploads previewed but never confirmed.

Tasks take ids and read the report afresh: if its review state has moved on by the time the
task runs, the message no longer applies and nothing is sent. Running a task twice sends the
message twice and changes nothing else.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.selectors import focal_points_of, secretariat_users
from core.uploads import purge_stale_uploads

from .models import ImplementationReport

ReviewState = ImplementationReport.ReviewState


def _report(report_id: int) -> ImplementationReport | None:
    return (
        ImplementationReport.objects.select_related(
            "state", "recommendation__meeting", "submitted_by", "validated_by"
        )
        .filter(pk=report_id)
        .first()
    )


def _send(template: str, report: ImplementationReport, recipients: list[str]) -> int:
    if not recipients:
        return 0
    context = {
        "report": report,
        "link": settings.SITE_URL + reverse("reporting:report_detail", args=[report.pk]),
    }
    subject = render_to_string(f"reporting/email/{template}_subject.txt", context)
    body = render_to_string(f"reporting/email/{template}.txt", context)
    # One message per recipient: staff and focal points never see each other's addresses.
    messages = [
        (subject.strip(), body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients
    ]
    return send_mass_mail(messages)


@shared_task
def notify_report_submitted(report_id: int) -> int:
    """Tell the Secretariat a report awaits validation."""
    report = _report(report_id)
    if report is None or report.review_state != ReviewState.SUBMITTED:
        return 0
    return _send("submitted", report, list(secretariat_users().values_list("email", flat=True)))


@shared_task
def notify_report_reviewed(report_id: int) -> int:
    """Tell the State's focal points their report was validated, or returned with a comment."""
    report = _report(report_id)
    if report is None or report.review_state not in (ReviewState.VALIDATED, ReviewState.RETURNED):
        return 0
    template = "validated" if report.review_state == ReviewState.VALIDATED else "returned"
    recipients = list(focal_points_of(state_id=report.state_id).values_list("email", flat=True))
    return _send(template, report, recipients)


@shared_task
def purge_unconfirmed_imports() -> int:
    """Remove uploaded spreadsheets whose preview was never confirmed and can no longer be."""
    return purge_stale_uploads(
        older_than=datetime.timedelta(seconds=settings.REPORT_IMPORT_PREVIEW_MAX_AGE)
    )
