"""Every public page in each of the six languages: the page says its language and direction,
and none of the base template's English interface strings is left in a translated page.

Fails while a catalogue is incomplete or not compiled: that is its purpose.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.utils.translation import get_language_bidi, override

from tests.public_pages import public_urls

pytestmark = pytest.mark.usefixtures("wgsom")

# The English interface strings of templates/base.html (header, navigation, footer, skip link):
# on every page, so one left untranslated shows on all of them.
BASE_TEMPLATE_STRINGS = {
    "Skip to main content",
    "WGSOM Recommendations Tracker",
    "WGSOM Tracker",
    "Language",
    "Main",
    "Home",
    "Recommendations",
    "Themes",
    "Meetings",
    "States",
    "Compliance",
    "Search",
    "Sign in",
    "Working Group on the Smuggling of Migrants of the Conference of the Parties to the "
    "United Nations Convention against Transnational Organized Crime.",
    "Follow by e-mail",
    "Atom feed of adopted recommendations",
    "Secretariat administration",
}
# Attributes whose values a reader hears or sees as text.
TEXT_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}


class _Texts(HTMLParser):
    """The html element's lang and dir, and every text a reader meets: text nodes, the parts
    of a " · "-joined title, and labelling attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.html: dict[str, str | None] = {}
        self.texts: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.html = dict(attrs)
        for name, value in attrs:
            if name in TEXT_ATTRIBUTES and value:
                self.texts.add(value.strip())

    def handle_data(self, data: str) -> None:
        for part in data.split(" · "):
            if part.strip():
                self.texts.add(" ".join(part.split()))


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_public_page_is_in_the_chosen_language_and_direction(language):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with override(language):
        direction = "rtl" if get_language_bidi() else "ltr"

    wrong_language: dict[str, dict[str, str | None]] = {}
    english_left: dict[str, list[str]] = {}
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        parsed = _Texts()
        parsed.feed(response.content.decode())
        if parsed.html != {"lang": language, "dir": direction}:
            wrong_language[url] = parsed.html
        if language != "en":
            left = sorted(parsed.texts & BASE_TEMPLATE_STRINGS)
            if left:
                english_left[url] = left

    assert wrong_language == {}
    assert english_left == {}
