"""Reads of recommendations, themes and implementation reports shared by pages and the API."""

from __future__ import annotations

from django.db.models import Count, Q

from meetings.models import Meeting
from states.models import State

from .models import Recommendation, Theme


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
