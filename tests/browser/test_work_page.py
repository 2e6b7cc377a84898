""" "Needs your action" in a real browser: a focal point and a member of the Secretariat sign in
through the form and land on it, at a phone's width (390 px) and a laptop's (1366 px), with no
sideways scrolling and nothing for axe-core to report; on the phone each item is one card,
its action under its text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations.models import Recommendation
from reporting.models import ImplementationReport
from tests.factories import (
    DraftReportFactory,
    FocalPointFactory,
    SecretariatUserFactory,
    StateFactory,
)

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"  # tests.factories.UserFactory's
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
COMMENT = "Please cite the decree that adopted the national action plan on smuggling."


@pytest.fixture
def people(site):
    """A focal point whose State has a returned report, a draft and a submission, and a
    member of the Secretariat."""
    state = StateFactory(name="Republic of Browserland")
    adopted = list(Recommendation.objects.filter(status="adopted").order_by("pk")[:3])
    ReviewState = ImplementationReport.ReviewState
    DraftReportFactory(
        state=state,
        recommendation=adopted[0],
        review_state=ReviewState.RETURNED,
        review_comment=COMMENT,
    )
    DraftReportFactory(state=state, recommendation=adopted[1])
    DraftReportFactory(state=state, recommendation=adopted[2], review_state=ReviewState.SUBMITTED)
    return {
        "focal point": FocalPointFactory(username="focal-browserland", state=state),
        "Secretariat": SecretariatUserFactory(username="work-staff"),
    }


def sign_in(page, username: str) -> None:
    page.goto(reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: reverse("login") not in url)


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390px", "1366px"])
@pytest.mark.parametrize("persona", ["focal point", "Secretariat"])
def test_signing_in_lands_on_a_page_that_fits_and_passes_axe(
    browser, site, people, axe_violations, persona, viewport
):
    context = browser.new_context(base_url=site, viewport=viewport, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, people[persona].username)
        assert page.url.endswith(reverse("work"))
        assert page.get_by_role("heading", level=1).inner_text() == "Needs your action"
        current = page.locator(".account-nav a[aria-current=page]")
        assert current.inner_text() == "Needs your action"
        if persona == "focal point":
            returned = page.locator("section[aria-labelledby=returned-heading]")
            assert "Returned to you" in returned.get_by_role("heading").inner_text()
            assert COMMENT in returned.inner_text()
            assert returned.get_by_role("link", name="Edit and resubmit").is_visible()
        else:
            waiting = page.locator("section[aria-labelledby=waiting-heading]")
            assert "Republic of Browserland" in waiting.inner_text()
            assert COMMENT not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert axe_violations(page) == []

        task = page.locator(".task-list .task").first
        body, action = task.locator(".task-body"), task.locator(".task-action").first
        if action.count():
            body_box, action_box = body.bounding_box(), action.bounding_box()
            if viewport is PHONE:
                # One card: the action under the text, not squeezed beside it.
                assert action_box["y"] >= body_box["y"] + body_box["height"] - 1
            else:
                assert abs(action_box["y"] - body_box["y"]) < 20
    finally:
        context.close()


def test_a_reader_is_pointed_to_the_public_pages(browser, site, axe_violations):
    from tests.factories import UserFactory

    UserFactory(username="work-reader")
    context = browser.new_context(base_url=site, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, "work-reader")
        assert page.url.endswith(reverse("work"))
        assert page.get_by_role("link", name="Recommendations").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert axe_violations(page) == []
    finally:
        context.close()
