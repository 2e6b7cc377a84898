"""State pages: the filtered list and each State's scorecard."""

from __future__ import annotations

import datetime
from unittest.mock import patch

import pytest
from django.test import override_settings
from django.urls import reverse

from recommendations.models import Recommendation
from states.models import State
from tests.factories import (
    ImplementationReportFactory,
    MeetingFactory,
    ParticipationFactory,
    StatementFactory,
)

pytestmark = pytest.mark.usefixtures("wgsom")


def test_the_state_list_filters_by_regional_group_and_protocol_status(client):
    response = client.get(
        reverse("states:list"),
        {"regional_group": "western-european-and-other-states", "protocol_status": "party"},
    )

    states = list(response.context["states"])
    assert states
    assert {s.regional_group.slug for s in states} == {"western-european-and-other-states"}
    assert {s.protocol_status for s in states} == {"party"}
    assert "Austria" in response.content.decode()


def test_an_unknown_regional_group_is_reported_on_the_form(client):
    response = client.get(reverse("states:list"), {"regional_group": "nowhere"})

    assert "Select a valid choice" in response.content.decode()


def test_a_state_page_shows_the_statuses_entered_for_it(client):
    recommendation = Recommendation.objects.get(meeting__ordinal=7, label="8", status="adopted")
    ImplementationReportFactory(
        state__name="Republic of Scorecards",
        state__code="XSC",
        recommendation=recommendation,
        status="not_applicable",
    )

    response = client.get(reverse("states:detail", args=["XSC"]))

    rows = {r.pk: r for r in response.context["recommendations"]}
    assert rows[recommendation.pk].status_value == "not_applicable"
    assert len(rows) == 22
    (overall,) = response.context["overall"].bars
    assert overall.total == 22
    assert overall.cells[-1] == 21  # no information on the other 21
    scorecard = {bar.label: bar for bar in response.context["scorecard"].bars}
    assert scorecard["Technology"].cells[4] == 1  # the not-applicable report
    assert "Republic of Scorecards" in response.content.decode()


def test_a_lower_case_code_redirects_to_the_canonical_address(client):
    response = client.get(reverse("states:detail", args=["aut"]))

    assert response.status_code == 301
    assert response["Location"] == reverse("states:detail", args=["AUT"])


def test_an_unknown_state_is_not_found(client):
    assert client.get(reverse("states:detail", args=["XXX"])).status_code == 404


def test_state_pages_cost_the_same_queries_however_much_data(
    client, growth, django_assert_num_queries
):
    growth.add(1)
    detail = reverse("states:detail", args=["AUT"])
    reports = reverse("states:reports", args=["AUT"])
    # 1 State with its group; the scorecard: 1 adopted recommendations counted, 1 Austria's
    # statuses counted, 1 counted by theme, 1 those themes; 1 a page of adopted
    # recommendations, 1 Austria's statuses on them (by key); 1 latest reports, 1 meetings
    # attended, 1 statements, 1 their agenda items, 1 demonstration data present
    with django_assert_num_queries(12):
        client.get(detail)
    # 1 regional groups (filter choices), 1 States, 1 recommendations reported on per State
    # (current statuses counted), 1 demonstration data
    with django_assert_num_queries(4):
        client.get(reverse("states:list"))
    # 1 State, 1 its reports counted, 1 a page of them, 1 demonstration data
    with django_assert_num_queries(4):
        client.get(reports)
    growth.add(12)
    with django_assert_num_queries(12):
        client.get(detail)
    with django_assert_num_queries(4):
        client.get(reverse("states:list"))
    with django_assert_num_queries(4):
        client.get(reports)


def test_a_state_that_has_not_reported_costs_fewer_queries(client, django_assert_num_queries):
    # 1 State, 1 adopted recommendations counted, 1 its statuses counted (none: no list, no
    # chart, no reports), 1 meetings attended, 1 statements, 1 their agenda items,
    # 1 demonstration data
    with django_assert_num_queries(7):
        response = client.get(reverse("states:detail", args=["ITA"]))

    assert response.context["reported_count"] == 0


