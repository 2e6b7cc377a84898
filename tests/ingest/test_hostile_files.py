"""Hostile meeting-report files, built here: each is refused within its limit, in one line
naming the limit and the value, by the parser, the command and the staff page alike, and
nothing is written."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from ingest.report_parser import Limits, ReportParseError, parse_report, parse_report_text
from ingest.report_parser.cleaning import clean
from ingest.report_parser.readers import _letters, _roman, text_pages
from meetings.models import Meeting

UPLOAD = reverse("report_import:upload")


def numbered_docx(*, start: int, paragraphs: int = 3) -> bytes:
    """A Word file whose automatic list numbering starts at `start` (numbering.xml edited)."""
    import docx

    document = docx.Document()
    document.add_paragraph("I. Recommendations")
    for _ in range(paragraphs):
        document.add_paragraph("States should act.", style="List Number")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    numbering = document.part.numbering_part.element
    starts = numbering.findall(f".//{w}start")
    assert starts, "the default template numbers its lists"
    for element in starts:
        element.set(f"{w}val", str(start))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bomb_docx(*, inflated: int) -> bytes:
    """A valid Word file with one more part: `inflated` bytes of zeros, compressed ~1000:1."""
    base = numbered_docx(start=1)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("word/media/padding.xml", b"0" * inflated)
    return buffer.getvalue()


def numbered_text(count: int) -> str:
    lines = ["I. Recommendations", ""]
    for number in range(1, count + 1):
        lines += [f"{number}. States should take measure {number}.", ""]
    return "\n".join(lines)


# --- the parser ---------------------------------------------------------------------------


def test_word_letters_and_numerals_are_refused_past_their_bound_instead_of_built():
    assert _letters(1) == "A"
    assert _letters(28) == "BB"
    assert _roman(1999) == "MCMXCIX"
    with pytest.raises(ReportParseError, match="2,000,000,000; the limit is 100,000"):
        _letters(2_000_000_000)
    with pytest.raises(ReportParseError, match="the limit is 100,000"):
        _roman(2_000_000_000)


def test_a_word_list_numbered_from_two_billion_is_refused_naming_the_limit():
    data = numbered_docx(start=2_000_000_000)
    assert len(data) < 64 * 1024
    with pytest.raises(ReportParseError) as refused:
        parse_report(data, filename="report.docx")
    assert str(refused.value) == (
        "the file's list numbering reaches 2,000,000,000; the limit is 10,000"
    )


def test_a_zip_bomb_word_file_is_refused_before_it_is_unpacked():
    data = zip_bomb_docx(inflated=8 * 1024 * 1024)
    limits = Limits(max_unzipped_bytes=4 * 1024 * 1024)
    with pytest.raises(ReportParseError, match=r"the file unpacks to 8\.\d MB; the limit is 4\.0"):
        parse_report(data, filename="report.docx", limits=limits)


def test_a_part_compressed_far_better_than_text_is_refused_by_its_ratio():
    data = zip_bomb_docx(inflated=3 * 1024 * 1024)
    with pytest.raises(
        ReportParseError, match=r"padding\.xml is compressed [\d,]+ to 1; the limit"
    ):
        parse_report(data, filename="report.docx")


def test_twenty_thousand_numbered_paragraphs_are_refused_by_the_line_limit():
    with pytest.raises(ReportParseError) as refused:
        parse_report_text(numbered_text(20_000))
    assert str(refused.value) == "the file holds 40,002 lines; the limit is 10,000"


def test_a_word_file_of_too_many_paragraphs_is_refused_by_the_same_limit():
    data = numbered_docx(start=1, paragraphs=30)
    with pytest.raises(ReportParseError, match="the file holds 31 paragraphs; the limit is 20"):
        parse_report(data, filename="report.docx", limits=Limits(max_lines=20))


def test_the_time_budget_refuses_a_parse_that_runs_past_it():
    with pytest.raises(ReportParseError, match="longer than 0 seconds, the limit"):
        parse_report_text(numbered_text(50), limits=Limits(seconds=0))


@pytest.mark.parametrize(
    "unit",
    ["a", "[", "<b", " *a", "**a", "[^a", "a-", "[a](", "*1"],
    ids=[
        "letters",
        "brackets",
        "tags",
        "emphasis",
        "bold",
        "footnote",
        "hyphens",
        "links",
        "stars",
    ],
)
def test_a_256_kb_line_of_markup_is_cleaned_in_one_pass(unit):
    # Each of these lines made a regular expression of the cleaning scan to the end of the
    # line from every delimiter (minutes for 256 KB); the benchmark `make bench-import` shows
    # the time now grows with the size. Here: it completes, and keeps the text.
    line = (unit * (256 * 1024 // len(unit)))[: 256 * 1024]
    cleaned = clean(text_pages(line), fmt="text")
    assert len(cleaned.lines) == 1
    assert cleaned.lines[0].text


def test_markdown_markup_is_still_removed():
    text = (
        "A [link](http://x.org) with **bold**, *emphasis*, <sup>1</sup> and <b>tags</b> *2004970*"
    )
    cleaned = clean(text_pages(text), fmt="text")
    assert " ".join(cleaned.lines[0].text.split()) == (
        "A link with bold, emphasis, and tags *2004970*"
    )


def test_a_256_kb_one_line_report_is_refused_for_what_it_is_not():
    with pytest.raises(ReportParseError, match=r"does not read as a meeting report|ends mid"):
        parse_report_text("word " * (256 * 1024 // 5))


# --- the command and the staff page ---------------------------------------------------------


@pytest.mark.django_db
def test_the_command_refuses_a_file_over_the_size_limit_unread(tmp_path, settings):
    settings.REPORT_IMPORT_MAX_UPLOAD_BYTES = 1000
    path = tmp_path / "report.txt"
    path.write_text("x" * 2000)
    with pytest.raises(CommandError) as refused:
        call_command("import_report", str(path))
    assert str(refused.value) == (
        "report.txt: the file is 2,000 bytes; the limit is 1,000 bytes; nothing was imported"
    )


@pytest.mark.django_db
def test_the_command_applies_the_numbering_limit_and_writes_nothing(tmp_path, settings):
    settings.INGEST_MAX_LIST_NUMBER = 500
    meetings = Meeting.objects.count()
    path = tmp_path / "report.docx"
    path.write_bytes(numbered_docx(start=1000))
    with pytest.raises(CommandError) as refused:
        call_command("import_report", str(path))
    assert str(refused.value) == (
        "report.docx: the file's list numbering reaches 1,000; the limit is 500; "
        "nothing was imported"
    )
    assert Meeting.objects.count() == meetings


@pytest.mark.django_db
def test_the_command_applies_the_line_limit(tmp_path, settings):
    settings.INGEST_MAX_LINES = 100
    path = tmp_path / "report.txt"
    path.write_text(numbered_text(60))
    with pytest.raises(CommandError, match="the file holds 122 lines; the limit is 100"):
        call_command("import_report", str(path))


def upload_and_check(client, capture, name: str, data: bytes):
    """Upload through the staff page and let the check job run (in-process); the job's page."""
    with capture(execute=True):
        response = client.post(UPLOAD, {"report": SimpleUploadedFile(name, data)})
    assert response.status_code == 302
    return client.get(response.url)


