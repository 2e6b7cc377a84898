"""The signed-in pages (a focal point's and the Secretariat's) in each of the six languages:
each says its language and direction, and none of the base template's English interface
strings is left in a translated page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils.translation import get_language_bidi, override

from tests.public.test_languages import BASE_TEMPLATE_STRINGS, _Texts

pytestmark = pytest.mark.usefixtures("wgsom")

FOCAL_POINT_PAGES = [
    "/reporting/my-state/",
    "/reporting/reports/new/",
    "/accounts/profile/",
    "/subscriptions/",
]
SECRETARIAT_PAGES = [
    "/reporting/review/",
    "/reporting/bulk/",
    "/reporting/import/",
    "/reporting/states/AUT/",
    "/staff/import/",
    "/contact-points/",
    "/implementation/reports/",
    "/subscriptions/counts/",
]
# Strings of the signed-in header, beside the public ones.
SIGNED_IN_STRINGS = BASE_TEMPLATE_STRINGS - {"Sign in"} | {"Sign out", "My State's reports"}


def _signed_in(user, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_signed_in_page_is_in_the_chosen_language_and_direction(
    language, focal_point, secretariat
):
    with override(language):
        direction = "rtl" if get_language_bidi() else "ltr"
    pages = [(focal_point, url) for url in FOCAL_POINT_PAGES] + [
        (secretariat, url) for url in SECRETARIAT_PAGES
    ]

    wrong_language: dict[str, dict[str, str | None]] = {}
    english_left: dict[str, list[str]] = {}
    for user, url in pages:
        # Each page with a fresh client, as a user whose profile names no language: the
        # cookie decides.
        user.language = ""
        user.save(update_fields=["language"])
        response = _signed_in(user, language).get(url)
        assert response.status_code == 200, url
        parsed = _Texts()
        parsed.feed(response.content.decode())
        if (parsed.html.get("lang"), parsed.html.get("dir")) != (language, direction):
            wrong_language[url] = parsed.html
        if language != "en":
            left = sorted(parsed.texts & SIGNED_IN_STRINGS)
            if left:
                english_left[url] = left

    assert wrong_language == {}
    assert english_left == {}
