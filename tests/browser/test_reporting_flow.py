"""In a real browser: a focal point signs in and submits a report with an attachment, the
Secretariat validates it, and the public State page then shows the status.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright against pytest-django's live
server. Without Chromium the test is skipped locally and fails in CI (CI=true).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import (
    FocalPointFactory,
    RecommendationFactory,
    SecretariatUserFactory,
    StateFactory,
)

PASSWORD = "a-long-test-password"  # tests.factories.UserFactory's
MEASURES = "A national action plan against the smuggling of migrants was adopted in 2023."

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page(browser, settings, tmp_path):
    """A fresh page of the module's Chromium (tests/browser/conftest.py); attachments go to a
    folder of the test's own."""
    settings.REPORT_ATTACHMENTS_ROOT = tmp_path / "private-media"
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.get_by_label("E-mail address or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").first.click()


def test_focal_point_submits_staff_validate_and_the_public_sees_it(
    live_server, browser_page, tmp_path
):
    from fpdf import FPDF

    state = StateFactory(name="Republic of Browserland")
    recommendation = RecommendationFactory(text="States parties should adopt action plans.")
    FocalPointFactory(username="focal", email="focal@browserland.example", state=state)
    SecretariatUserFactory(username="staff", email="staff@unodc.example")
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Action plan")
    evidence = tmp_path / "action-plan.pdf"
    evidence.write_bytes(bytes(pdf.output()))
    page, base = browser_page, live_server.url

    # The focal point writes the report, attaches the plan and submits it.
    sign_in(page, base, "focal")
    page.goto(base + reverse("reporting:my_state"))
    page.locator(f"#recommendation-{recommendation.pk}").get_by_role(
        "link", name="Write a report"
    ).click()
    page.get_by_label("Implemented", exact=True).check()
    page.get_by_label("Status as of").fill("2024-01-15")
    page.get_by_label("Describe the measures taken").fill(MEASURES)
    page.get_by_label("Attach files").set_input_files(str(evidence))
    page.get_by_role("button", name="Submit for validation").click()
    page.get_by_text("Report submitted to the Secretariat for validation.").wait_for()
    assert page.get_by_role("link", name="action-plan.pdf").is_visible()
    sign_out(page)

    # Not public yet.
    page.goto(base + reverse("states:detail", kwargs={"code": state.code}))
    assert MEASURES not in page.content()

    # The Secretariat finds it in the review queue and validates it.
    sign_in(page, base, "staff")
    page.goto(base + reverse("reporting:review_queue"))
    page.get_by_role("row", name="Republic of Browserland").get_by_role("link").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="action-plan.pdf").click()
    assert Path(download.value.path()).read_bytes() == evidence.read_bytes()
    # One decision form; validating asks for confirmation first.
    page.get_by_label("Validate", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Validate report").click()
    page.get_by_text("it is now published").wait_for()
    sign_out(page)

    # The public State page shows the status.
    page.goto(base + reverse("states:detail", kwargs={"code": state.code}))
    history = page.locator("table", has_text=MEASURES)
    assert history.count() == 1
    assert history.get_by_text("Implemented").first.is_visible()
