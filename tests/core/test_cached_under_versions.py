"""Aggregates kept under a data version (core.data_versions.selectors.cached_under_versions):
made once per change of the data they count, and never served once that data changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.data_versions.models import DataVersion
from core.data_versions.selectors import cached_under_versions
from recommendations.models import Theme
from reporting.filters import StatusMatrixFilter
from states.models import State
from tests.factories import ImplementationReportFactory, RecommendationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings):
    settings.VERSIONED_CACHE_SECONDS = 300
    # A version a month back, so that a write today moves it.
    DataVersion.objects.update_or_create(
        name="recommendations", defaults={"changed_at": timezone.now() - timedelta(days=30)}
    )


def themes_counted() -> int:
    return cached_under_versions("test:themes", ["recommendations"], Theme.objects.count)


def test_without_the_cache_the_aggregate_is_made_each_time_and_no_version_is_read():
    with CaptureQueriesContext(connection) as queries:
        first = themes_counted()
        second = themes_counted()

    assert first == second
    assert len(queries) == 2
    assert not any("data_versions" in q["sql"] for q in queries)


def test_the_aggregate_is_made_once_per_version_and_again_after_a_write(cache_on, committed_write):
    before = themes_counted()
    with CaptureQueriesContext(connection) as queries:
        assert themes_counted() == before
    assert len(queries) == 1  # the versions only

    committed_write(ThemeFactory)

    assert themes_counted() == before + 1


def test_the_states_page_counts_a_new_report_once_it_is_committed(
    client, cache_on, committed_write
):
    report = committed_write(lambda: ImplementationReportFactory(review_state="validated"))
    page = client.get(reverse("states:list"))
    reported = {s.pk: s.recommendations_reported for s in page.context["states"]}

    committed_write(
        lambda: ImplementationReportFactory(
            state=report.state, review_state="validated", status="in_progress"
        )
    )
    again = client.get(reverse("states:list"))

    assert {s.pk: s.recommendations_reported for s in again.context["states"]}[
        report.state.pk
    ] == reported[report.state.pk] + 1


def test_a_themes_counts_follow_a_new_recommendation_once_committed(
    client, cache_on, committed_write
):
    theme = committed_write(ThemeFactory)
    url = f"/api/v1/themes/{theme.slug}/"
    before = client.get(url).json()

    committed_write(lambda: RecommendationFactory(status="adopted", themes=[theme]))
    after = client.get(url).json()

    assert after["adopted_count"] == before["adopted_count"] + 1


def test_each_status_matrix_selection_keeps_its_own_meeting_counts(cache_on, committed_write):
    def pairs(params: dict) -> int:
        filterset = StatusMatrixFilter(params, queryset=State.objects.all())
        assert filterset.is_valid(), filterset.errors
        return len(filterset.qs)

    theme = committed_write(ThemeFactory)
    committed_write(lambda: RecommendationFactory(status="adopted", themes=[theme]))
    every, themed = pairs({}), pairs({"theme": theme.slug})
    assert themed < every
    assert pairs({}) == every and pairs({"theme": theme.slug}) == themed

    committed_write(lambda: RecommendationFactory(status="adopted", themes=[theme]))

    parties = State.objects.parties().count()
    assert pairs({"theme": theme.slug}) == themed + parties
    assert pairs({}) == every + parties
