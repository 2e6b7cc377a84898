"""The Secretariat's review in a browser, on a wide screen and on a phone: from the review
queue to a submitted report's decision page; validating asks for confirmation first, returning
needs a comment. Every page fits the width and axe finds nothing.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright against pytest-django's live
server (tests/browser/conftest.py).
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Recommendation
from reporting import services
from reporting.models import ImplementationReport
from states.models import State
from tests.factories import (
    DraftReportFactory,
    FocalPointFactory,
    ImplementationReportFactory,
    SecretariatUserFactory,
)

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
MEASURES = "A national action plan against the smuggling of migrants was adopted in 2024."
COMMENT = "Please give the date on which the plan was adopted."


@pytest.fixture
def submitted(site):
    """A State's report waiting for validation, with a published status it would replace."""
    state = State.objects.order_by("name").first()
    recommendation = (
        Recommendation.objects.filter(status=Recommendation.Status.ADOPTED)
        .select_related("meeting")
        .order_by("meeting__ordinal", "order", "pk")
        .first()
    )
    ImplementationReportFactory(
        state=state,
        recommendation=recommendation,
        status="in_progress",
        as_of=datetime.date(2022, 5, 1),
        validated_at=timezone.now() - datetime.timedelta(days=400),
    )
    focal_point = FocalPointFactory(username="review-focal", state=state)
    draft = DraftReportFactory(
        state=state,
        recommendation=recommendation,
        status="implemented",
        as_of=datetime.date(2024, 6, 1),
        description=MEASURES,
        evidence_url="https://example.org/action-plan",
    )
    return services.implementation_report_submit(report=draft, by=focal_point)


def signed_in(page, site: str) -> None:
    """A Secretariat session handed to the browser: signing in is another page's test."""
    client = Client()
    client.force_login(SecretariatUserFactory(username="review-staff"))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site,
            }
        ]
    )


def assert_fits_and_accessible(page, axe_violations) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    assert axe_violations(page) == [], page.url


def open_from_the_queue(page, report: ImplementationReport, axe_violations) -> None:
    page.goto(reverse("reporting:review_queue"))
    assert page.get_by_role("link", name="Submitted (1)").get_attribute("aria-current") == "page"
    assert_fits_and_accessible(page, axe_violations)
    page.get_by_role("link", name=str(report.recommendation)).click()
    page.get_by_role("group", name="Your decision").wait_for()
    assert page.get_by_role("heading", name="The State's previous status").is_visible()
    assert_fits_and_accessible(page, axe_violations)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_secretariat_validates_after_confirming(page, site, submitted, axe_violations, width):
    page.set_viewport_size(WIDTHS[width])
    signed_in(page, site)
    open_from_the_queue(page, submitted, axe_violations)

    # Continuing without a decision is an error, summarised at the top.
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_fits_and_accessible(page, axe_violations)

    # By keyboard: the first radio button, then Space, then Enter on the button.
    page.get_by_label("Validate", exact=True).focus()
    page.keyboard.press("Space")
    assert page.get_by_label("Validate", exact=True).is_checked()
    page.get_by_role("button", name="Continue").focus()
    page.keyboard.press("Enter")

    heading = f"Validate the report of {submitted.state.name} on {submitted.recommendation}?"
    page.get_by_role("heading", name=heading).wait_for()
    main = page.locator("main")
    assert MEASURES in main.inner_text()
    assert "The status it replaces" in main.inner_text()
    assert_fits_and_accessible(page, axe_violations)
    submitted.refresh_from_db()
    assert submitted.review_state == ImplementationReport.ReviewState.SUBMITTED

    page.get_by_role("button", name="Validate report").click()
    page.get_by_text("it is now published").wait_for()
    submitted.refresh_from_db()
    assert submitted.review_state == ImplementationReport.ReviewState.VALIDATED

    page.get_by_role("link", name="Recently validated (1)").click()
    assert page.get_by_role("link", name=str(submitted.recommendation)).count() == 1
    assert_fits_and_accessible(page, axe_violations)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_secretariat_returns_with_a_comment(page, site, submitted, axe_violations, width):
    page.set_viewport_size(WIDTHS[width])
    signed_in(page, site)
    open_from_the_queue(page, submitted, axe_violations)

    page.get_by_label("Return to the State").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    error = page.get_by_role("link", name="Write a comment saying what the State should change")
    assert error.count() == 1
    assert_fits_and_accessible(page, axe_violations)

    page.get_by_label("Return to the State").check()
    page.get_by_label("Comment to the State").fill(COMMENT)
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("was returned to the State with your comment").wait_for()
    submitted.refresh_from_db()
    assert submitted.review_state == ImplementationReport.ReviewState.RETURNED

    page.get_by_role("link", name="Returned (1)").click()
    assert COMMENT in page.locator("main").inner_text()
    assert_fits_and_accessible(page, axe_violations)
