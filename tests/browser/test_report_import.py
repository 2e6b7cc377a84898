"""The staff report import in a browser: upload a Word report, see the preview on its job's
page once the job has read it (Celery runs in-process here), confirm, and find the imported
records on the same page once the import job has run."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from meetings.models import Meeting
from recommendations.models import Recommendation
from tests.factories import SuperuserFactory
from tests.ingest.documents import LAYOUT_2020, source_paragraphs, tenth_meeting_text, to_docx

pytestmark = pytest.mark.browser


def signed_in(page, site: str) -> None:
    """Staff session cookie handed to the browser: the sign-in form is another page's test."""
    client = Client()
    client.force_login(SuperuserFactory(username="import-staff"))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site,
            }
        ]
    )


def test_staff_upload_a_report_preview_it_confirm_and_see_the_records(
    page, site, tmp_path, axe_violations
):
    text = tmp_path / "tenth.txt"
    text.write_text(tenth_meeting_text(), encoding="utf-8")
    report = tmp_path / "report-of-the-tenth-meeting.docx"
    report.write_bytes(to_docx(source_paragraphs(text), LAYOUT_2020, per_page=10))
    signed_in(page, site)

    page.goto(reverse("report_import:upload"))
    assert axe_violations(page) == []
    page.get_by_label("Report file").set_input_files(str(report))
    page.get_by_role("button", name="Read the report").click()

    page.get_by_role("heading", name="Preview of the meeting report import").wait_for()
    assert "10th meeting (2031)" in page.locator("main").inner_text()
    assert page.get_by_text("Near-duplicate:").count() >= 22
    assert not Meeting.objects.filter(ordinal=10).exists()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Confirm the import").click()

    page.get_by_role("heading", name="Meeting report imported").wait_for()
    assert "Report imported: 152 records created" in (
        page.get_by_test_id("import-result").inner_text()
    )
    items = page.locator("li.rec-item")
    assert items.count() == 22
    thirteen = page.locator('li.rec-item[data-label="13"]')
    assert "In the context of a pandemic, States parties should share information" in (
        thirteen.inner_text()
    )
    assert Recommendation.objects.filter(meeting__ordinal=10).count() == 22


def test_a_file_that_is_no_report_is_refused_on_the_page(page, site, tmp_path):
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"this is not a pdf")
    signed_in(page, site)

    page.goto(reverse("report_import:upload"))
    page.get_by_label("Report file").set_input_files(str(letter))
    page.get_by_role("button", name="Read the report").click()

    alert = page.get_by_role("alert").first
    assert "This file cannot be imported" in alert.inner_text()
    assert "not a PDF" in alert.inner_text()
