"""A State that has not reported: its page says so first, and shows no chart or table of zeros."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations.models import Recommendation
from tests.factories import ImplementationReportFactory

pytestmark = pytest.mark.usefixtures("wgsom")


def test_a_state_without_reports_says_so_before_anything_else(client):
    response = client.get(reverse("states:detail", args=["ITA"]))

    page = response.content.decode()
    assert "Italy has not reported yet: 0 of 22 adopted recommendations." in page
    # Said right under the heading, before the facts about the State.
    assert page.index("has not reported yet") < page.index('class="facts"')
    assert response.context["reported_count"] == 0


def test_a_state_without_reports_shows_no_empty_chart_or_table_of_no_information(client):
    page = client.get(reverse("states:detail", args=["ITA"])).content.decode()

    assert 'id="scorecard-heading"' not in page
    assert 'id="chart-scorecard"' not in page
    assert 'data-testid="state-statuses"' not in page
    assert 'data-testid="status-history"' not in page
    # What it did do is still there: the meetings it attended and its statements.
    assert 'id="attended-heading"' in page
    assert 'id="statements-heading"' in page


def test_a_state_with_a_report_shows_how_many_it_covers_and_its_scorecard(client, state_a):
    recommendation = Recommendation.objects.get(meeting__ordinal=7, label="8", status="adopted")
    ImplementationReportFactory(state=state_a, recommendation=recommendation)

    response = client.get(reverse("states:detail", args=[state_a.code]))

    page = response.content.decode()
    assert "Republic of Reportland has reported on 1 of 22 adopted recommendations." in page
    assert "has not reported yet" not in page
    assert 'id="scorecard-heading"' in page
    assert 'data-testid="state-statuses"' in page
    assert 'data-testid="status-history"' in page
