"""In a real browser: the report form's recommendation picker filters as one types, the meeting
field shows only for a national statement, and the page passes axe and fits a phone and a
laptop screen (the WGSOM data loaded: 22 recommendations of the 7th meeting and more)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import SecretariatUserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def signed_in_as_staff(page, site: str) -> None:
    """A Secretariat session handed to the browser: the sign-in form is another page's test."""
    client = Client()
    client.force_login(SecretariatUserFactory(username="report-form-staff"))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site,
            }
        ]
    )


def visible_recommendations(page) -> list[str]:
    return page.eval_on_selector_all(
        "#id_recommendation option",
        "options => options.filter(o => o.value && !o.hidden).map(o => o.textContent)",
    )


def test_typing_in_the_filter_narrows_the_recommendations(page, site):
    signed_in_as_staff(page, site)
    page.goto(reverse("reporting:report_new"))
    everything = visible_recommendations(page)
    assert len(everything) >= 22

    page.get_by_label("Filter recommendations").fill("digital evidence")
    found = visible_recommendations(page)
    assert found and len(found) < len(everything)
    assert all("digital evidence" in text.lower() for text in found)

    # A number finds that recommendation, not those whose number merely contains it.
    page.get_by_label("Filter recommendations").fill("8 2020")
    assert [text.split(":")[0] for text in visible_recommendations(page)] == [
        "Recommendation 8 (2020)"
    ]
    page.get_by_label("Recommendation", exact=True).select_option(
        label=visible_recommendations(page)[0]
    )

    page.get_by_label("Filter recommendations").fill("")
    assert visible_recommendations(page) == everything
    assert (
        page.get_by_label("Recommendation", exact=True)
        .evaluate("select => select.selectedOptions[0].textContent")
        .startswith("Recommendation 8 (2020)")
    )


def test_the_meeting_field_appears_only_for_a_national_statement(page, site):
    signed_in_as_staff(page, site)
    page.goto(reverse("reporting:report_new"))
    meeting = page.get_by_label("Meeting (for a national statement)")
    assert not meeting.is_visible()
    page.get_by_role("combobox", name="Source", exact=True).select_option("national_statement")
    assert meeting.is_visible()
    page.get_by_role("combobox", name="Source", exact=True).select_option("questionnaire")
    assert not meeting.is_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
def test_the_form_passes_axe_and_fits_the_screen(page, site, axe_violations, viewport):
    page.set_viewport_size(viewport)
    signed_in_as_staff(page, site)
    page.goto(reverse("reporting:report_new"))
    page.get_by_label("Filter recommendations").fill("smuggling")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # With errors: the summary takes the focus, and the page is still clean.
    page.get_by_role("button", name="Submit for validation").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
