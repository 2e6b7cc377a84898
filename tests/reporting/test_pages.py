"""The reporting pages and selectors: what they show, and a query count that does not grow with
the data."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from recommendations.models import Recommendation
from reporting import services
from reporting.selectors import (
    reports_visible_to,
    review_queue,
    state_reporting_rows,
    status_history,
)
from tests.factories import (
    ContactPointFactory,
    DraftReportFactory,
    ImplementationReportFactory,
    RecommendationFactory,
    StateFactory,
)
from tests.reporting.files import pdf_bytes, upload


def grow(*, state, staff, size: int) -> None:
    """Per step: a recommendation with a validated and a submitted report (with a file) of
    `state`, a draft of another State, and contact points of both."""
    for _ in range(size):
        recommendation = RecommendationFactory()
        ImplementationReportFactory(state=state, recommendation=recommendation)
        report = services.implementation_report_create(
            by=staff,
            state=state,
            recommendation=recommendation,
            status="implemented",
            as_of="2024-01-01",
            source="questionnaire",
            attachments=[upload("a.pdf", pdf_bytes())],
        )
        services.implementation_report_submit(report=report, by=staff)
        DraftReportFactory(recommendation=recommendation)
        ContactPointFactory(state=state)
        ContactPointFactory()


PAGES = {
    # session, user, Secretariat check, the user's State, recommendations with their status,
    # their themes, the State's open reports
    "my State": ("focal_point", lambda w: reverse("reporting:my_state"), 7),
    # the same with the State looked up by its code instead of the user's
    "a State's reporting page": (
        "staff",
        lambda w: reverse("reporting:state", args=[w["state"].code]),
        7,
    ),
    # session, user, Secretariat check, the count of each tab, the paginator's count, the
    # submitted reports with relations and file counts
    "review queue": ("staff", lambda w: reverse("reporting:review_queue"), 6),
    # session, user, Secretariat check, the report with relations, its files, its history
    "a report": (
        "staff",
        lambda w: reverse("reporting:report_detail", args=[w["report"].pk]),
        6,
    ),
    # session, user, Secretariat check, the report, its files, the source meetings choices
    "a report's edit form": (
        "staff",
        lambda w: reverse("reporting:report_edit", args=[w["report"].pk]),
        6,
    ),
    # session, user, Secretariat check, State choices, recommendation choices (with their
    # meetings), meeting choices
    "the new report form": ("staff", lambda w: reverse("reporting:report_new"), 6),
    # session, user, Secretariat check, the directory with States and regional groups
    "contact points": ("focal_point", lambda w: reverse("contact_points:list"), 4),
}


@pytest.mark.parametrize("page", PAGES)
def test_page_query_count_does_not_grow_with_the_data(
    client, django_assert_num_queries, request, focal_point, staff, state, page
):
    role, url, expected = PAGES[page]
    world = {
        "state": state,
        "report": services.implementation_report_create(
            by=staff,
            state=state,
            recommendation=RecommendationFactory(),
            status="implemented",
            as_of="2024-01-01",
            source="questionnaire",
            attachments=[upload("a.pdf", pdf_bytes())],
        ),
    }
    client.force_login(request.getfixturevalue(role))
    for size in (2, 10):
        grow(state=state, staff=staff, size=size)
        with django_assert_num_queries(expected):
            response = client.get(url(world))
        assert response.status_code == 200


def test_my_state_lists_every_adopted_recommendation_with_the_published_status(
    client, focal_point, state, wgsom
):
    recommendation = RecommendationFactory()
    ImplementationReportFactory(state=state, recommendation=recommendation, status="implemented")
    draft = DraftReportFactory(state=state, recommendation=recommendation, status="in_progress")
    client.force_login(focal_point)
    response = client.get(reverse("reporting:my_state"))
    rows = {row.recommendation.pk: row for row in response.context["rows"]}
    adopted = Recommendation.objects.filter(status="adopted").values_list("pk", flat=True)
    assert set(rows) == set(adopted)
    row = rows[recommendation.pk]
    assert (row.status, str(row.status_label)) == ("implemented", "Implemented")
    assert row.open_reports == [draft]
    others = [r for pk, r in rows.items() if pk != recommendation.pk]
    assert {r.status for r in others} == {"no_information"}


def test_the_review_queue_lists_submitted_reports_only(client, staff, focal_point, state):
    recommendation = RecommendationFactory()
    DraftReportFactory(state=state, recommendation=recommendation)
    ImplementationReportFactory(state=state, recommendation=recommendation)
    submitted = services.implementation_report_submit(
        report=DraftReportFactory(state=state, recommendation=recommendation), by=focal_point
    )
    client.force_login(staff)
    response = client.get(reverse("reporting:review_queue"))
    assert list(response.context["reports"]) == [submitted]
    assert response.context["reports"][0].attachment_count == 0


@pytest.mark.django_db
def test_a_published_reports_page_never_shows_the_comment_it_was_returned_with(
    client, focal_point, staff, state
):
    comment = "Please name the authority in charge."
    report = DraftReportFactory(state=state)
    report = services.implementation_report_submit(report=report, by=focal_point)
    report = services.implementation_report_return(report=report, by=staff, comment=comment)
    report = services.implementation_report_submit(report=report, by=focal_point)
    services.implementation_report_validate(report=report, by=staff)

    # The comment is the State's and the Secretariat's business, and only while it applies.
    for user in (None, focal_point, staff):
        if user is not None:
            client.force_login(user)
        response = client.get(reverse("reporting:report_detail", args=[report.pk]))
        assert response.status_code == 200
        assert comment not in response.content.decode()


# Selectors ------------------------------------------------------------------------------------


def test_status_history_lists_validated_reports_newest_first_in_one_query(
    django_assert_num_queries, state
):
    recommendation = RecommendationFactory()
    older = ImplementationReportFactory(
        state=state, recommendation=recommendation, as_of="2022-01-01"
    )
    newer = ImplementationReportFactory(
        state=state, recommendation=recommendation, as_of="2023-01-01"
    )
    DraftReportFactory(state=state, recommendation=recommendation, as_of="2024-01-01")
    ImplementationReportFactory(recommendation=recommendation)  # another State
    # one query: the reports joined with State, group, recommendation, meeting, superseded
    with django_assert_num_queries(1):
        by_state = [
            (r.pk, r.state.regional_group.name, r.recommendation.meeting.year)
            for r in status_history(state=state)
        ]
    assert [pk for pk, *_ in by_state] == [newer.pk, older.pk]
    assert len(status_history(recommendation=recommendation)) == 3


@pytest.mark.parametrize("size", [2, 10])
def test_status_history_costs_one_query_at_any_size(django_assert_num_queries, state, size):
    for _ in range(size):
        ImplementationReportFactory(state=state)
    # one query with every relation the public pages show joined in
    with django_assert_num_queries(1):
        for report in status_history(state=state):
            str(report.recommendation), report.state.regional_group, report.source_meeting


def test_reports_visible_to_each_role(focal_point, other_focal_point, staff, state, other_state):
    recommendation = RecommendationFactory()
    published = ImplementationReportFactory(state=state, recommendation=recommendation)
    own_draft = DraftReportFactory(state=state, recommendation=recommendation)
    other_draft = DraftReportFactory(state=other_state, recommendation=recommendation)
    mine = {published.pk, own_draft.pk, other_draft.pk}

    def visible(user) -> set[int]:
        return set(reports_visible_to(user).filter(pk__in=mine).values_list("pk", flat=True))

    assert visible(AnonymousUser()) == {published.pk}
    assert visible(focal_point) == {published.pk, own_draft.pk}
    assert visible(other_focal_point) == {published.pk, other_draft.pk}
    assert visible(staff) == mine


@pytest.mark.parametrize("size", [2, 10])
def test_reporting_selectors_cost_a_fixed_number_of_queries(
    django_assert_num_queries, staff, state, size
):
    grow(state=state, staff=staff, size=size)
    # recommendations with the status, their themes, the State's open reports
    with django_assert_num_queries(3):
        rows = state_reporting_rows(state=state)
        [(row.recommendation.meeting.year, row.open_reports) for row in rows]
    # the submitted reports with relations and attachment counts, in one query
    with django_assert_num_queries(1):
        [(r.state.name, r.recommendation.meeting.year, r.attachment_count) for r in review_queue()]


def test_contact_points_are_listed_by_regional_group(client, focal_point):
    first, second = StateFactory(), StateFactory()
    ContactPointFactory(state=first, authority="Ministry of the Interior, Alpha")
    ContactPointFactory(state=second, authority="Border police, Beta")
    client.force_login(focal_point)
    page = client.get(reverse("contact_points:list")).content.decode()
    for state in (first, second):
        assert state.regional_group.name in page and state.name in page
    assert "Ministry of the Interior, Alpha" in page and "Border police, Beta" in page
