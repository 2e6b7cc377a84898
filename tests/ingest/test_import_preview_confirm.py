"""The meeting-report preview puts the decision first: what importing would change, then
Confirm, then the details; and Confirm cannot be pressed when importing would change nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .documents import REPORT_2020, tenth_meeting_text

pytestmark = pytest.mark.usefixtures("wgsom")

UPLOAD = reverse("report_import:upload")
CONFIRM_BUTTON = '<button type="submit" class="button"'


@pytest.fixture
def signed_in_staff(client, staff):
    client.force_login(staff)
    return staff


@pytest.fixture
def preview(client, django_capture_on_commit_callbacks):
    """The job page of an upload once its check job has run (in-process)."""

    def upload_and_check(content: bytes, name: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(UPLOAD, {"report": SimpleUploadedFile(name, content)})
        page = client.get(response.url)
        assert page.status_code == 200
        return page.content.decode()

    return upload_and_check


def test_confirm_comes_right_after_the_summary_of_changes_before_the_details(
    signed_in_staff, preview
):
    page = preview(tenth_meeting_text().encode(), "tenth.txt")

    summary = page.index('id="summary-heading"')
    button = page.index(CONFIRM_BUTTON)
    assert summary < page.index("Records by outcome") < button
    assert button < page.index('id="details-heading"')
    # The recommendations and the document's facts are details, below the button.
    assert button < page.index("In the context of a pandemic")
    assert button < page.index("The document")
    assert page.count(CONFIRM_BUTTON) == 1
    assert f"{CONFIRM_BUTTON}>Confirm the import</button>" in page


def test_a_report_already_on_record_cannot_be_confirmed_and_the_page_says_why(
    signed_in_staff, preview
):
    page = preview(REPORT_2020.read_bytes(), "report-2020.txt")

    assert "importing it would change nothing, so there is nothing to confirm" in page
    assert (
        f'{CONFIRM_BUTTON} disabled aria-describedby="nothing-to-import">Confirm the import' in page
    )
    assert 'id="nothing-to-import"' in page
    assert page.index('id="nothing-to-import"') < page.index(CONFIRM_BUTTON)


def test_the_pages_name_the_two_importers_by_what_they_take(client, signed_in_staff):
    upload_page = client.get(UPLOAD).content.decode()
    assert "<h1>Import a meeting report</h1>" in upload_page
    assert f'href="{reverse("reporting:import")}"' in upload_page
    assert "Import an implementation reports spreadsheet" in upload_page
    # The menu says which importer it opens.
    assert ">Import a meeting report</a>" in upload_page

    spreadsheet_page = client.get(reverse("reporting:import")).content.decode()
    assert "<h1>Import an implementation reports spreadsheet</h1>" in spreadsheet_page
    assert f'href="{UPLOAD}"' in spreadsheet_page
