"""E-mail about reports, written to the outbox in the transaction of the change it is about.

So a notification exists if and only if its change committed, and goes out once the broker
and the mail server can be reached (outbox/). Each reads the report afresh: when its review
state does not match (it moved on meanwhile, or a late task runs it), the message no longer
applies and nothing is queued.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.selectors import focal_points_of, secretariat_users
from outbox.services import outbox_enqueue

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


def _queue(template: str, report: ImplementationReport, recipients: list[str]) -> int:
    recipients = [address for address in recipients if address]
    if not recipients:
        return 0
    # In the site's language, as when a worker wrote them, whatever the reviewer's language.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "report": report,
            "link": settings.SITE_URL + reverse("reporting:report_detail", args=[report.pk]),
        }
        subject = render_to_string(f"reporting/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"reporting/email/{template}.txt", context)
    # One message per recipient: staff and focal points never see each other's addresses.
    for address in recipients:
        outbox_enqueue(
            EmailMessage(
                subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
            )
        )
    return len(recipients)


def report_submitted_notify(*, report_id: int) -> int:
    """Tell the Secretariat a report awaits validation; return how many messages were queued."""
    report = _report(report_id)
    if report is None or report.review_state != ReviewState.SUBMITTED:
        return 0
    return _queue("submitted", report, list(secretariat_users().values_list("email", flat=True)))


def report_reviewed_notify(*, report_id: int) -> int:
    """Tell the State's focal points their report was validated, or returned with a comment."""
    report = _report(report_id)
    if report is None or report.review_state not in (ReviewState.VALIDATED, ReviewState.RETURNED):
        return 0
    template = "validated" if report.review_state == ReviewState.VALIDATED else "returned"
    recipients = list(focal_points_of(state_id=report.state_id).values_list("email", flat=True))
    return _queue(template, report, recipients)
