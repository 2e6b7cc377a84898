"""Shared fixtures of the reporting tests (the people are in tests/personas.py): a
recommendation, and files of each kind (built in memory: a real PDF, DOCX, XLSX, PNG and JPEG)."""

from __future__ import annotations

import pytest

from tests.factories import RecommendationFactory
from tests.reporting.files import pdf_bytes, upload


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Attachments go to a throwaway folder, never the developer's."""
    settings.REPORT_ATTACHMENTS_ROOT = tmp_path / "private-media"
    return settings.REPORT_ATTACHMENTS_ROOT


@pytest.fixture
def recommendation(db):
    return RecommendationFactory()


@pytest.fixture
def pdf():
    return upload("evidence.pdf", pdf_bytes(), "application/pdf")
