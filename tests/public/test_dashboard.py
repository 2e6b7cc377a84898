"""The dashboard: headline figures, charts with their tables, latest meeting and reports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ImplementationReportFactory

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
    # 4 headline counts (recommendations, States, meetings, themes), 2 for the latest
    # compliance snapshot and its figures, 1 latest reports, 1 latest meeting with its counts,
    # 1 whether demonstration data is present, 2 for the Protocol's participation (the
    # depositary's count, the States by status)
    with django_assert_num_queries(11):
        client.get(reverse("home"))
    growth.add(12)
    with django_assert_num_queries(11):
        client.get(reverse("home"))
