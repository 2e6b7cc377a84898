"""The Secretariat's implementation report for a meeting: built from one compliance snapshot as
PDF and Word, opened here as a reader would (pypdf's text, python-docx's paragraphs), and kept
with its snapshot so that it never changes."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document as open_word
from pypdf import PdfReader

from compliance.documents import render_html, secretariat_report_document
from compliance.models import ComplianceSnapshot, SecretariatReport
from compliance.selectors import snapshot_figures, snapshot_with_figures
from compliance.services import (
    compliance_snapshot_compute,
    secretariat_report_generate,
    secretariat_report_request,
)
from meetings.models import Meeting
from recommendations.models import Recommendation
from states.models import State
from tests.factories import ImplementationReportFactory

pytestmark = pytest.mark.usefixtures("wgsom")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.REPORT_ATTACHMENTS_ROOT = tmp_path / "private-media"


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


def word_text(content: bytes) -> str:
    document = open_word(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return re.sub(r"\s+", " ", "\n".join(parts))


def number(value: int) -> str:
    return f"{value:,}"


def build(snapshot: ComplianceSnapshot, meeting: Meeting, by, django_capture_on_commit_callbacks):
    """Ask for the report and let its task run, as it does in-process without a broker."""
    with django_capture_on_commit_callbacks(execute=True):
        document = secretariat_report_request(
            snapshot=snapshot, meeting=meeting, language="en", by=by
        )
    document.refresh_from_db()
    return document


def test_the_pdf_and_word_files_hold_the_snapshots_figures_and_the_un_layout(
    reports, secretariat, django_capture_on_commit_callbacks
):
    snapshot = compliance_snapshot_compute(force=True).snapshot
    overall = snapshot_figures(snapshot_with_figures(pk=snapshot.pk))["overall"]
    meeting = Meeting.objects.get(ordinal=8)

    document = build(snapshot, meeting, secretariat, django_capture_on_commit_callbacks)

    assert document.status == SecretariatReport.Status.DONE
    assert document.progress == 100
    pairs = sum(
        overall[s]
        for s in (
            "implemented",
            "partially_implemented",
            "in_progress",
            "not_implemented",
            "not_applicable",
            "no_information",
        )
    )
    expected = [
        "CTOC/COP/WG.7/2021/[…]",
        "Distr.: General",
        "Original: English",
        "Implementation of the recommendations adopted by the Working Group",
        "I. Introduction",
        "II. Overall implementation",
        "A. All adopted recommendations",
        "B. By regional group",
        "C. Recommendations with the fewest reports",
        "D. States parties that reported since the previous meeting",
        "III. Implementation by theme",
        "Status of implementation by State party and recommendation",
        f"compliance snapshot {snapshot.sequence}",
        f"Of the {number(pairs)} pairs of the {number(overall['states_parties'])} States parties",
        f"{number(overall['reported'])} (",
        f"States parties report {overall['implemented']} as implemented, "
        f"{overall['partially_implemented']} as partially implemented",
    ]
    pdf = pdf_text(document.pdf.read())
    docx = word_text(document.docx.read())
    for text in expected:
        assert text in pdf, text
        assert text in docx, text
    assert document.pdf_pages == len(PdfReader(document.pdf.path).pages) > 3
    # Numbered paragraphs run on through the document in the PDF.
    assert re.search(r"\b1\. The present report was prepared", pdf)
    assert re.search(r"\b3\. Of the ", pdf)


def test_the_word_document_is_written_in_word_styles_not_direct_formatting(
    reports, secretariat, django_capture_on_commit_callbacks
):
    snapshot = compliance_snapshot_compute(force=True).snapshot
    document = build(
        snapshot, Meeting.objects.get(ordinal=8), secretariat, django_capture_on_commit_callbacks
    )

    word = open_word(document.docx.path)
    styles = {paragraph.style.name for paragraph in word.paragraphs}
    assert {"Heading 1", "Heading 2", "List Number", "Title", "Caption"} <= styles
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == [
        "I.\u00a0Introduction",
        "II.\u00a0Overall implementation",
        "III.\u00a0Implementation by theme",
    ]
    assert headings[-1].startswith("Annex")
    assert {table.style.name for table in word.tables} == {"Table Grid"}
    # No run carries formatting of its own: the styles carry it all.
    for paragraph in word.paragraphs:
        for run in paragraph.runs:
            assert run.font.size is None and run.font.bold is None and run.font.name is None
    assert len(word.inline_shapes) == 3  # the overall, regional group and theme charts
    # The annex is on landscape pages.
    assert word.sections[-1].page_width > word.sections[-1].page_height


def test_a_report_built_from_an_old_snapshot_keeps_its_figures_after_new_validations(
    reports, secretariat, django_capture_on_commit_callbacks
):
    old = compliance_snapshot_compute(force=True).snapshot
    old_overall = snapshot_figures(snapshot_with_figures(pk=old.pk))["overall"]
    silent = reports["silent_party"]
    # Validated after the old snapshot: many new reports, one for a State that had none.
    for recommendation in Recommendation.objects.filter(status="adopted", meeting__ordinal=7):
        ImplementationReportFactory(
            state=silent, recommendation=recommendation, status="implemented"
        )
    new = compliance_snapshot_compute().snapshot
    new_overall = snapshot_figures(snapshot_with_figures(pk=new.pk))["overall"]
    assert new.sequence == old.sequence + 1
    assert new_overall["implemented"] > old_overall["implemented"]

    document = build(
        old, Meeting.objects.get(ordinal=8), secretariat, django_capture_on_commit_callbacks
    )

    for text in (pdf_text(document.pdf.read()), word_text(document.docx.read())):
        assert f"report {old_overall['implemented']} as implemented" in text
        assert f"report {new_overall['implemented']} as implemented" not in text
        assert (
            silent.name not in text.split("reported since the previous meeting")[1].split("III.")[0]
        )
    # The annex shows the silent party as the old snapshot counted it: no information.
    annex = open_word(document.docx.path).tables[-1]
    row = next(row for row in annex.rows if row.cells[0].text == silent.name)
    assert {cell.text for cell in row.cells[1:]} == {"\u2013"}  # an en dash: no information


def test_the_same_report_is_built_once_and_downloads_unchanged_ever_after(
    reports, secretariat, django_capture_on_commit_callbacks
):
    snapshot = compliance_snapshot_compute(force=True).snapshot
    meeting = Meeting.objects.get(ordinal=8)
    first = build(snapshot, meeting, secretariat, django_capture_on_commit_callbacks)
    pdf, docx = first.pdf.read(), first.docx.read()
    ImplementationReportFactory(
        state=reports["silent_party"], recommendation=reports["recommendations"][0]
    )
    compliance_snapshot_compute()

    again = build(snapshot, meeting, secretariat, django_capture_on_commit_callbacks)
    secretariat_report_generate(document_id=first.pk)  # the task run twice changes nothing

    again.refresh_from_db()
    assert again.pk == first.pk
    assert again.pdf.read() == pdf
    assert again.docx.read() == docx
    assert SecretariatReport.objects.count() == 1


def test_a_failed_build_is_recorded_and_asking_again_rebuilds_it(
    reports, secretariat, django_capture_on_commit_callbacks, monkeypatch
):
    from compliance import documents

    snapshot = compliance_snapshot_compute(force=True).snapshot
    meeting = Meeting.objects.get(ordinal=8)

    def broken(_document):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(documents, "render_pdf", broken)
    failed = build(snapshot, meeting, secretariat, django_capture_on_commit_callbacks)
    assert failed.status == SecretariatReport.Status.FAILED
    assert "no fonts" in failed.error
    assert not failed.pdf

    monkeypatch.undo()
    rebuilt = build(snapshot, meeting, secretariat, django_capture_on_commit_callbacks)
    assert rebuilt.pk == failed.pk
    assert rebuilt.status == SecretariatReport.Status.DONE
    assert rebuilt.error == ""


def test_a_language_the_site_does_not_have_is_refused_naming_the_field(reports, secretariat):
    from django.core.exceptions import ValidationError

    snapshot = compliance_snapshot_compute(force=True).snapshot
    with pytest.raises(ValidationError) as refused:
        secretariat_report_request(
            snapshot=snapshot, meeting=Meeting.objects.get(ordinal=8), language="xx", by=secretariat
        )
    assert "language" in refused.value.message_dict


def test_the_states_that_reported_since_the_previous_meeting_are_named(reports, secretariat):
    snapshot = compliance_snapshot_compute(force=True).snapshot
    snapshot = snapshot_with_figures(pk=snapshot.pk)
    with translation.override("en"):
        document = secretariat_report_document(
            snapshot=snapshot,
            meeting=Meeting.objects.get(ordinal=8),
            issued=datetime.date(2026, 1, 5),
        )
    section = next(
        block.text
        for block in document.body
        if getattr(block, "text", "").startswith("Since the 7th meeting")
    )
    reporting = {state.name for state in reports["parties"][:4]}
    for name in reporting:
        assert name in section
    assert reports["non_party"].name not in section  # not a State party
    assert reports["parties"][4].name not in section  # its report was returned, not validated
    assert document.front.date == "5 January 2026"


def test_the_document_is_laid_out_right_to_left_in_a_language_written_that_way(reports):
    # Arabic is not an interface language yet; the templates follow the active language's
    # direction, so the day it is added its documents read right to left.
    snapshot = snapshot_with_figures(pk=compliance_snapshot_compute(force=True).snapshot.pk)
    with translation.override("ar"):
        document = secretariat_report_document(
            snapshot=snapshot, meeting=Meeting.objects.get(ordinal=8)
        )
        html = render_html(document)
    assert '<html lang="ar" dir="rtl">' in html
    assert 'class="un-document" lang="ar" dir="rtl"' in html
    with translation.override("en"):
        html = render_html(document.__class__(**{**document.__dict__, "bidi": False}))
    assert 'dir="ltr"' in html


# --- The pages ------------------------------------------------------------------------------


def test_only_the_secretariat_reaches_the_report_pages(reports, anonymous, focal_point, client):
    url = reverse("compliance:reports")
    assert anonymous.get(url).status_code == 302
    client.force_login(focal_point)
    assert client.get(url).status_code == 403
    assert client.post(reverse("compliance:report_generate")).status_code == 403


def test_the_form_page_asks_for_meeting_snapshot_and_language_with_labels_and_hints(
    reports, secretariat_client
):
    compliance_snapshot_compute(force=True)
    page = secretariat_client.get(reverse("compliance:reports")).content.decode()

    for label in ("Meeting", "Compliance snapshot", "Language of the report"):
        assert f">{label}</label>" in page
    assert 'aria-describedby="id_snapshot-hint"' in page
    assert page.count('<button type="submit">') == 1  # one primary action


def test_a_preview_without_a_choice_shows_the_error_summary(reports, secretariat_client):
    response = secretariat_client.get(reverse("compliance:report_preview"), {"language": "xx"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_language"' in page
    assert 'aria-invalid="true"' in page


def test_the_preview_shows_the_report_and_costs_the_same_queries_however_many_reports(
    reports, secretariat_client, django_assert_num_queries, grow
):
    meeting = Meeting.objects.get(ordinal=8)

    def preview(snapshot):
        return secretariat_client.get(
            reverse("compliance:report_preview"),
            {"meeting": meeting.pk, "snapshot": snapshot.pk, "language": "en"},
        )

    # session, user, the Secretariat group; the form's meeting and snapshot; the snapshot
    # and its figures; the previous meeting; the States that reported since; the themes and
    # their tags; the statuses at the snapshot's time
    grow(2)
    snapshot = compliance_snapshot_compute(force=True).snapshot
    with django_assert_num_queries(12):
        small = preview(snapshot)
    grow(10)
    snapshot = compliance_snapshot_compute(force=True).snapshot
    with django_assert_num_queries(12):
        large = preview(snapshot)
    assert small.status_code == large.status_code == 200
    page = large.content.decode()
    assert "I.</span> Introduction" in page
    assert "Build the Word and PDF files" in page


def test_building_from_the_page_shows_the_progress_then_the_downloads(
    reports, secretariat_client, django_capture_on_commit_callbacks
):
    snapshot = compliance_snapshot_compute(force=True).snapshot
    meeting = Meeting.objects.get(ordinal=8)

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            reverse("compliance:report_generate"),
            {"meeting": meeting.pk, "snapshot": snapshot.pk, "language": "en"},
        )

    document = SecretariatReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("compliance:report_status", args=[document.pk])
    page = secretariat_client.get(response["Location"]).content.decode()
    assert "Ready" in page and 'value="100"' in page
    fragment = secretariat_client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert fragment.status_code == 286  # htmx stops polling: the build has finished
    download = secretariat_client.get(
        reverse("compliance:report_download", args=[document.pk, "pdf"])
    )
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"


def test_a_build_in_progress_keeps_the_page_polling(reports, secretariat_client, secretariat):
    snapshot = compliance_snapshot_compute(force=True).snapshot
    document = SecretariatReport.objects.create(
        snapshot=snapshot,
        meeting=Meeting.objects.get(ordinal=8),
        language="en",
        status="running",
        step="pdf",
        progress=35,
        requested_by=secretariat,
    )
    url = reverse("compliance:report_status", args=[document.pk])

    page = secretariat_client.get(url).content.decode()
    fragment = secretariat_client.get(url, HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 1s"' in page
    assert "Laying out the PDF" in page and 'value="35"' in page
    assert fragment.status_code == 200
    assert "Download" not in fragment.content.decode()
    assert (
        secretariat_client.get(
            reverse("compliance:report_download", args=[document.pk, "pdf"])
        ).status_code
        == 404
    )


def test_no_state_party_is_left_out_of_the_annex(reports, secretariat):
    snapshot = snapshot_with_figures(pk=compliance_snapshot_compute(force=True).snapshot.pk)
    with translation.override("en"):
        document = secretariat_report_document(
            snapshot=snapshot, meeting=Meeting.objects.get(ordinal=8)
        )
    table = document.annex[-1]
    assert len(table.rows) == State.objects.parties().count()
    first_party = reports["parties"][0]
    row = next(row for row in table.rows if row[0] == first_party.name)
    assert "I" in row  # implemented, as its current report says
