"""Bulk entry in a browser: a Secretariat member records one recommendation for a regional
group's States, leaving one out and changing another, and finds each report linked on the
result; the three pages fit a phone's width without sideways scrolling, and axe finds
nothing on any of them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from recommendations.models import Recommendation
from reporting.models import ImplementationReport
from states.models import RegionalGroup
from tests.factories import SecretariatUserFactory

pytestmark = pytest.mark.browser

URL = "/reporting/bulk/"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def signed_in(page, site: str) -> None:
    """Staff session cookie handed to the browser: the sign-in form is another page's test."""
    client = Client()
    client.force_login(SecretariatUserFactory(username="bulk-staff"))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site,
            }
        ]
    )


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def fill_step_one(page, recommendation: Recommendation, group: str) -> None:
    page.get_by_label("Recommendation", exact=True).select_option(str(recommendation.pk))
    page.get_by_label(group).check()
    page.get_by_label("Partially implemented").check()
    page.get_by_label("Status as of").fill("2024-04-01")
    page.get_by_label("Source").select_option("questionnaire")


def test_staff_record_a_regional_group_in_bulk(page, site, axe_violations):
    recommendation = Recommendation.objects.filter(status="adopted").first()
    group = RegionalGroup.objects.get(slug="eastern-european-states")
    members = group.states.count()
    signed_in(page, site)
    page.set_viewport_size(DESKTOP)

    page.goto(URL)
    assert axe_violations(page) == []
    assert not page.get_by_label("Record as validated (publish now)").is_checked()
    fill_step_one(page, recommendation, "Eastern European States")
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("heading", name="Check the reports before recording them").wait_for()
    rows = page.locator("table.bulk-rows tbody tr")
    assert rows.count() == members
    assert fits(page)
    assert axe_violations(page) == []
    record = page.get_by_role("button", name=f"Record {members} reports")
    assert record.is_visible()
    page.get_by_label("Include Poland").uncheck()
    # The button follows the boxes.
    page.get_by_role("button", name=f"Record {members - 1} reports").wait_for()
    page.get_by_label("Status to record for Ukraine").select_option("implemented")
    page.get_by_role("button", name=f"Record {members - 1} reports").click()

    page.get_by_role("heading", name=f"{members - 1} reports recorded").wait_for()
    assert axe_violations(page) == []
    reports = ImplementationReport.objects.filter(recommendation=recommendation)
    assert reports.count() == members - 1
    assert not reports.filter(state__code="POL").exists()
    assert reports.get(state__code="UKR").status == "implemented"
    assert set(reports.exclude(state__code="UKR").values_list("status", flat=True)) == {
        "partially_implemented"
    }
    assert set(reports.values_list("review_state", flat=True)) == {"draft"}
    page.get_by_role("link", name="Ukraine").click()
    page.wait_for_url(f"**/reporting/reports/{reports.get(state__code='UKR').pk}/")


def test_the_bulk_entry_pages_fit_a_phone_and_pass_axe(page, site, axe_violations):
    recommendation = Recommendation.objects.filter(status="adopted").first()
    signed_in(page, site)
    page.set_viewport_size(PHONE)

    page.goto(URL)
    assert fits(page), "step one scrolls sideways"
    assert axe_violations(page) == []

    # A list with a name the tracker does not know: the error names it.
    page.get_by_label("Recommendation", exact=True).select_option(str(recommendation.pk))
    page.get_by_label("Paste State names or ISO codes").fill("Austria\nAtlantis\nMEX, ch")
    page.get_by_label("In progress").check()
    page.get_by_label("Status as of").fill("2024-04-01")
    page.get_by_label("Source").select_option("questionnaire")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("“Atlantis” is not a State name or ISO code").first.wait_for()
    assert fits(page)
    assert axe_violations(page) == []

    page.get_by_label("Paste State names or ISO codes").fill("Austria\nMEX, ch")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check the reports before recording them").wait_for()
    assert page.locator("table.bulk-rows tbody tr").count() == 3
    assert fits(page), "the check step scrolls sideways"
    assert axe_violations(page) == []

    page.get_by_role("button", name="Record 3 reports").click()
    page.get_by_role("heading", name="3 reports recorded").wait_for()
    assert fits(page), "the result scrolls sideways"
    assert axe_violations(page) == []
