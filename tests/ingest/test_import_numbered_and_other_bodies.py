"""A report in the numbered-paragraph layout imports like the others; a report of another body is
refused by `import_report` and by the staff import page, in one line naming the body."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from ingest.services import report_read
from meetings.models import Meeting
from recommendations.models import Recommendation

from .documents import LAYOUT_NUMBERED, NUMBERED_REPORT, Layout, numbered_expected, to_docx

pytestmark = pytest.mark.usefixtures("wgsom")

TRAFFICKING = Layout(symbol="CTOC/COP/WG.4/2031/6", job="V.31-00977")
NAMED = (
    "the report's symbol CTOC/COP/WG.4/2031/6 makes it a report of the Working Group on "
    "Trafficking in Persons"
)


def trafficking_docx() -> bytes:
    paragraphs = [
        text.replace(
            "Working Group on the Smuggling of Migrants", "Working Group on Trafficking in Persons"
        )
        for text in NUMBERED_REPORT
    ]
    return to_docx(paragraphs, TRAFFICKING)


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_report", *args, stdout=out)
    return out.getvalue()


def test_a_numbered_paragraph_report_is_imported_with_its_sub_sections(tmp_path):
    path = tmp_path / "tenth.docx"
    path.write_bytes(to_docx(NUMBERED_REPORT, LAYOUT_NUMBERED, per_page=6))

    out = run(str(path))

    assert "Report imported." in out
    written = Recommendation.objects.filter(meeting__ordinal=10).order_by("order")
    expected = numbered_expected()
    assert [(r.label, r.text) for r in written] == [(row["label"], row["text"]) for row in expected]
    four = written.get(label="4")
    assert four.section == "A"
    assert four.section_title == (
        "Implementation of the Smuggling of Migrants Protocol, including national and regional "
        "efforts \u2014 2. Protection of the rights of smuggled migrants"
    )
    assert four.agenda_item.label == "2"
    meeting = Meeting.objects.get(ordinal=10)
    assert (meeting.venue, str(meeting.start_date), str(meeting.end_date)) == (
        "Vienna",
        "2031-01-27",
        "2031-01-29",
    )


def test_import_report_refuses_a_report_of_another_body_in_one_line_naming_it(tmp_path):
    path = tmp_path / "trafficking.docx"
    path.write_bytes(trafficking_docx())
    before = Recommendation.objects.count()

    with pytest.raises(CommandError) as error:
        run(str(path), "--meeting", "1")

    message = str(error.value)
    assert "\n" not in message
    assert NAMED in message
    assert message.endswith("nothing was imported")
    assert Recommendation.objects.count() == before


def test_the_staff_import_page_refuses_a_report_of_another_body_naming_it(
    client, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("report_import:upload"),
            {
                "report": SimpleUploadedFile("trafficking.docx", trafficking_docx()),
                "meeting": "1",
            },
        )
    page = client.get(response.url).content.decode()

    assert "This file cannot be imported" in page
    assert "Working Group on Trafficking in Persons" in page


def test_a_body_listed_in_the_setting_is_read(settings):
    settings.INGEST_TRACKED_SYMBOL_PREFIXES = ["CTOC/COP/WG.7", "CTOC/COP/WG.4"]

    report = report_read(data=trafficking_docx(), filename="trafficking.docx")

    assert report.body == "Working Group on Trafficking in Persons"
    assert len(report.recommendations) == len(numbered_expected())
