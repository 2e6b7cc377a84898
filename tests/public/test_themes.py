"""Theme pages: key topics, recommendations across meetings, background papers, rate."""

from __future__ import annotations

import pytest
from django.urls import reverse

from compliance.services import compliance_snapshot_compute
from recommendations import selectors as recommendation_selectors
from recommendations.models import Theme
from states.models import State
from tests.compliance.oracle import figures_by_hand
from tests.factories import ImplementationReportFactory

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
    growth.add(3)
    compliance_snapshot_compute()
    # 1 theme, 1 its row of the latest snapshot, 1 the count of its recommendations (capped),
    # 1 a page of them, 1 their themes, 1 background papers, 1 demonstration data present
    with django_assert_num_queries(7):
        client.get(detail)
    # 1 the theme rows of the latest snapshot, 1 themes, 1 their recommendations and
    # background papers counted in the link tables, 1 their recommendations other than adopted
    # counted by status (both kept under the data versions where the cache is on), 1
    # demonstration data present
    with django_assert_num_queries(5):
        client.get(listing)
    growth.add(30)
    compliance_snapshot_compute()
    with django_assert_num_queries(7):
        client.get(detail, {"page": 2})
    with django_assert_num_queries(5):
        client.get(listing)


def test_a_theme_that_fits_on_one_page_shows_no_pager(client, settings):
    fits = next(
        theme
        for theme in Theme.objects.order_by("order")
        if 0 < theme.recommendations.count() <= settings.PUBLIC_SITE_PAGE_SIZE
    )

    response = client.get(reverse("recommendations:theme_detail", args=[fits.slug]))

    assert response.context["page_obj"].paginator.num_pages == 1
    assert len(response.context["recommendations"]) == fits.recommendations.count()
    assert 'class="pagination"' not in response.content.decode()


def test_a_theme_pages_its_recommendations(client, growth, settings):
    growth.add(settings.PUBLIC_SITE_PAGE_SIZE)
    url = reverse("recommendations:theme_detail", args=["technology"])
    every = list(recommendation_selectors.theme_recommendations(theme=growth.theme))

    first = client.get(url)
    second = client.get(url, {"page": 2})

    size = settings.PUBLIC_SITE_PAGE_SIZE
    assert first.context["recommendations"] == every[:size]
    assert second.context["recommendations"] == every[size : 2 * size]
    assert 'class="pagination"' in first.content.decode()
    assert 'rel="prev"' in second.content.decode()


def test_the_theme_list_counts_what_the_themes_hold(client, growth):
    growth.add(3)

    themes = client.get(reverse("recommendations:theme_list")).context["themes"]

    counted = {t.slug: t for t in recommendation_selectors.themes_with_counts()}
    fields = ("adopted_count", "draft_count", "proposed_count", "document_count")
    for theme in themes:
        assert [getattr(theme, f) for f in fields] == [
            getattr(counted[theme.slug], f) for f in fields
        ]


def test_a_theme_rate_is_the_one_the_figures_derive(client):
    technology = Theme.objects.get(slug="technology")
    recommendation = technology.recommendations.filter(status="adopted").first()
    parties = State.objects.filter(protocol_status="party").order_by("code")[:2]
    ImplementationReportFactory(
        state=parties[0], recommendation=recommendation, status="implemented"
    )
    ImplementationReportFactory(state=parties[1], recommendation=recommendation)
    compliance_snapshot_compute()
    by_hand = figures_by_hand()["by_theme"]["technology"]

    response = client.get(reverse("recommendations:theme_detail", args=["technology"]))

    implementing = by_hand["implemented"] + by_hand["partially_implemented"]
    pairs = by_hand["reported"] + by_hand["no_information"]
    assert response.context["share_percent"] == round(100 * implementing / pairs)
    listed = {
        t.slug: t for t in client.get(reverse("recommendations:theme_list")).context["themes"]
    }
    assert listed["technology"].share_percent == response.context["share_percent"]
