"""Files of each allowed kind, built in memory, and an upload helper."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="National action plan against the smuggling of migrants")
    return bytes(pdf.output())


def png_bytes() -> bytes:
    # The smallest valid PNG: one transparent pixel.
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )


def docx_bytes() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("Measures taken")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list] | None = None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows or [["measure", "date"], ["training", "2024-01-01"]]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    # JPEG signature (SOI + JFIF APP0 marker): what content sniffing looks at.
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