@pytest.mark.django_db
def test_the_staff_page_refuses_a_zip_bomb_in_one_line(
    client, staff, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_UNZIPPED_BYTES = 4 * 1024 * 1024
    client.force_login(staff)
    meetings = Meeting.objects.count()
    data = zip_bomb_docx(inflated=8 * 1024 * 1024)
    response = upload_and_check(client, django_capture_on_commit_callbacks, "report.docx", data)
    assert response.context["job"].status == "failed"
    assert "This file cannot be imported: the file unpacks to 8." in response.content.decode()
    assert Meeting.objects.count() == meetings


@pytest.mark.django_db
def test_the_staff_page_refuses_two_billion_numbering(
    client, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    data = numbered_docx(start=2_000_000_000)
    response = upload_and_check(client, django_capture_on_commit_callbacks, "report.docx", data)
    assert response.context["job"].status == "failed"
    assert "numbering reaches 2,000,000,000; the limit is 10,000" in response.content.decode()


@pytest.mark.django_db
def test_the_job_applies_the_line_limit_and_discards_the_file(
    client, staff, settings, django_capture_on_commit_callbacks
):
    settings.INGEST_MAX_LINES = 100
    client.force_login(staff)
    data = numbered_text(60).encode()
    response = upload_and_check(client, django_capture_on_commit_callbacks, "report.txt", data)
    job = response.context["job"]
    assert (job.status, job.upload_token) == ("failed", "")
    assert "the file holds 122 lines; the limit is 100" in response.content.decode()
    assert "Nothing was imported from report.txt" in response.content.decode()
