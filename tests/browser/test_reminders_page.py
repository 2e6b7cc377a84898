"""The Reminders page in a real browser: the Secretariat opens it from its menu, sees the schedule,
who would be reminded and the message, changes the days (a mistake first), then sends the
reminders now through the confirmation page. axe-core checks each page; at desktop width
(1366 px) and phone width (390 px) nothing scrolls sideways.

Tasks run in-process here (no broker), so confirming reminds the States at once: what a worker
would do within minutes.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from compliance.models import ReminderLog
from compliance.selectors import REMINDERS_TASK
from states.models import State
from tests.factories import SecretariatUserFactory, UserFactory

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def signed_in(page, site: str) -> None:
    """Staff session cookie handed to the browser: the sign-in form is another page's test."""
    client = Client()
    client.force_login(SecretariatUserFactory(username="reminders-staff"))
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


@pytest.fixture
def silent_parties(site):
    """The reminders' schedule (a live server's database is flushed between tests, taking the
    migration's row with it) and three States parties with focal points that reported nothing."""
    if not PeriodicTask.objects.filter(task=REMINDERS_TASK).exists():
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute="0",
            hour="8",
            day_of_week="1",
            day_of_month="*",
            month_of_year="*",
            timezone=settings.TIME_ZONE,
        )
        PeriodicTask.objects.create(
            name="Compliance summaries: weekly reminders to focal points",
            task=REMINDERS_TASK,
            kwargs=json.dumps({}),
            crontab=crontab,
        )
    parties = list(State.objects.parties().order_by("code")[:3])
    for index, state in enumerate(parties):
        UserFactory(username=f"reminded-{index}", state=state)
    return parties


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "390px"])
def test_the_secretariat_checks_the_reminders_and_sends_them_now(
    browser, site, silent_parties, axe_violations, viewport
):
    context = browser.new_context(base_url=site, viewport=viewport, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        signed_in(page, site)
        page.goto(reverse("profile"))
        menu_link = page.get_by_role("link", name="Reminders", exact=True)
        if not menu_link.is_visible():  # phones fold the menu behind its button
            page.get_by_role("button", name="Menu").click()
        menu_link.click()

        page.get_by_role("heading", name="Reminders to focal points").wait_for()
        schedule = page.get_by_test_id("reminder-schedule")
        assert "At 08:00, only on Monday" in schedule.inner_text()
        recipients = page.get_by_test_id("reminder-recipients")
        for state in silent_parties:
            assert state.name in recipients.inner_text()
        assert "reminded-0@example.org" in recipients.inner_text()
        assert silent_parties[0].name in page.get_by_test_id("reminder-message").inner_text()
        assert axe_violations(page) == []
        assert fits_the_width(page)

        # A mistake first: the error summary names it and leads to the field.
        days = page.get_by_label("Days after a meeting before reminders start")
        days.fill("400")
        page.get_by_role("button", name="Save the number of days").click()
        page.get_by_role("heading", name="There is a problem").wait_for()
        assert axe_violations(page) == []
        assert fits_the_width(page)
        page.get_by_role("link", name="The number of days must be 365 or fewer.").click()
        assert page.url.endswith("#id_days_after_meeting")
        days.fill("30")
        days.press("Enter")  # by keyboard
        page.get_by_text("Saved: reminders start 30 days after a meeting.").wait_for()

        page.get_by_role("link", name="Send the reminders now").click()
        page.get_by_role("heading", name="Send the reminders now?").wait_for()
        assert "The focal points of 3 States will be e-mailed" in page.locator("main").inner_text()
        assert ReminderLog.objects.count() == 0  # nothing sent by opening the confirmation
        assert axe_violations(page) == []
        assert fits_the_width(page)
        page.get_by_role("button", name="Yes, send the reminders").click()

        page.get_by_text("The reminders are queued").wait_for()
        assert page.url.endswith(reverse("compliance:reminders"))
        assert ReminderLog.objects.count() == 3
        assert axe_violations(page) == []
    finally:
        context.close()
