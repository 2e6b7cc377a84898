"""The Secretariat's decision on a submitted report: one form (validate or return), a
confirmation page before anything is published, and the State's previous status beside it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from reporting import services
from reporting.models import ImplementationReport
from tests.factories import DraftReportFactory, ImplementationReportFactory

ReviewState = ImplementationReport.ReviewState
MEASURES = "A national action plan was adopted in 2024."
COMMENT = "Please give the date the plan was adopted."


@pytest.fixture
def submitted(focal_point_a, state_a, recommendation):
    draft = DraftReportFactory(
        state=state_a,
        recommendation=recommendation,
        status="implemented",
        as_of=datetime.date(2024, 6, 1),
        description=MEASURES,
    )
    return services.implementation_report_submit(report=draft, by=focal_point_a)


@pytest.fixture
def published(state_a, recommendation):
    """The State's current status on the recommendation, which a validation replaces."""
    return ImplementationReportFactory(
        state=state_a,
        recommendation=recommendation,
        status="in_progress",
        as_of=datetime.date(2023, 1, 10),
    )


def review_url(report: ImplementationReport) -> str:
    return reverse("reporting:report_review", args=[report.pk])


def confirm_url(report: ImplementationReport) -> str:
    return reverse("reporting:report_review_confirm", args=[report.pk])


def detail_url(report: ImplementationReport) -> str:
    return reverse("reporting:report_detail", args=[report.pk])


def state_of(report: ImplementationReport) -> str:
    report.refresh_from_db()
    return report.review_state


# The decision page ------------------------------------------------------------------------------


def test_the_secretariat_sees_the_decision_form_beside_the_previous_status(
    secretariat_client, submitted, published
):
    response = secretariat_client.get(detail_url(submitted))
    html = response.content.decode()
    assert response.context["previous"] == published
    assert response.context["other_reports"] == [published]
    assert "Your decision" in html
    assert reverse("reporting:report_detail", args=[published.pk]) in html
    assert f'action="{review_url(submitted)}"' in html
    # One primary button, the decision's; Edit is a secondary link.
    assert html.count('<button type="submit" class="button">') == 1
    assert "button button-secondary" in html
    assert reverse("reporting:report_validate", args=[submitted.pk]) not in html


def test_without_a_published_report_the_page_says_nothing_is_replaced(
    secretariat_client, submitted
):
    response = secretariat_client.get(detail_url(submitted))
    assert response.context["previous"] is None
    assert "nothing is published yet" in response.content.decode()


def test_the_decision_page_costs_the_same_queries_however_long_the_history(
    secretariat_client, django_assert_num_queries, submitted, state_a, recommendation
):
    for size in (1, 6):
        for day in range(size):
            ImplementationReportFactory(
                state=state_a, recommendation=recommendation, as_of=datetime.date(2020, 1, day + 1)
            )
        # session, user, Secretariat check, the report with relations, its files, its history,
        # the current published report, the State's other reports on the recommendation
        with django_assert_num_queries(8):
            response = secretariat_client.get(detail_url(submitted))
        assert response.status_code == 200


def test_focal_points_see_the_report_without_a_decision_form(client, focal_point_a, submitted):
    client.force_login(focal_point_a)
    response = client.get(detail_url(submitted))
    assert response.status_code == 200
    assert "Your decision" not in response.content.decode()
    assert "decision_form" not in response.context


# Errors of the decision form -----------------------------------------------------------------


def test_a_decision_must_be_chosen(secretariat_client, submitted):
    response = secretariat_client.post(review_url(submitted), {"version": submitted.version})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_decision_0"' in html
    assert "Choose whether to validate the report or return it" in html
    assert state_of(submitted) == ReviewState.SUBMITTED


