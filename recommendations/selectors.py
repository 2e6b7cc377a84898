"""Reads of recommendations, themes and implementation reports shared by pages and the API.

A State's current status on a recommendation is its latest validated report (newest `as_of`,
then the one recorded last); with none, the status is "no information", which is derived
here and never stored. These selectors annotate it in the database, so a list costs the same
number of queries whatever its length.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from meetings.models import Meeting
from states.models import State

from .models import ImplementationReport, Recommendation, Theme


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
    """The counts the home page leads with, in four queries whatever the data size."""
    by_status = Recommendation.objects.aggregate(
        adopted=Count("pk", filter=Q(status=Recommendation.Status.ADOPTED)),
        draft=Count("pk", filter=Q(status=Recommendation.Status.DRAFT)),
        proposed=Count("pk", filter=Q(status=Recommendation.Status.PROPOSED)),
    )
    states = State.objects.aggregate(
        parties=Count("pk", filter=Q(protocol_status=State.ProtocolStatus.PARTY)),
        total=Count("pk"),
    )
    return {
        **by_status,
        "states_parties_known": states["parties"],
        "states": states["total"],
        "meetings": Meeting.objects.count(),
        "themes": Theme.objects.count(),
    }
