"""State pages: the filtered list and each State's scorecard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations.models import Recommendation
from tests.factories import ImplementationReportFactory

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
    # 1 State with its group, 1 adopted recommendations with Austria's status, 1 their themes,
    # 1 themes, 1 status history, 1 meetings attended, 1 statements, 1 their agenda items,
    # 1 demonstration data present
    with django_assert_num_queries(9):
        client.get(detail)
    # 1 regional groups (filter choices), 1 States with their counts, 1 demonstration data
    with django_assert_num_queries(3):
        client.get(reverse("states:list"))
    growth.add(12)
    with django_assert_num_queries(9):
        client.get(detail)
    with django_assert_num_queries(3):
        client.get(reverse("states:list"))
