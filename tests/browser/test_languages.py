"""The interface in Arabic and Chinese in a real browser: axe-core on every public page at a
phone's and a desktop's width, Arabic laid out right to left without sideways scrolling, the
switcher used from the keyboard, a signed-in user's language remembered, and axe-core on the
focal point's and the Secretariat's pages.

The matrix visits each public page once per language and width (4 walks), not more: the walks
are most of this module's time.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from states.models import State
from tests.browser.conftest import DESKTOP
from tests.factories import SecretariatUserFactory, UserFactory
from tests.public_pages import public_urls
from tests.test_signed_in_languages import FOCAL_POINT_PAGES, SECRETARIAT_PAGES

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": DESKTOP["height"]}
PASSWORD = "a-long-test-password"  # tests.factories.UserFactory's


def _context(browser, site: str, *, width: str, language: str | None = None):
    phone = width == "phone"
    context = browser.new_context(
        base_url=site,
        viewport=PHONE if phone else WIDE,
        is_mobile=phone,
        has_touch=phone,
        locale="en-GB",
    )
    context.set_default_timeout(10_000)
    if language:
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site}]
        )
    return context


@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.parametrize("language", ["ar", "zh-hans"])
def test_every_public_page_passes_axe_and_fits_the_width(
    browser, site, axe_violations, language, width
):
    context = _context(browser, site, width=width, language=language)
    page = context.new_page()
    direction = "rtl" if language == "ar" else "ltr"
    violations, wrong_direction, too_wide = {}, {}, {}
    try:
        for url in public_urls():
            page.goto(url)
            found = axe_violations(page)
            if found:
                violations[url] = found
            html = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
            if html != [language, direction]:
                wrong_direction[url] = html
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if widths[0] > widths[1]:
                too_wide[url] = widths
    finally:
        context.close()

    assert violations == {}
    assert wrong_direction == {}
    assert too_wide == {}


def _focus_language_button(page, code: str) -> None:
    """Tab from the top of the page to the switcher's button for `code`, as a keyboard user
    does (the skip link and the site's name come first)."""
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == code:
            return
    raise AssertionError(f"Tab never reached the {code} button of the switcher")


def test_the_switcher_switches_in_one_keypress_and_the_choice_persists(browser, site):
    context = _context(browser, site, width="desktop")
    page = context.new_page()
    try:
        page.goto("/themes/technology/")
        assert page.locator("html").get_attribute("lang") == "en"

        _focus_language_button(page, "ar")
        page.keyboard.press("Enter")

        page.wait_for_selector("html[lang=ar][dir=rtl]")
        assert page.url.endswith("/themes/technology/")  # back on the same page
        current = page.locator(".language-choice[aria-current=true]")
        assert current.get_attribute("value") == "ar"
        assert current.get_attribute("lang") == "ar"
        assert current.get_attribute("dir") == "rtl"

        # Another page, reached through the navigation: still Arabic.
        page.locator(f".site-nav a[href='{reverse('meetings:list')}']").click()
        page.wait_for_url("**/meetings/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("html").get_attribute("lang") == "ar"

        # And back to Chinese, again in one keypress.
        _focus_language_button(page, "zh-hans")
        page.keyboard.press("Enter")
        page.wait_for_selector("html[lang=zh-hans][dir=ltr]")
        assert page.url.endswith("/meetings/")
    finally:
        context.close()


def _sign_in(page, username: str) -> None:
    # By the fields' ids: the labels are in whatever language the page is in.
    page.goto(reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: reverse("login") not in url)


def test_a_signed_in_users_language_is_remembered_after_signing_out_and_in(browser, site):
    user = UserFactory(username="delegate", email="delegate@example.org")
    context = _context(browser, site, width="desktop")
    page = context.new_page()
    try:
        _sign_in(page, "delegate")
        _focus_language_button(page, "ar")
        page.keyboard.press("Enter")
        page.wait_for_selector("html[lang=ar]")
        page.locator(f"form[action='{reverse('logout')}'] button").click()
        page.wait_for_load_state()
    finally:
        context.close()
    user.refresh_from_db()
    assert user.language == "ar"

    # A browser that never saw the choice (no cookie, English Accept-Language): signing in
    # brings Arabic back.
    context = _context(browser, site, width="desktop")
    page = context.new_page()
    try:
        _sign_in(page, "delegate")
        assert page.locator("html").get_attribute("lang") == "ar"
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.goto("/states/")
        assert page.locator("html").get_attribute("lang") == "ar"
    finally:
        context.close()


@pytest.mark.parametrize(
    ("language", "width"),
    [("ar", "phone"), ("zh-hans", "desktop"), ("ar", "desktop"), ("zh-hans", "phone")],
)
def test_every_signed_in_page_passes_axe_in_arabic_and_chinese(
    browser, site, axe_violations, language, width
):
    focal_point = UserFactory(
        username=f"focal-{language}-{width}", state=State.objects.get(code="AUT")
    )
    staff = SecretariatUserFactory(username=f"staff-{language}-{width}")
    direction = "rtl" if language == "ar" else "ltr"
    violations, wrong_direction = {}, {}
    for user, urls in (
        (focal_point, FOCAL_POINT_PAGES),
        (staff, SECRETARIAT_PAGES),
    ):
        context = _context(browser, site, width=width, language=language)
        page = context.new_page()
        try:
            _sign_in(page, user.username)
            for url in urls:
                page.goto(url)
                found = axe_violations(page)
                if found:
                    violations[url] = found
                html = page.evaluate(
                    "[document.documentElement.lang, document.documentElement.dir]"
                )
                if html != [language, direction]:
                    wrong_direction[url] = html
        finally:
            context.close()

    assert violations == {}
    assert wrong_direction == {}
