"""The review queue's tabs: reports waiting on the Secretariat (the longest waiting first),
reports waiting on their States (with the comment), and reports validated in the last 30
days (the newest first); each tab's count in its label, a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting import services, views
from reporting.models import ImplementationReport
from tests.factories import DraftReportFactory, ImplementationReportFactory, RecommendationFactory

QUEUE = reverse("reporting:review_queue")


def backdate(report: ImplementationReport, reason: str, when: datetime.datetime) -> None:
    """Move the last step recorded with `reason` (the services' change reasons) to `when`."""
    step = report.history.filter(history_change_reason=reason).latest("history_date")
    report.history.filter(history_id=step.history_id).update(history_date=when)


def submit(state, focal_point, when: datetime.datetime, **fields) -> ImplementationReport:
    report = services.implementation_report_submit(
        report=DraftReportFactory(state=state, **fields), by=focal_point
    )
    backdate(report, "submitted for validation", when)
    return report


def return_(report, by, when: datetime.datetime, comment: str = "Why?") -> ImplementationReport:
    report = services.implementation_report_return(report=report, by=by, comment=comment)
    backdate(report, "returned for changes", when)
    return report


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def tab(client, name: str | None = None, **params):
    return client.get(QUEUE, {"tab": name, **params} if name else params)


def test_the_submitted_tab_lists_the_longest_waiting_first_with_days_waiting(
    secretariat_client, focal_point_a, state_a
):
    newer = submit(state_a, focal_point_a, days_ago(2))
    older = submit(state_a, focal_point_a, days_ago(9))
    DraftReportFactory(state=state_a)
    ImplementationReportFactory(state=state_a)
    response = tab(secretariat_client)  # the first tab by default
    assert response.context["tab"] == "submitted"
    assert response.context["reports"] == [older, newer]
    assert [r.days_waiting for r in response.context["reports"]] == [9, 2]
    html = response.content.decode()
    assert "9 days" in html and "2 days" in html


def test_a_resubmitted_report_waits_from_its_last_submission(
    secretariat_client, secretariat, focal_point_a, state_a
):
    report = submit(state_a, focal_point_a, days_ago(20))
    report = return_(report, secretariat, days_ago(10))
    report = services.implementation_report_submit(report=report, by=focal_point_a)
    backdate(report, "submitted for validation", days_ago(3))
    response = tab(secretariat_client, "submitted")
    assert [r.days_waiting for r in response.context["reports"]] == [3]


def test_the_returned_tab_lists_reports_waiting_on_their_states_with_the_comment(
    secretariat_client, secretariat, focal_point_a, state_a
):
    reports = []
    for days, comment in ((5, "Name the ministry in charge."), (12, "Attach the decree.")):
        report = submit(state_a, focal_point_a, days_ago(days + 1))
        reports.append(return_(report, secretariat, days_ago(days), comment))
    submit(state_a, focal_point_a, days_ago(1))
    response = tab(secretariat_client, "returned")
    assert response.context["reports"] == [reports[1], reports[0]]  # the longest waiting first
    html = response.content.decode()
    assert "Attach the decree." in html and "Name the ministry in charge." in html
    returned_on = response.context["reports"][0].returned_at
    assert returned_on.date() == days_ago(12).date()


def test_the_validated_tab_lists_the_last_30_days_newest_first(secretariat_client, state_a):
    recent = ImplementationReportFactory(state=state_a, validated_at=days_ago(3))
    newest = ImplementationReportFactory(state=state_a, validated_at=days_ago(1))
    ImplementationReportFactory(state=state_a, validated_at=days_ago(45))
    response = tab(secretariat_client, "validated")
    assert response.context["reports"] == [newest, recent]


def test_each_tab_label_carries_its_count_and_the_current_tab_is_marked(
    secretariat_client, secretariat, focal_point_a, state_a
):
    submit(state_a, focal_point_a, days_ago(2))
    submit(state_a, focal_point_a, days_ago(3))
    returned = submit(state_a, focal_point_a, days_ago(4))
    return_(returned, secretariat, days_ago(1))
    ImplementationReportFactory(state=state_a, validated_at=days_ago(1))
    ImplementationReportFactory(state=state_a, validated_at=days_ago(90))
    response = tab(secretariat_client, "returned")
    assert {t["key"]: t["count"] for t in response.context["tabs"]} == {
        "submitted": 2,
        "returned": 1,
        "validated": 1,
    }
    html = response.content.decode()
    assert '<a href="?tab=returned" aria-current="page">' in html
    assert '<a href="?tab=submitted">' in html


def test_an_unknown_tab_shows_the_submitted_reports(secretariat_client):
    assert tab(secretariat_client, "everything").context["tab"] == "submitted"


def test_rows_carry_labels_for_the_cards_on_phones(secretariat_client, focal_point_a, state_a):
    submit(state_a, focal_point_a, days_ago(2))
    html = tab(secretariat_client).content.decode()
    assert 'class="table table-cards"' in html
    assert 'data-label="Waiting"' in html


def test_the_queue_offers_the_other_ways_to_record_reports_as_secondary_links(
    secretariat_client,
):
    html = tab(secretariat_client).content.decode()
    for name in ("report_new", "bulk_entry", "import"):
        assert f'class="button button-secondary" href="{reverse("reporting:" + name)}"' in html


def test_the_queue_is_paged(secretariat_client, focal_point_a, state_a, monkeypatch):
    monkeypatch.setattr(views, "REVIEW_PAGE_SIZE", 2)
    for days in range(5):
        submit(state_a, focal_point_a, days_ago(days + 1))
    first = tab(secretariat_client, "submitted")
    last = tab(secretariat_client, "submitted", page=3)
    assert len(first.context["reports"]) == 2
    assert len(last.context["reports"]) == 1
    assert 'href="?tab=submitted&amp;page=2"' in first.content.decode()


def grow(*, state, focal_point, secretariat, size: int) -> None:
    """Per step: a submitted report, a returned one and a validated one, each on its own
    recommendation."""
    for _ in range(size):
        submit(state, focal_point, days_ago(2), recommendation=RecommendationFactory())
        returned = submit(state, focal_point, days_ago(3), recommendation=RecommendationFactory())
        return_(returned, secretariat, days_ago(1))
        ImplementationReportFactory(state=state, validated_at=days_ago(1))


@pytest.mark.parametrize("name", ["submitted", "returned", "validated"])
def test_each_tab_costs_a_fixed_number_of_queries(
    secretariat_client,
    django_assert_num_queries,
    secretariat,
    focal_point_a,
    state_a,
    name,
):
    for size in (1, 4):
        grow(state=state_a, focal_point=focal_point_a, secretariat=secretariat, size=size)
        # session, user, Secretariat check, the count of each tab (one query), the paginator's
        # count, the page of reports with their relations (and file counts, dates of steps)
        with django_assert_num_queries(6):
            response = tab(secretariat_client, name)
        assert response.status_code == 200
        [(r.state.name, r.recommendation.meeting.year) for r in response.context["reports"]]
