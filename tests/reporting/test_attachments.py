"""Attachments: checked by content and size, stored privately, served only through the view."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from reporting import services
from reporting.models import ImplementationReport, ReportAttachment
from tests.reporting.files import docx_bytes, jpeg_bytes, pdf_bytes, png_bytes, upload, xlsx_bytes


def new_report_with(focal_point, state, recommendation, *files):
    return services.implementation_report_create(
        by=focal_point,
        state=state,
        recommendation=recommendation,
        status="implemented",
        as_of="2024-01-01",
        attachments=list(files),
    )


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("plan.pdf", pdf_bytes(), "application/pdf"),
        (
            "law.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "figures.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("photo.png", png_bytes(), "image/png"),
        ("photo.jpeg", jpeg_bytes(), "image/jpeg"),
    ],
)
def test_each_allowed_kind_is_accepted_and_its_type_read_from_the_content(
    focal_point, state, recommendation, name, content, mime
):
    # The browser's claim is ignored: every file here says it is a binary blob.
    report = new_report_with(focal_point, state, recommendation, upload(name, content))
    attachment = report.attachments.get()
    assert (attachment.original_name, attachment.content_type) == (name, mime)
    assert attachment.size == len(content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"MZ\x90\x00\x03 a Windows program renamed"),
        ("report.docx", b"<html><script>alert(1)</script></html>"),
        ("photo.png", b"GIF89a\x01\x00\x01\x00"),  # a GIF: not on the list
        ("archive.xlsx", b"PK\x03\x04" + b"\x00" * 100),  # a zip, but not a workbook
    ],
)
def test_a_disguised_file_is_refused_whatever_its_name(
    client, focal_point, state, recommendation, name, content
):
    client.force_login(focal_point)
    response = client.post(
        reverse("reporting:report_new"),
        {
            "state": state.code,
            "recommendation": recommendation.pk,
            "status": "implemented",
            "as_of": "2024-01-01",
            "attachments": [upload(name, content, "application/pdf")],
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["attachments"]
    assert errors == [
        f"“{name}” is not a PDF, Word (DOCX), Excel (XLSX), PNG or JPEG file: its content "
        "says otherwise, whatever its name."
    ]
    assert not ImplementationReport.objects.filter(state=state).exists()


def test_a_file_over_10_mb_is_refused(client, focal_point, state, recommendation, settings):
    oversized = pdf_bytes() + b"\0" * (settings.REPORT_ATTACHMENT_MAX_BYTES + 1)
    client.force_login(focal_point)
    response = client.post(
        reverse("reporting:report_new"),
        {
            "state": state.code,
            "recommendation": recommendation.pk,
            "status": "implemented",
            "as_of": "2024-01-01",
            "attachments": [upload("huge.pdf", oversized)],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == [
        "“huge.pdf” is larger than 10.0\xa0MB, the most a file may be."
    ]
    assert not ImplementationReport.objects.filter(state=state).exists()


def test_the_ten_mb_limit_is_inclusive(focal_point, state, recommendation, settings):
    content = pdf_bytes()
    exact = content + b"\0" * (settings.REPORT_ATTACHMENT_MAX_BYTES - len(content))
    report = new_report_with(focal_point, state, recommendation, upload("big.pdf", exact))
    assert report.attachments.get().size == settings.REPORT_ATTACHMENT_MAX_BYTES


def test_files_are_stored_outside_the_public_media_folder_under_a_random_name(
    focal_point, state, recommendation, private_media
):
    report = new_report_with(
        focal_point, state, recommendation, upload("../../etc/passwd.pdf", pdf_bytes())
    )
    attachment = report.attachments.get()
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(private_media)
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert stored.suffix == ".pdf" and "passwd" not in stored.name
    assert attachment.original_name == "passwd.pdf"
    with pytest.raises(ValueError, match="no public URL"):
        attachment.file.url  # noqa: B018 - the property raises


def test_the_download_serves_the_file_as_an_attachment_with_its_checked_type(
    client, focal_point, state, recommendation
):
    content = pdf_bytes()
    report = new_report_with(focal_point, state, recommendation, upload("plan.pdf", content))
    client.force_login(focal_point)
    response = client.get(reverse("reporting:attachment", args=[report.attachments.get().pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_files_can_be_added_while_editing_a_draft(client, focal_point, state, recommendation):
    report = new_report_with(focal_point, state, recommendation, upload("a.pdf", pdf_bytes()))
    client.force_login(focal_point)
    response = client.post(
        reverse("reporting:report_edit", args=[report.pk]),
        {
            "version": report.version,
            "status": "implemented",
            "as_of": "2024-01-01",
            "attachments": [upload("b.png", png_bytes())],
        },
    )
    assert response.status_code == 302
    assert sorted(report.attachments.values_list("original_name", flat=True)) == ["a.pdf", "b.png"]


def test_attachments_are_never_deleted(focal_point, state, recommendation):
    report = new_report_with(focal_point, state, recommendation, upload("a.pdf", pdf_bytes()))
    with pytest.raises(Exception, match="never deleted"):
        report.attachments.get().delete()
    assert ReportAttachment.objects.filter(report=report).exists()
