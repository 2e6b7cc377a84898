"""Writes for implementation reports: every form, the admin and the API call these."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import ImplementationReport


@transaction.atomic
def implementation_report_save(*, report: ImplementationReport, by) -> ImplementationReport:
    """Save a report entered or corrected by staff, keeping who entered and who validated it.

    The reporting workflow (drafts, submission, review) builds on this; every entry point
    calls it so that the rules live in one place.
    """
    if report.pk is None and report.submitted_by_id is None:
        report.submitted_by = by
    if report.review_state == ImplementationReport.ReviewState.VALIDATED:
        if report.validated_at is None:
            report.validated_at = timezone.now()
            report.validated_by = by
    else:
        report.validated_at = None
        report.validated_by = None
    report.full_clean()
    report.save()
    return report