def test_returning_requires_a_comment(secretariat_client, submitted):
    response = secretariat_client.post(
        review_url(submitted), {"decision": "return", "comment": "  ", "version": submitted.version}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_comment"' in html
    assert "Write a comment saying what the State should change" in html
    assert 'aria-invalid="true"' in html
    assert state_of(submitted) == ReviewState.SUBMITTED


def test_the_old_return_url_shows_the_same_error_without_a_comment(secretariat_client, submitted):
    response = secretariat_client.post(
        reverse("reporting:report_return", args=[submitted.pk]), {"version": submitted.version}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert state_of(submitted) == ReviewState.SUBMITTED


# Returning -------------------------------------------------------------------------------------


def test_returning_with_a_comment_completes_at_once(secretariat_client, submitted):
    response = secretariat_client.post(
        review_url(submitted),
        {"decision": "return", "comment": COMMENT, "version": submitted.version},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("reporting:review_queue")
    assert "was returned to the State with your comment" in response.content.decode()
    submitted.refresh_from_db()
    assert (submitted.review_state, submitted.review_comment) == (ReviewState.RETURNED, COMMENT)


def test_the_return_comment_is_never_public(
    client, secretariat_client, focal_point_a, submitted, state_a
):
    secretariat_client.post(
        review_url(submitted),
        {"decision": "return", "comment": COMMENT, "version": submitted.version},
    )
    # The State sees it ...
    client.force_login(focal_point_a)
    assert COMMENT in client.get(detail_url(submitted)).content.decode()
    client.logout()
    # ... the public never does: the report is hidden, and the State's page does not carry it.
    assert client.get(detail_url(submitted)).status_code == 302  # asked to sign in
    state_page = client.get(reverse("states:detail", kwargs={"code": state_a.code}))
    assert COMMENT not in state_page.content.decode()


# Validating ------------------------------------------------------------------------------------


def test_choosing_validate_asks_for_confirmation_and_publishes_nothing(
    secretariat_client, submitted, published, state_a, recommendation
):
    response = secretariat_client.post(
        review_url(submitted), {"decision": "validate", "version": submitted.version}
    )
    assert response.status_code == 200
    assert response.templates[0].name == "reporting/report_review_confirm.html"
    html = response.content.decode()
    assert f"Validate the report of {state_a.name} on {recommendation}?" in html
    assert MEASURES in html  # what becomes public
    assert "The status it replaces" in html
    assert published.get_status_display() in html
    assert 'name="decision" value="validate"' in html
    assert f'name="version" value="{submitted.version}"' in html
    assert "Go back" in html
    assert state_of(submitted) == ReviewState.SUBMITTED


def test_the_confirmation_validates(secretariat_client, submitted):
    response = secretariat_client.post(
        confirm_url(submitted),
        {"decision": "validate", "version": submitted.version},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("reporting:review_queue")
    assert "was validated: it is now published" in response.content.decode()
    assert state_of(submitted) == ReviewState.VALIDATED


def test_the_confirmation_without_the_validate_decision_does_nothing(secretariat_client, submitted):
    response = secretariat_client.post(
        confirm_url(submitted), {"decision": "return", "version": submitted.version}, follow=True
    )
    assert "The request was not understood" in response.content.decode()
    assert state_of(submitted) == ReviewState.SUBMITTED


def test_a_stale_confirmation_is_refused_with_a_clear_error(
    secretariat_client, secretariat, submitted
):
    seen = submitted.version
    # A colleague edits the report after the reviewer opened the confirmation page.
    services.implementation_report_update(
        report=submitted, by=secretariat, version=seen, description="Changed meanwhile."
    )
    response = secretariat_client.post(
        confirm_url(submitted), {"decision": "validate", "version": seen}, follow=True
    )
    assert response.redirect_chain[-1][0] == detail_url(submitted)
    assert "Someone else saved this record after you opened it" in response.content.decode()
    assert state_of(submitted) == ReviewState.SUBMITTED


def test_a_stale_decision_does_not_reach_the_confirmation(
    secretariat_client, secretariat, submitted
):
    seen = submitted.version
    services.implementation_report_update(
        report=submitted, by=secretariat, version=seen, description="Changed meanwhile."
    )
    response = secretariat_client.post(
        review_url(submitted), {"decision": "validate", "version": seen}, follow=True
    )
    assert response.redirect_chain[-1][0] == detail_url(submitted)
    assert "Someone else saved this record after you opened it" in response.content.decode()


def test_a_report_decided_meanwhile_is_not_decided_again(
    secretariat_client, secretariat, submitted
):
    services.implementation_report_return(report=submitted, by=secretariat, comment=COMMENT)
    response = secretariat_client.post(
        confirm_url(submitted), {"decision": "validate", "version": submitted.version}, follow=True
    )
    assert "no longer waiting for validation" in response.content.decode()
    assert state_of(submitted) == ReviewState.RETURNED


# Permissions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (review_url, {"decision": "return", "comment": COMMENT}),
        (review_url, {"decision": "validate"}),
        (confirm_url, {"decision": "validate"}),
    ],
)
def test_only_the_secretariat_decides(client, focal_point_a, submitted, url, data):
    client.force_login(focal_point_a)
    response = client.post(url(submitted), data)
    assert response.status_code == 403
    assert state_of(submitted) == ReviewState.SUBMITTED


def test_anonymous_visitors_are_asked_to_sign_in(client, submitted):
    response = client.post(confirm_url(submitted), {"decision": "validate"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert state_of(submitted) == ReviewState.SUBMITTED


def test_the_decision_urls_answer_posts_only(secretariat_client, submitted):
    assert secretariat_client.get(review_url(submitted)).status_code == 405
    assert secretariat_client.get(confirm_url(submitted)).status_code == 405
