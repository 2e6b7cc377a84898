"""Reads of recommendations, themes and implementation reports shared by pages and the API.

A State's current status on a recommendation is its latest validated report (newest `as_of`,
then the one recorded last); with none, the status is "no information", which is derived
here and never stored. These selectors annotate it in the database, so a list costs the same
number of queries whatever its length.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from meetings.models import Meeting
from states.models import State

from .models import (
    NO_INFORMATION,
    ImplementationReport,
    ImplementationStatus,
    Recommendation,
    Theme,
)


def _latest_validated(**filters) -> QuerySet[ImplementationReport]:
    return ImplementationReport.objects.validated().filter(**filters).order_by("-as_of", "-pk")[:1]


def _annotate_current(queryset: QuerySet, latest: QuerySet[ImplementationReport]) -> QuerySet:
    return queryset.annotate(
        current_status=Subquery(latest.values("status")),
        current_as_of=Subquery(latest.values("as_of")),
        current_source=Subquery(latest.values("source")),
        current_report_id=Subquery(latest.values("pk")),
    )


def recommendations_with_state_status(
    *, state: State, recommendations: QuerySet[Recommendation] | None = None
) -> QuerySet[Recommendation]:
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


def headline_figures() -> dict[str, int]:
    """The counts the home page leads with, in four queries whatever the data size.

    `adopted_implemented_somewhere`: adopted recommendations that at least one State currently
    reports implementing, fully or partly (its latest validated report says so);
    `states_reported`: States with at least one validated report.
    """
    implementing = ImplementationReport.objects.current().filter(
        recommendation=OuterRef("pk"),
        status__in=[
            ImplementationStatus.IMPLEMENTED,
            ImplementationStatus.PARTIALLY_IMPLEMENTED,
        ],
    )
    by_status = Recommendation.objects.aggregate(
        adopted=Count("pk", filter=Q(status=Recommendation.Status.ADOPTED)),
        draft=Count("pk", filter=Q(status=Recommendation.Status.DRAFT)),
        proposed=Count("pk", filter=Q(status=Recommendation.Status.PROPOSED)),
        adopted_implemented_somewhere=Count(
            "pk", filter=Q(status=Recommendation.Status.ADOPTED) & Q(Exists(implementing))
        ),
    )
    reported = ImplementationReport.objects.validated().filter(state=OuterRef("pk"))
    states = State.objects.aggregate(
        parties=Count("pk", filter=Q(protocol_status=State.ProtocolStatus.PARTY)),
        total=Count("pk"),
        reported=Count("pk", filter=Q(Exists(reported))),
    )
    return {
        **by_status,
        "states_parties_known": states["parties"],
        "states": states["total"],
        "states_reported": states["reported"],
        "meetings": Meeting.objects.count(),
        "themes": Theme.objects.count(),
    }


# --- Public site (issue 3): the public pages and their downloads ----------------------------

IMPLEMENTING_STATUSES = (
    ImplementationStatus.IMPLEMENTED,
    ImplementationStatus.PARTIALLY_IMPLEMENTED,
)
# The scorecard's columns, in the order the page shows them; "no information" is derived.
STATUS_COLUMNS = (*ImplementationStatus.values, NO_INFORMATION)


def recommendation_list() -> QuerySet[Recommendation]:
    """The recommendations of the public list, before its filters, and of its downloads.

    One plan for the page and the CSV/XLSX files, so a download holds exactly the rows the page
    shows: meeting, agenda item, proposer and what a proposal became are joined, themes
    prefetched (2 queries for any number of rows).
    """
    return Recommendation.objects.select_related(
        "meeting", "agenda_item", "proposer", "adopted_as__meeting"
    ).prefetch_related("themes")


def recommendation_for_page() -> QuerySet[Recommendation]:
    """Recommendations with what their own page shows beside the text: the agenda item and its
    parent, the proposer, what a proposal became, themes and the proposals that led to it."""
    return Recommendation.objects.select_related(
        "meeting", "agenda_item__parent", "proposer", "adopted_as__meeting"
    ).prefetch_related(
        "themes",
        Prefetch(
            "proposals",
            queryset=Recommendation.objects.select_related("proposer", "meeting").order_by("order"),
        ),
    )


def recommendation_change_history(*, recommendation: Recommendation, limit: int = 20) -> list:
    """The newest audit records of a recommendation (django-simple-history, at most `limit`),
    each with `changed_fields`: the verbose names of the fields that differ from the record
    before it; saves that changed none of them are left out.

    One query. The diff is computed here, not with `diff_against`, which would query the
    themes' history once per record: theme tagging is therefore not part of this list.
    The user who made a change is not read: the public page does not name staff.
    """
    tracked = [
        f
        for f in Recommendation._meta.concrete_fields
        if f.name not in {"id", "created_at", "updated_at", "loaded_checksum", "version"}
    ]
    records = list(recommendation.history.order_by("-history_date", "-history_id")[: limit + 1])
    shown = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        newer.changed_fields = []
        if older is not None:
            newer.changed_fields = [
                str(f.verbose_name)
                for f in tracked
                if getattr(newer, f.attname, None) != getattr(older, f.attname, None)
            ]
        # A save that changed nothing a reader sees (a reload's checksum) is not a change.
        if newer.history_type == "~" and older is not None and not newer.changed_fields:
            continue
        shown.append(newer)
    return shown[:limit]


def tally_statuses(rows, *, key, status=lambda row: row.current_status) -> dict:
    """Counts of statuses per `key(row)`, the status read by `status(row)` (by default the
    `current_status` annotation; None is "no information"). Plain Python over rows already
    read, so no query; keys keep the order they are first met in."""
    tallies: dict = {}
    for row in rows:
        counts = tallies.setdefault(key(row), dict.fromkeys(STATUS_COLUMNS, 0))
        counts[status(row) or NO_INFORMATION] += 1
    return tallies


def themes_with_counts() -> QuerySet[Theme]:
    """Themes with how many recommendations (by status) and documents each holds, one query."""
    status = "recommendations__status"
    return Theme.objects.annotate(
        adopted_count=Count(
            "recommendations", filter=Q(**{status: Recommendation.Status.ADOPTED}), distinct=True
        ),
        draft_count=Count(
            "recommendations", filter=Q(**{status: Recommendation.Status.DRAFT}), distinct=True
        ),
        proposed_count=Count(
            "recommendations", filter=Q(**{status: Recommendation.Status.PROPOSED}), distinct=True
        ),
        document_count=Count("documents", distinct=True),
    )


def theme_recommendations(*, theme: Theme) -> QuerySet[Recommendation]:
    """A theme's recommendations across meetings, oldest meeting first, in report order."""
    return (
        theme.recommendations.select_related("meeting", "agenda_item", "proposer")
        .prefetch_related("themes")
        .order_by("meeting__ordinal", "status", "order")
    )


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


# --- Implementation reporting (issue 4) ---------------------------------------------------


def status_history(*, state=None, recommendation=None) -> QuerySet[ImplementationReport]:
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


def reports_visible_to(user) -> QuerySet[ImplementationReport]:
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
        visible |= Q(state_id=user.state_id)
    return reports.filter(visible)
