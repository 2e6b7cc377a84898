"""What the API's lists count, and at what cost: `count` stays exact, read the cheap way where
there is one, and no list of States reads the implementation reports."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.models import Recommendation, Theme
from tests.factories import ImplementationReportFactory, RecommendationFactory

pytestmark = pytest.mark.usefixtures("wgsom")

RECOMMENDATIONS = "/api/v1/recommendations/"


def _count_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


def test_a_list_filtered_by_theme_alone_is_counted_in_the_link_table(api):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(RECOMMENDATIONS, {"theme": "technology", "page_size": 2})

    expected = Recommendation.objects.filter(themes__slug="technology").count()
    assert response.json()["count"] == expected
    assert len(response.json()["results"]) == 2
    (count,) = _count_queries(queries)
    assert "recommendations_recommendation_themes" in count
    assert 'FROM "recommendations_recommendation" ' not in count


def test_a_list_filtered_by_theme_and_more_is_counted_over_its_query(api):
    params = {"theme": "technology", "status": "adopted", "meeting": 7}

    response = api.get(RECOMMENDATIONS, params)

    expected = Recommendation.objects.filter(
        themes__slug="technology", status="adopted", meeting__ordinal=7
    ).count()
    assert response.json()["count"] == expected
    assert expected < Recommendation.objects.filter(themes__slug="technology").count()


def test_the_theme_count_follows_new_links(api, django_assert_num_queries):
    theme = Theme.objects.get(slug="technology")
    before = api.get(RECOMMENDATIONS, {"theme": "technology"}).json()["count"]
    RecommendationFactory.create_batch(3, themes=[theme])

    # 1 the theme named (filter), 1 newest change, 1 count in the link table, 1 page, 1 themes
    with django_assert_num_queries(5):
        response = api.get(RECOMMENDATIONS, {"theme": "technology", "ordering": "-meeting"})

    assert response.json()["count"] == before + 3


def test_an_unknown_theme_is_still_a_400_naming_it(api):
    response = api.get(RECOMMENDATIONS, {"theme": "no-such-theme"})

    assert response.status_code == 400
    assert "theme" in response.json()["errors"]


def test_the_state_list_never_reads_the_implementation_reports(api, state_a):
    recommendation = Recommendation.objects.filter(status="adopted").first()
    ImplementationReportFactory(state=state_a, recommendation=recommendation)

    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/states/", {"page_size": 500})

    assert response.status_code == 200
    assert not [q for q in queries if "reporting_" in q["sql"]]


@pytest.fixture
def counts_cached(settings):
    settings.VERSIONED_CACHE_SECONDS = 300


def test_the_next_page_of_a_list_reuses_its_count_until_the_data_change(
    api, counts_cached, django_capture_on_commit_callbacks
):
    with CaptureQueriesContext(connection) as first:
        one = api.get(RECOMMENDATIONS, {"status": "adopted", "page_size": 5}).json()
    with CaptureQueriesContext(connection) as second:
        two = api.get(RECOMMENDATIONS, {"status": "adopted", "page_size": 5, "page": 2}).json()

    assert len(_count_queries(first)) == 1 and not _count_queries(second)
    assert one["count"] == two["count"] == Recommendation.objects.filter(status="adopted").count()

    # A committed write moves the data version: the count is made again, and right.
    with django_capture_on_commit_callbacks(execute=True):
        RecommendationFactory.create_batch(2, status="adopted")
    with CaptureQueriesContext(connection) as third:
        three = api.get(RECOMMENDATIONS, {"status": "adopted", "page_size": 5}).json()

    assert len(_count_queries(third)) == 1
    assert three["count"] == one["count"] + 2


def test_another_filter_or_another_reader_has_a_count_of_its_own(
    api, secretariat_client, counts_cached
):
    ImplementationReportFactory(review_state="submitted")
    validated = api.get("/api/v1/implementation-reports/").json()["count"]
    everything = secretariat_client.get("/api/v1/implementation-reports/").json()["count"]
    by_status = api.get(RECOMMENDATIONS, {"status": "proposed"}).json()["count"]

    assert everything == validated + 1
    assert by_status == Recommendation.objects.filter(status="proposed").count()
    assert by_status != api.get(RECOMMENDATIONS).json()["count"]


def test_without_a_cache_every_list_is_counted(api):
    api.get(RECOMMENDATIONS, {"status": "adopted"})
    with CaptureQueriesContext(connection) as again:
        api.get(RECOMMENDATIONS, {"status": "adopted"})

    assert len(_count_queries(again)) == 1
