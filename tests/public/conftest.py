"""Helpers for the public pages' tests: data that grows, so that query counts can be shown not
to grow with it."""

from __future__ import annotations

import pytest

from recommendations.models import Theme
from states.models import State
from tests.factories import (
    AgendaItemFactory,
    DocumentFactory,
    ImplementationReportFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    RecommendationFactory,
    StateFactory,
    StatementFactory,
)


class Growth:
    """Adds recommendations, States, reports, documents, attendance and statements to one
    meeting (and to the 7th meeting's theme "technology" and to Austria), in batches."""

    def __init__(self) -> None:
        self.meeting = MeetingFactory()
        self.theme = Theme.objects.get(slug="technology")
        self.austria = State.objects.get(code="AUT")
        self.agenda_item = AgendaItemFactory(meeting=self.meeting)
        self.recommendations = []

    def add(self, count: int) -> None:
        for _ in range(count):
            recommendation = RecommendationFactory(
                meeting=self.meeting, agenda_item=self.agenda_item, themes=[self.theme]
            )
            self.recommendations.append(recommendation)
            state = StateFactory()
            ImplementationReportFactory(state=state, recommendation=recommendation)
            ImplementationReportFactory(
                state=self.austria, recommendation=recommendation, status="in_progress"
            )
            DocumentFactory(meeting=self.meeting).themes.add(self.theme)
            ParticipationFactory(meeting=self.meeting, state=state)
            ParticipationFactory(
                meeting=self.meeting,
                state=None,
                organization=OrganizationFactory(),
                capacity="organization_observer",
            )
            StatementFactory(meeting=self.meeting, state=state, agenda_items=[self.agenda_item])
            StatementFactory(
                meeting=self.meeting,
                state=self.austria,
                kind="panel",
                agenda_items=[self.agenda_item],
            )


@pytest.fixture
def growth(wgsom) -> Growth:
    return Growth()
