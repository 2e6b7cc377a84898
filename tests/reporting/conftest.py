"""Shared fixtures of the reporting tests: the four roles, a State and a recommendation, and
files of each kind (built in memory: a real PDF, DOCX, XLSX, PNG and JPEG)."""

from __future__ import annotations

import pytest

from tests.factories import (
    FocalPointFactory,
    RecommendationFactory,
    SecretariatUserFactory,
    StateFactory,
    UserFactory,
)
from tests.reporting.files import pdf_bytes, upload


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Attachments go to a throwaway folder, never the developer's."""
    settings.REPORT_ATTACHMENTS_ROOT = tmp_path / "private-media"
    return settings.REPORT_ATTACHMENTS_ROOT


@pytest.fixture
def state(db):
    return StateFactory(name="Republic of Reportland")


@pytest.fixture
def other_state(db):
    return StateFactory(name="Kingdom of Elsewhere")


@pytest.fixture
def recommendation(db):
    return RecommendationFactory()


@pytest.fixture
def focal_point(state):
    return FocalPointFactory(
        username="focal-reportland", email="focal@reportland.example", state=state
    )


@pytest.fixture
def other_focal_point(other_state):
    return FocalPointFactory(
        username="focal-elsewhere", email="focal@elsewhere.example", state=other_state
    )


@pytest.fixture
def staff(db):
    return SecretariatUserFactory(username="staff", email="staff@unodc.example")


@pytest.fixture
def reader(db):
    """Signed in, but neither staff nor a focal point."""
    return UserFactory(username="reader", email="reader@example.org")


@pytest.fixture
def pdf():
    return upload("evidence.pdf", pdf_bytes(), "application/pdf")