def test_the_state_list_counts_the_recommendations_each_state_reported_on(client, state_a):
    first, second = Recommendation.objects.filter(status="adopted")[:2]
    ImplementationReportFactory(state=state_a, recommendation=first, status="in_progress")
    # A newer report on the same recommendation is still one recommendation reported on.
    ImplementationReportFactory(state=state_a, recommendation=first, status="implemented")
    ImplementationReportFactory(state=state_a, recommendation=second)

    response = client.get(reverse("states:list"))

    states = {s.code: s for s in response.context["states"]}
    assert states[state_a.code].recommendations_reported == 2
    assert states["ITA"].recommendations_reported == 0


@override_settings(PUBLIC_SITE_PAGE_SIZE=5)
def test_a_state_page_lists_the_statuses_a_page_at_a_time(client, state_a):
    adopted = list(
        Recommendation.objects.filter(status="adopted").order_by("meeting__ordinal", "order")
    )
    ImplementationReportFactory(state=state_a, recommendation=adopted[6], status="implemented")
    url = reverse("states:detail", args=[state_a.code])

    response = client.get(url, {"page": 2})

    rows = response.context["recommendations"]
    assert [r.pk for r in rows] == [r.pk for r in adopted[5:10]]
    assert rows[1].status_value == "implemented"
    assert rows[0].status_value == "no_information"
    page = response.content.decode()
    assert "Recommendations 6 to 10 of 22, oldest meeting first." in page
    assert 'class="pagination"' in page
    assert "?page=3" in page
    # The scorecard still counts every adopted recommendation, not the page.
    (overall,) = response.context["overall"].bars
    assert overall.total == 22


def test_a_page_of_22_statuses_shows_them_all_without_pages(client, state_a):
    recommendation = Recommendation.objects.filter(status="adopted").first()
    ImplementationReportFactory(state=state_a, recommendation=recommendation)

    response = client.get(reverse("states:detail", args=[state_a.code]))

    assert len(response.context["recommendations"]) == 22
    assert 'class="pagination"' not in response.content.decode()


@override_settings(PUBLIC_STATE_LATEST_REPORTS=2)
def test_a_state_page_shows_its_latest_reports_and_links_to_all(client, state_a):
    adopted = list(Recommendation.objects.filter(status="adopted")[:3])
    for day, recommendation in enumerate(adopted, start=1):
        ImplementationReportFactory(
            state=state_a, recommendation=recommendation, as_of=datetime.date(2024, 1, day)
        )

    response = client.get(reverse("states:detail", args=[state_a.code]))

    assert [r.recommendation_id for r in response.context["status_history"]] == [
        adopted[2].pk,
        adopted[1].pk,
    ]
    assert response.context["more_reports"]
    assert reverse("states:reports", args=[state_a.code]) in response.content.decode()


@override_settings(PUBLIC_SITE_PAGE_SIZE=2)
def test_a_states_reports_page_lists_every_report_a_page_at_a_time(client, state_a):
    adopted = list(Recommendation.objects.filter(status="adopted")[:3])
    for day, recommendation in enumerate(adopted, start=1):
        ImplementationReportFactory(
            state=state_a, recommendation=recommendation, as_of=datetime.date(2024, 1, day)
        )
    url = reverse("states:reports", args=[state_a.code])

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert [r.recommendation_id for r in first.context["status_history"]] == [
        adopted[2].pk,
        adopted[1].pk,
    ]
    assert [r.recommendation_id for r in second.context["status_history"]] == [adopted[0].pk]
    assert "3 validated reports, newest first" in first.content.decode()


def test_a_states_reports_page_says_when_there_are_none(client):
    response = client.get(reverse("states:reports", args=["ITA"]))

    assert response.status_code == 200
    assert 'data-testid="no-reports"' in response.content.decode()
    assert client.get(reverse("states:reports", args=["ita"])).status_code == 301


def test_a_state_page_lists_only_its_most_recent_meetings_and_statements(client, growth):
    growth.add(1)
    austria = State.objects.get(code="AUT")
    meetings = MeetingFactory.create_batch(3)
    for meeting in meetings:
        ParticipationFactory(meeting=meeting, state=austria)
        StatementFactory(meeting=meeting, state=austria)

    with patch("public.state_views.LATEST_ON_PAGE", 2):
        response = client.get(reverse("states:detail", args=["AUT"]))

    assert len(response.context["participations"]) == 2
    assert response.context["more_participations"]
    assert len(response.context["statements"]) == 2
    assert response.context["more_statements"]
    page = response.content.decode()
    assert 'data-testid="more-participations"' in page
    assert 'data-testid="more-statements"' in page
