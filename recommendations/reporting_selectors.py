"""Reads for the reporting pages: a State's reporting overview, the review queue, a report.

Each returns a queryset (or a small structure built from a fixed number of queries) with its
joins in place, so a page costs the same number of queries whatever the amount of data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from states.models import State

from .models import (
    NO_INFORMATION,
    NO_INFORMATION_LABEL,
    ImplementationReport,
    ImplementationStatus,
    Recommendation,
    ReportAttachment,
)
from .selectors import recommendations_with_state_status

ReviewState = ImplementationReport.ReviewState
OPEN_STATES = (ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED)


def open_reports(*, state: State) -> QuerySet[ImplementationReport]:
    """A State's reports not yet validated (its work in progress), newest change first."""
    return (
        ImplementationReport.objects.filter(state=state, review_state__in=OPEN_STATES)
        .select_related("recommendation__meeting", "submitted_by")
        .order_by("-updated_at", "-pk")
    )


@dataclass(frozen=True)
class ReportingRow:
    recommendation: Recommendation
    status: str  # an ImplementationStatus value, or NO_INFORMATION
    status_label: str
    open_reports: list[ImplementationReport]


def state_reporting_rows(*, state: State) -> list[ReportingRow]:
    """Every adopted recommendation with `state`'s published status and its open reports.

    Three queries whatever the size: the recommendations annotated with the status, their
    themes (prefetched), and the State's open reports, matched up here.
    """
    labels = dict(ImplementationStatus.choices)
    by_recommendation: dict[int, list[ImplementationReport]] = {}
    for report in open_reports(state=state):
        by_recommendation.setdefault(report.recommendation_id, []).append(report)
    return [
        ReportingRow(
            recommendation=recommendation,
            status=recommendation.current_status or NO_INFORMATION,
            status_label=str(labels.get(recommendation.current_status, NO_INFORMATION_LABEL)),
            open_reports=by_recommendation.get(recommendation.pk, []),
        )
        for recommendation in recommendations_with_state_status(state=state)
    ]


def review_queue() -> QuerySet[ImplementationReport]:
    """Reports submitted for validation, the longest waiting first, with attachment counts."""
    return (
        ImplementationReport.objects.filter(review_state=ReviewState.SUBMITTED)
        .select_related("state__regional_group", "recommendation__meeting", "submitted_by")
        .annotate(attachment_count=Count("attachments"))
        .order_by("updated_at", "pk")
    )


def report_for_page() -> QuerySet[ImplementationReport]:
    """A report with everything its page shows: relations, attachments and their uploaders."""
    return ImplementationReport.objects.select_related(
        "state__regional_group",
        "recommendation__meeting",
        "source_meeting",
        "submitted_by",
        "validated_by",
        "supersedes",
    ).prefetch_related(
        Prefetch(
            "attachments",
            queryset=ReportAttachment.objects.select_related("uploaded_by"),
        )
    )


def report_steps(*, report: ImplementationReport) -> QuerySet:
    """Every recorded change of a report, newest first, with who made it (simple-history)."""
    return report.history.select_related("history_user").order_by("-history_date", "-history_id")


def attachment_for_download() -> QuerySet[ReportAttachment]:
    return ReportAttachment.objects.select_related("report")
