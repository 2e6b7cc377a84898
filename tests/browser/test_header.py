"""The header on a phone: the navigation and the language switcher fold behind a "Menu"
button, which opens and closes them by mouse and by keyboard; without JavaScript the menu
stays open (and the button, which could do nothing, stays hidden). On a wide screen there is
no button and everything shows."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": 900}


def _page(browser, site: str, *, phone: bool, javascript: bool = True):
    context = browser.new_context(
        base_url=site,
        viewport=PHONE if phone else WIDE,
        is_mobile=phone,
        has_touch=phone,
        locale="en-GB",
        java_script_enabled=javascript,
    )
    context.set_default_timeout(30_000)
    return context, context.new_page()


def test_on_a_phone_the_menu_folds_and_opens_from_the_keyboard(browser, site, axe_violations):
    context, page = _page(browser, site, phone=True)
    try:
        page.goto("/meetings/")
        toggle = page.locator(".menu-toggle")
        assert toggle.is_visible()
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not page.locator(".site-nav").is_visible()
        assert not page.locator(".language-form").is_visible()
        # Folded, the header is the site's name and the button: the page starts near the top.
        assert page.locator(".site-header").bounding_box()["height"] <= 120

        # Keyboard: the skip link, the site's name, then the button.
        for _ in range(3):
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "menu-toggle"
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.locator(".site-nav").is_visible()
        assert page.locator(".language-choice[aria-current=true]").is_visible()
        assert axe_violations(page) == []

        # Tab into the menu, then Escape: folded again, the focus back on the button.
        page.keyboard.press("Tab")
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert page.evaluate("document.activeElement.className") == "menu-toggle"
        assert not page.locator(".site-nav").is_visible()

        # And the mouse (a tap).
        toggle.click()
        page.locator(".site-nav a[href='/states/']").click()
        page.wait_for_url("**/states/")
    finally:
        context.close()


def test_without_javascript_the_menu_stays_open(browser, site):
    context, page = _page(browser, site, phone=True, javascript=False)
    try:
        page.goto("/meetings/")
        assert not page.locator(".menu-toggle").is_visible()
        assert page.locator(".site-nav").is_visible()
        assert page.locator(".language-choice[aria-current=true]").is_visible()
    finally:
        context.close()


def test_on_a_wide_screen_there_is_no_menu_button(browser, site):
    context, page = _page(browser, site, phone=False)
    try:
        page.goto("/meetings/")
        assert not page.locator(".menu-toggle").is_visible()
        assert page.locator(".site-nav").is_visible()
        assert page.locator(".language-choice[aria-current=true]").is_visible()
        # The switcher sits beside the site's name, on the first row.
        name = page.locator(".site-name").bounding_box()
        switcher = page.locator(".language-form").bounding_box()
        assert abs(name["y"] - switcher["y"]) < name["height"]
    finally:
        context.close()
