"""Names the records do not know, resolved in the browser: a report naming an unknown State is
previewed with its recommendations and the name to resolve, the officer says which State it
is, confirms, and a second report using the name asks nothing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from meetings.models import Meeting
from states.models import StateAlias
from tests.factories import SecretariatUserFactory
from tests.ingest.documents import tenth_meeting_text

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def signed_in(page, site: str):
    """A Secretariat member's session cookie handed to the browser."""
    officer = SecretariatUserFactory(username="alias-officer")
    client = Client()
    client.force_login(officer)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site,
            }
        ]
    )
    return officer


def upload(page, path) -> None:
    page.goto(reverse("report_import:upload"))
    page.get_by_label("Report file").set_input_files(str(path))
    page.get_by_role("button", name="Read the report").click()
    page.get_by_role("heading", name="Preview of the meeting report import").wait_for()


def test_an_unknown_state_is_mapped_once_and_not_asked_about_again(
    page, site, tmp_path, axe_violations
):
    report = tmp_path / "tenth.txt"
    report.write_text(tenth_meeting_text().replace("Afghanistan,", "Atlantis,"), encoding="utf-8")
    officer = signed_in(page, site)

    upload(page, report)

    main = page.locator("main")
    assert "Names to resolve" in main.inner_text()
    assert "In the context of a pandemic" in main.inner_text()
    assert not Meeting.objects.filter(ordinal=10).exists()
    assert axe_violations(page) == []

    # Confirming without an answer asks again, with the error summary linking to the field.
    page.get_by_role("button", name="Confirm the import").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "Say what Atlantis is." in summary.inner_text()
    assert axe_violations(page) == []

    page.get_by_label("Atlantis").select_option(label="Afghanistan")
    page.get_by_role("button", name="Confirm the import").click()

    page.get_by_role("heading", name="Meeting report imported").wait_for()
    alias = StateAlias.objects.get(name="Atlantis")
    assert (alias.state.code, alias.created_by) == ("AFG", officer)
    assert Meeting.objects.get(ordinal=10).participations.filter(state__code="AFG").exists()

    upload(page, report)

    assert "Names to resolve" not in page.locator("main").inner_text()
    # Everything is on record now: nothing to confirm, and the page says so.
    assert page.get_by_role("button", name="Confirm the import").is_disabled()
    assert "there is nothing to confirm" in page.locator("#nothing-to-import").inner_text()
    assert StateAlias.objects.count() == 1
