"""Theme pages: key topics, recommendations across meetings, background papers, rate."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("wgsom")


def test_the_theme_list_shows_the_nine_themes_with_their_counts(client):
    response = client.get(reverse("recommendations:theme_list"))

    themes = {t.slug: t for t in response.context["themes"]}
    assert len(themes) == 9
    assert themes["technology"].adopted_count > 0
    assert themes["technology"].share_percent == 0
    # No adopted recommendation is filed under smuggling by air: no rate rather than 0 %.
    assert themes["smuggling-by-air"].share_percent is None


def test_a_theme_page_lists_recommendations_by_meeting_papers_and_topics(client):
    response = client.get(reverse("recommendations:theme_detail", args=["technology"]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Meeting 7 (2020)" in page
    assert all(
        "technology" in {t.slug for t in r.themes.all()}
        for r in response.context["recommendations"]
    )
    assert "CTOC/COP/WG.7/2020/3" in page  # the 2020 background paper on technology
    assert response.context["share_percent"] == 0


def test_an_unknown_theme_is_not_found(client):
    assert client.get(reverse("recommendations:theme_detail", args=["nope"])).status_code == 404


def test_theme_pages_cost_the_same_queries_however_much_data(
    client, growth, django_assert_num_queries
):
    detail = reverse("recommendations:theme_detail", args=["technology"])
    listing = reverse("recommendations:theme_list")
    # 1 theme, 2 compliance snapshot and figures, 1 recommendations, 1 their themes,
    # 1 background papers, 1 demonstration data present
    with django_assert_num_queries(7):
        client.get(detail)
    # 2 compliance snapshot and figures, 1 themes with counts, 1 demonstration data present
    with django_assert_num_queries(4):
        client.get(listing)
    growth.add(12)
    with django_assert_num_queries(7):
        client.get(detail)
    with django_assert_num_queries(4):
        client.get(listing)
