"""A State's profile as PDF and Word: what the State page says, opened as a reader would (pypdf's
text, python-docx's paragraphs and tables), its first page full, its cost fixed."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document as open_word
from pypdf import PdfReader

from core.documents import pdf_page_png
from public.documents import render_pdf, render_word, state_profile
from recommendations.models import Recommendation
from states.models import State
from tests.factories import (
    DraftReportFactory,
    ImplementationReportFactory,
    ParticipationFactory,
    StatementFactory,
)

pytestmark = pytest.mark.usefixtures("wgsom")


def adopted(label: str) -> Recommendation:
    return Recommendation.objects.get(meeting__ordinal=7, label=label, status="adopted")


@pytest.fixture
def austria():
    austria = State.objects.select_related("regional_group").get(code="AUT")
    ImplementationReportFactory(
        state=austria,
        recommendation=adopted("8"),
        status="partially_implemented",
        as_of=datetime.date(2024, 3, 12),
        description="Joint investigative teams were set up with two neighbouring States.",
    )
    ImplementationReportFactory(
        state=austria,
        recommendation=adopted("13"),
        status="in_progress",
        as_of=datetime.date(2023, 11, 2),
        source="review_mechanism",
    )
    DraftReportFactory(  # a draft is the State's own business: never in the profile
        state=austria,
        recommendation=adopted("1"),
        status="implemented",
        description="A draft nobody has validated.",
    )
    return austria


def pdf_text(content: bytes) -> str:
    return re.sub(
        r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    )


def test_the_pdf_and_word_profiles_give_the_statuses_dates_and_sources(client, austria):
    statement = StatementFactory(
        meeting=ParticipationFactory(state=austria).meeting,
        state=austria,
        summary="Austria described its cooperation with neighbouring States.",
    )

    pdf = client.get(reverse("states:profile", args=["AUT", "pdf"]))
    docx = client.get(reverse("states:profile", args=["AUT", "docx"]))

    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith('attachment; filename="wgsom-state-profile-AUT-')
    pdf_words = pdf_text(b"".join(pdf.streaming_content))
    word = open_word(io.BytesIO(b"".join(docx.streaming_content)))
    rows = [" | ".join(cell.text for cell in row.cells) for t in word.tables for row in t.rows]
    word_words = " ".join([*(p.text for p in word.paragraphs), *rows])
    for text in (
        "State profile: Austria",
        "Protocol status",
        "Status on each adopted recommendation, by theme",
        "Reports and status history",
        "Meetings attended",
        "Statements made",
        "Joint investigative teams were set up with two neighbouring States.",
        statement.summary,
        "12 March 2024",
        "2 November 2023",
        "UNTOC review mechanism",
    ):
        assert text in pdf_words, text
        assert text in word_words, text
    assert "Recommendation 8 (2020) | Partially implemented | 12 March 2024 | Questionnaire" in (
        "\n".join(rows)
    )
    assert "Recommendation 13 (2020) | In progress | 2 November 2023 | UNTOC review" in (
        "\n".join(rows)
    )
    assert "A draft nobody has validated." not in pdf_words + word_words
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Status on each adopted recommendation, by theme",
        "Reports and status history",
        "Meetings attended",
        "Statements made",
    ]


def test_the_profile_opens_on_a_full_first_page(austria):
    with translation.override("en"):
        pdf = render_pdf(state_profile(austria))

    first_page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "State profile: Austria" in first_page
    assert "Scorecard by theme" in first_page
    # What is drawn reaches the lower part of the page: no title page, no table pushed over.
    from PIL import Image, ImageChops

    image = Image.open(io.BytesIO(pdf_page_png(pdf, page=0, scale=0.5))).convert("RGB")
    ink = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    assert ink is not None
    # The page number sits in the bottom margin; the content must come near it.
    body = image.crop((0, 0, image.width, int(image.height * 0.9)))
    body_ink = ImageChops.difference(body, Image.new("RGB", body.size, "white")).getbbox()
    assert body_ink[3] > 0.8 * image.height


def test_a_state_without_reports_gets_a_profile_saying_so(client):
    state = State.objects.filter(protocol_status="party").exclude(code="AUT").first()
    with translation.override("en"):
        text = pdf_text(render_pdf(state_profile(state)))
    assert "No implementation report of" in text
    assert "No information" in text


def test_building_a_profile_costs_the_same_queries_however_much_data(
    growth, django_assert_num_queries
):
    # the recommendations with the State's status, their themes; the themes; the status
    # history; attendance; statements and their agenda items; the demonstration check
    growth.add(2)
    austria = State.objects.select_related("regional_group").get(code="AUT")
    with translation.override("en"), django_assert_num_queries(8):
        small = state_profile(austria)
    growth.add(8)
    with translation.override("en"), django_assert_num_queries(8):
        large = state_profile(austria)
    assert len(large.blocks) >= len(small.blocks)


def test_the_word_profile_is_in_word_styles(austria):
    with translation.override("en"):
        word = open_word(io.BytesIO(render_word(state_profile(austria))))
    assert word.paragraphs[0].style.name == "Title"
    assert {t.style.name for t in word.tables} == {"Table Grid"}
    for paragraph in word.paragraphs:
        for run in paragraph.runs:
            assert run.font.size is None and run.font.bold is None


def test_the_state_page_links_to_its_profile(client, austria):
    page = client.get(reverse("states:detail", args=["AUT"])).content.decode()
    assert reverse("states:profile", args=["AUT", "pdf"]) in page
    assert reverse("states:profile", args=["AUT", "docx"]) in page


def test_an_unknown_format_or_state_is_not_found(client):
    assert client.get(reverse("states:profile", args=["AUT", "odt"])).status_code == 404
    assert client.get(reverse("states:profile", args=["XXX", "pdf"])).status_code == 404


def test_the_profile_is_laid_out_right_to_left_in_a_language_written_that_way(austria):
    from django.template.loader import render_to_string

    with translation.override("ar"):
        html = render_to_string(
            "public/documents/state_profile.html", {"profile": state_profile(austria)}
        )
    assert '<html lang="ar" dir="rtl">' in html
