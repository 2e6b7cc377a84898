"""Reads of implementation reports and current statuses shared by pages and the API.

A State's current status on a recommendation is its latest validated report (newest `as_of`,
then the one recorded last); with none, the status is "no information", which is derived
here and never stored. These selectors annotate it in the database, so a list costs the same
number of queries whatever its length. The reporting pages' reads follow them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from core.statuses import NO_INFORMATION, NO_INFORMATION_LABEL, STATUS_COLUMNS, ImplementationStatus
from recommendations.models import Recommendation
from states.models import State

from .models import ImplementationReport, ReportAttachment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

ReviewState = ImplementationReport.ReviewState


def _latest_validated(**filters: Any) -> QuerySet[ImplementationReport]:
    return ImplementationReport.objects.validated().filter(**filters).order_by("-as_of", "-pk")[:1]


def _annotate_current(
    queryset: QuerySet[Any], latest: QuerySet[ImplementationReport]
) -> QuerySet[Any]:
    # The annotations make rows the stubs cannot name (see the docstring below).
    return queryset.annotate(  # type: ignore[no-any-return]
        current_status=Subquery(latest.values("status")),
        current_as_of=Subquery(latest.values("as_of")),
        current_source=Subquery(latest.values("source")),
        current_report_id=Subquery(latest.values("pk")),
    )


def recommendations_with_state_status(
    *, state: State, recommendations: QuerySet[Recommendation] | None = None
) -> QuerySet[Any]:  # Recommendation rows with the annotations below
    """Recommendations, each annotated with `state`'s current status.

    Annotations: `current_status` (None means no information), `current_as_of`,
    `current_source`, `current_report_id`. Defaults to the adopted recommendations.
    """
    if recommendations is None:
        recommendations = Recommendation.objects.filter(status=Recommendation.Status.ADOPTED)
    latest = _latest_validated(state=state, recommendation=OuterRef("pk"))
    return _annotate_current(
        recommendations.select_related("meeting", "agenda_item").prefetch_related("themes"),
        latest,
    )


def states_with_recommendation_status(*, recommendation: Recommendation) -> QuerySet[State]:
    """The States parties, and any other State with a validated report on `recommendation`,
    each annotated with its current status on it (same annotations as above)."""
    reported = ImplementationReport.objects.validated().filter(
        state=OuterRef("pk"), recommendation=recommendation
    )
    latest = _latest_validated(state=OuterRef("pk"), recommendation=recommendation)
    states = State.objects.filter(
        Q(protocol_status=State.ProtocolStatus.PARTY) | Exists(reported)
    ).select_related("regional_group")
    return _annotate_current(states, latest)


def tally_statuses(
    rows: Iterable[Any],
    *,
    key: Callable[[Any], Any],
    status: Callable[[Any], str | None] = lambda row: row.current_status,
) -> dict[Any, dict[str, int]]:
    """Counts of statuses per `key(row)`, the status read by `status(row)` (by default the
    `current_status` annotation; None is "no information"). Plain Python over rows already
    read, so no query; keys keep the order they are first met in."""
    tallies: dict[Any, dict[str, int]] = {}
    for row in rows:
        counts = tallies.setdefault(key(row), dict.fromkeys(STATUS_COLUMNS, 0))
        counts[status(row) or NO_INFORMATION] += 1
    return tallies


def latest_validated_reports(*, limit: int = 10) -> QuerySet[ImplementationReport]:
    """The most recently validated reports, for the dashboard (one query)."""
    return (
        ImplementationReport.objects.validated()
        .select_related("state", "recommendation__meeting")
        .order_by("-validated_at", "-pk")[:limit]
    )


def demonstration_data_present() -> bool:
    """Whether any validated report is synthetic (load_demo_reports): pages showing statuses
    then carry the demonstration banner. One query."""
    return ImplementationReport.objects.validated().filter(is_demonstration=True).exists()


def status_history(
    *, state: State | None = None, recommendation: Recommendation | None = None
) -> QuerySet[ImplementationReport]:
    """Validated reports, newest first: what the public State and recommendation pages list.

    Drafts, submissions and returned reports are never part of it. Joins are in place
    (State and its regional group, recommendation and its meeting, the meeting a national
    statement was made at, what each report superseded), so a page costs one query.
    """
    reports = ImplementationReport.objects.validated()
    if state is not None:
        reports = reports.filter(state=state)
    if recommendation is not None:
        reports = reports.filter(recommendation=recommendation)
    return reports.select_related(
        "state__regional_group", "recommendation__meeting", "source_meeting", "supersedes"
    ).order_by("-as_of", "-validated_at", "-pk")


def reports_visible_to(user: User | AnonymousUser) -> QuerySet[ImplementationReport]:
    """The reports `user` may read (the rules of recommendations/permissions.py, as a query).

    The public reads validated reports; a focal point also its own State's unpublished
    reports; Secretariat staff read everything.
    """
    reports = ImplementationReport.objects.select_related(
        "state__regional_group", "recommendation__meeting", "source_meeting"
    )
    if getattr(user, "is_secretariat", False):
        return reports
    visible = Q(review_state=ImplementationReport.ReviewState.VALIDATED)
    if getattr(user, "is_focal_point", False):
        visible |= Q(state_id=user.state_id)  # type: ignore[union-attr]  # only a User is one
    return reports.filter(visible)


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


def report_steps(*, report: ImplementationReport) -> QuerySet[Any]:  # simple_history rows
    """Every recorded change of a report, newest first, with who made it (simple-history)."""
    return report.history.select_related("history_user").order_by("-history_date", "-history_id")  # type: ignore[no-any-return]  # simple_history is untyped


def attachment_for_download() -> QuerySet[ReportAttachment]:
    return ReportAttachment.objects.select_related("report")
