"""The status selectors: a State's current status, derived in the database."""

from __future__ import annotations

import pytest

from reporting.selectors import (
    recommendations_with_state_status,
    states_with_recommendation_status,
)
from tests.factories import (
    ImplementationReportFactory,
    MeetingFactory,
    RecommendationFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


def test_each_recommendation_carries_the_states_latest_validated_status():
    state, meeting = StateFactory(), MeetingFactory()
    reported, silent = (
        RecommendationFactory(meeting=meeting),
        RecommendationFactory(meeting=meeting),
    )
    ImplementationReportFactory(
        state=state, recommendation=reported, status="in_progress", as_of="2023-01-01"
    )
    ImplementationReportFactory(
        state=state, recommendation=reported, status="implemented", as_of="2024-01-01"
    )
    ImplementationReportFactory(  # a draft does not count
        state=state,
        recommendation=silent,
        status="implemented",
        review_state="draft",
        validated_at=None,
    )

    rows = {
        r.pk: r.current_status
        for r in recommendations_with_state_status(
            state=state, recommendations=meeting.recommendations.all()
        )
    }

    assert rows == {reported.pk: "implemented", silent.pk: None}


def test_a_states_status_list_costs_the_same_queries_however_long(django_assert_num_queries):
    state, meeting = StateFactory(), MeetingFactory()
    for _ in range(15):
        ImplementationReportFactory(
            state=state, recommendation=RecommendationFactory(meeting=meeting)
        )
    # 1 recommendations with their annotated status, 1 themes prefetch
    with django_assert_num_queries(2):
        rows = list(
            recommendations_with_state_status(
                state=state, recommendations=meeting.recommendations.all()
            )
        )
    assert {r.current_status for r in rows} == {"implemented"}


def test_every_state_party_is_listed_on_a_recommendation_with_or_without_a_report():
    recommendation = RecommendationFactory()
    party = StateFactory(protocol_status="party")
    non_party_that_reported = StateFactory(protocol_status="not_party")
    silent_non_party = StateFactory(protocol_status="not_party")
    ImplementationReportFactory(state=non_party_that_reported, recommendation=recommendation)

    rows = {
        s.pk: s.current_status
        for s in states_with_recommendation_status(recommendation=recommendation)
    }

    assert rows[party.pk] is None
    assert rows[non_party_that_reported.pk] == "implemented"
    assert silent_non_party.pk not in rows
