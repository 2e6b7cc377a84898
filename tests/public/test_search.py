"""Search across recommendations, documents and meetings, on PostgreSQL and on SQLite."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from recommendations.search import highlight, search_site
from tests.factories import RecommendationFactory

pytestmark = pytest.mark.usefixtures("wgsom")


def test_joint_investigative_teams_finds_2020_recommendation_8_first():
    results = search_site("joint investigative teams")

    first = results.recommendations[0]
    assert (first.meeting.ordinal, first.status, first.label) == (7, "adopted", "8")


def test_the_matching_words_are_highlighted(client):
    page = client.get(reverse("recommendations:search"), {"q": "joint investigative teams"})

    assert "<mark>joint</mark> <mark>investigative</mark> <mark>teams</mark>" in (
        page.content.decode()
    )


def test_background_papers_and_meetings_are_found_too():
    results = search_site("COVID-19 pandemic")

    assert any("COVID-19" in d.title for d in results.documents)
    assert any(item.meeting.ordinal == 7 for item in results.agenda_items)


def test_stored_text_is_never_trusted_as_html():
    RecommendationFactory(text="States parties should <script>alert(1)</script> zanzibarize.")

    results = search_site("zanzibarize")

    html = str(results.recommendations[0].highlighted)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_the_fallback_highlighter_escapes_and_marks_every_query_word():
    assert str(highlight("Teams & <b>joint</b> teams", "joint teams")) == (
        "<mark>Teams</mark> &amp; &lt;b&gt;<mark>joint</mark>&lt;/b&gt; <mark>teams</mark>"
    )


def test_an_empty_or_overlong_query_searches_nothing(client):
    assert client.get(reverse("recommendations:search")).context["results"] is None
    response = client.get(reverse("recommendations:search"), {"q": "x" * 201})
    assert response.context["results"] is None
    assert "Ensure this value has at most 200 characters" in response.content.decode()


def test_search_costs_the_same_queries_however_many_matches(
    client, growth, django_assert_num_queries
):
    url = reverse("recommendations:search")
    params = {"q": "smuggling information"}
    # 1 recommendations, 1 their themes, 1 documents, 1 agenda items
    with django_assert_num_queries(4):
        client.get(url, params)
    growth.add(12)
    with django_assert_num_queries(4):
        client.get(url, params)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text index only")
def test_postgresql_answers_the_search_from_the_gin_index():
    from recommendations.models import Recommendation
    from recommendations.search import filter_recommendations

    queryset = filter_recommendations(Recommendation.objects.all(), "joint investigative teams")
    with connection.cursor() as cursor:
        # Too few rows for the planner to prefer the index on its own: forbid the table scan.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "recommendation_search_vector" in plan
