"""Setting up the second factor in a real browser: a member of the Secretariat signs in with
the password, is sent to set up an authenticator app, types the key shown into "the app" (here,
Python computes its code), sees the recovery codes once, and lands on "Needs your action". Each
page fits a phone (390 px) and a laptop (1366 px) and gives axe-core nothing to report."""

from __future__ import annotations

from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp

from tests.factories import SecretariatUserFactory

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"  # tests.factories.UserFactory's
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def sign_in(page, username: str) -> None:
    page.goto(reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390px", "1366px"])
def test_a_secretariat_member_sets_up_an_app_and_lands_on_the_work_page(
    browser, site, settings, axe_violations, viewport
):
    settings.OTP_REQUIRED_FOR_STAFF = True
    staff = SecretariatUserFactory(username="otp-staff")
    context = browser.new_context(base_url=site, viewport=viewport, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, staff.username)
        page.wait_for_url(lambda url: reverse("two_factor_setup") in url)

        assert page.get_by_role("heading", level=1).inner_text() == "Set up your authenticator app"
        assert page.locator(".two-factor-qr svg").is_visible()
        assert fits(page)
        assert axe_violations(page) == []

        secret = page.locator(".two-factor-secret").inner_text().replace(" ", "")
        code = str(totp(b32decode(secret))).zfill(6)
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Confirm the code").click()

        page.get_by_role("heading", name="Your recovery codes").wait_for()
        assert page.locator(".recovery-codes li").count() == 10
        recovery_code = page.locator(".recovery-codes li").first.inner_text()
        assert fits(page)
        assert axe_violations(page) == []

        page.get_by_role("link", name="I have stored my codes, continue").click()
        page.wait_for_url(lambda url: url.endswith(reverse("work")))
        assert page.get_by_role("heading", level=1).inner_text() == "Needs your action"

        # Next time: the password, then a code (here a recovery code, as after losing a phone).
        context.clear_cookies()
        sign_in(page, staff.username)
        page.wait_for_url(lambda url: reverse("two_factor_verify") in url)
        assert page.get_by_role("heading", level=1).inner_text() == "Enter your code"
        assert fits(page)
        assert axe_violations(page) == []
        page.get_by_label("Code").fill(recovery_code)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(lambda url: url.endswith(reverse("work")))
        assert "You used a recovery code. You have 9 left." in page.content()
    finally:
        context.close()


def test_a_wrong_code_shows_the_error_summary_and_passes_axe(
    browser, site, settings, axe_violations
):
    settings.OTP_REQUIRED_FOR_STAFF = True
    staff = SecretariatUserFactory(username="otp-staff-wrong")
    context = browser.new_context(base_url=site, viewport=PHONE, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, staff.username)
        page.wait_for_url(lambda url: reverse("two_factor_setup") in url)
        secret = page.locator(".two-factor-secret").inner_text().replace(" ", "")
        wrong = str((totp(b32decode(secret)) + 500_000) % 1_000_000).zfill(6)
        page.get_by_label("Code").fill(wrong)
        page.get_by_role("button", name="Confirm the code").click()
        page.get_by_role("heading", name="There is a problem").wait_for()
        assert fits(page)
        assert axe_violations(page) == []
    finally:
        context.close()
