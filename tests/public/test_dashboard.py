"""The dashboard: headline figures, charts with their tables, latest meeting and reports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from compliance.services import compliance_snapshot_compute
from meetings.models import Meeting
from public import selectors
from recommendations.models import Recommendation
from states.models import State
from tests.compliance.oracle import figures_by_hand
from tests.factories import ImplementationReportFactory, RecommendationFactory

pytestmark = pytest.mark.usefixtures("wgsom")


def test_a_fresh_site_shows_the_loaded_figures_and_honestly_no_information(client):
    response = client.get(reverse("home"))

    page = response.content.decode()
    figures = response.context["figures"]
    assert response.status_code == 200
    assert (figures["adopted"], figures["themes"], figures["states_reported"]) == (22, 9, 0)
    assert figures["share_implemented_percent"] == 0
    assert "No implementation report has been validated yet" in page
    assert "Demonstration data" not in page


def test_the_charts_come_with_a_table_of_the_same_figures(client):
    page = client.get(reverse("home")).content.decode()

    assert page.count('<figure class="status-chart"') == 2
    assert page.count('<table class="figures-table">') == 2
    assert "Implementation by theme" in page and "Implementation by regional group" in page
    # The drawing is hidden from screen readers, which read the table.
    assert '<div class="chart-drawing" aria-hidden="true">' in page


def test_a_validated_report_counts_and_is_listed_as_the_latest(client, growth):
    growth.add(1)

    response = client.get(reverse("home"))

    figures = response.context["figures"]
    assert figures["states_reported"] == 2
    latest = response.context["latest_reports"]
    assert {r.recommendation for r in latest} == {growth.recommendations[0]}


def test_demonstration_reports_bring_the_banner(client):
    ImplementationReportFactory(is_demonstration=True)

    page = client.get(reverse("home")).content.decode()

    assert "Demonstration data" in page


def test_the_dashboard_costs_the_same_queries_however_much_data(
    client, growth, django_assert_num_queries
):
    growth.add(3)
    compliance_snapshot_compute()
    # 1 headline counts (States, meetings, themes, the recommendations' data version), 1 the
    # recommendations by status (then cached under that version), 1 the first overall, theme
    # and group rows of the latest snapshot, 1 its recommendations implemented somewhere
    # (counted in an index, then cached: a snapshot never changes), 1 latest reports, 1
    # latest meeting with its adopted count, 1 whether demonstration data is present, 2 for
    # the Protocol's participation (the depositary's count, the States by status)
    with django_assert_num_queries(9):
        client.get(reverse("home"))
    growth.add(30)
    compliance_snapshot_compute()
    # The new snapshot's count is made; the recommendations are counted again (the test
    # settings keep no count under a data version: a test never commits, so none moves).
    with django_assert_num_queries(9):
        client.get(reverse("home"))


def test_cached_counts_serve_until_their_data_or_snapshot_change(
    client, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.VERSIONED_CACHE_SECONDS = 300
    compliance_snapshot_compute()
    first = client.get(reverse("home")).context["figures"]
    # Two counts fewer: the recommendations by status, those implemented somewhere.
    with django_assert_num_queries(7):
        client.get(reverse("home"))

    with django_capture_on_commit_callbacks(execute=True):
        RecommendationFactory(status="proposed")
    again = client.get(reverse("home")).context["figures"]

    assert again["proposed"] == first["proposed"] + 1
    assert again["adopted"] == first["adopted"]


def test_implemented_somewhere_is_the_share_the_figures_derive(client):
    parties = list(State.objects.filter(protocol_status="party").order_by("code")[:2])
    adopted = list(Recommendation.objects.filter(status="adopted").order_by("pk")[:3])
    ImplementationReportFactory(state=parties[0], recommendation=adopted[0], status="implemented")
    ImplementationReportFactory(
        state=parties[1], recommendation=adopted[1], status="partially_implemented"
    )
    ImplementationReportFactory(state=parties[1], recommendation=adopted[2], status="in_progress")
    compliance_snapshot_compute()
    by_hand = figures_by_hand()["by_recommendation"]
    implementing = sum(
        1 for counts in by_hand.values() if counts["implemented"] + counts["partially_implemented"]
    )

    figures = client.get(reverse("home")).context["figures"]

    assert implementing == 2
    assert figures["share_implemented_percent"] == round(100 * implementing / len(by_hand))


def test_the_charts_show_at_most_their_first_rows(client, monkeypatch):
    monkeypatch.setattr(selectors, "HOME_CHART_ROWS", 3)

    response = client.get(reverse("home"))

    assert len(response.context["theme_chart"].bars) == 3
    assert len(response.context["group_chart"].bars) == 3
    assert response.context["implementation"].more_rows
    assert reverse("compliance:summary") in response.content.decode()


def test_the_latest_meeting_comes_with_its_adopted_count(client):
    meeting = client.get(reverse("home")).context["latest_meeting"]

    assert meeting == Meeting.objects.order_by("-ordinal").first()
    assert meeting.adopted_count == meeting.recommendations.filter(status="adopted").count()
