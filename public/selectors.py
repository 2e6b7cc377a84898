"""Reads that only the public pages make, across apps."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q

from core.statuses import ImplementationStatus
from meetings.models import Meeting
from recommendations.models import Recommendation, Theme
from reporting.models import CurrentStatus
from states.models import State


def headline_figures() -> dict[str, int]:
    """The counts the home page leads with, in four queries whatever the data size.

    `adopted_implemented_somewhere`: adopted recommendations that at least one State currently
    reports implementing, fully or partly (its latest validated report says so);
    `states_reported`: States with at least one validated report.
    """
    implementing = CurrentStatus.objects.filter(
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
    # A State with a validated report has a current one: a row of CurrentStatus.
    reported = CurrentStatus.objects.filter(state=OuterRef("pk"))
    states = State.objects.aggregate(
        total=Count("pk"),
        reported=Count("pk", filter=Q(Exists(reported))),
    )
    return {
        **by_status,
        "states": states["total"],
        "states_reported": states["reported"],
        "meetings": Meeting.objects.count(),
        "themes": Theme.objects.count(),
    }
