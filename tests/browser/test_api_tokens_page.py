"""The profile's API token section in a real browser: a reader names and makes a token, sees
its key once, finds it listed, and revokes it; axe-core checks the pages, and at desktop
(1366 px) and phone (390 px) widths nothing scrolls sideways, in English and Arabic."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def signed_in(page, site: str) -> None:
    client = Client()
    client.force_login(UserFactory(username="token-reader", email="token-reader@example.org"))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site,
            }
        ]
    )


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_reader_makes_sees_once_and_revokes_a_token(page, site, axe_violations, language):
    signed_in(page, site)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site}]
    )
    page.set_viewport_size(DESKTOP)
    page.goto(f"{site}/accounts/profile/")

    # A blank name (the browser's own check lets spaces through): the error summary.
    page.locator("input[name=name]").fill("   ")
    page.locator("form[action$='/tokens/create/'] button").click()
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []

    page.locator("input[name=name]").fill("A laptop script with a rather long name, to wrap")
    page.locator("form[action$='/tokens/create/'] button").click()
    key = page.locator("code.token-key").inner_text().strip()
    assert len(key) == 40
    assert axe_violations(page) == []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert fits_the_width(page), size

    page.goto(f"{site}/accounts/profile/")
    assert key not in page.content()
    assert key[:8] in page.content()
    assert fits_the_width(page)
    assert axe_violations(page) == []

    page.locator("form[action$='/tokens/revoke/'] button").click()
    assert ApiToken.objects.get().revoked_at is not None
    assert axe_violations(page) == []
