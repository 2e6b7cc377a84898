"""The site's downloads (the recommendation list as CSV or XLSX, the compliance table as CSV):
whole, streamed CSV with a byte-order mark, headers that never change with the language,
file names that say what was chosen, workbooks ready to filter, and no cell that runs a
formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import FORMULA_PREFIXES, MAX_COLUMN_WIDTH
from public.views import EXPORT_COLUMNS, EXPORT_STATE_COLUMNS
from recommendations.models import Recommendation
from states.models import State
from tests.factories import ImplementationReportFactory, RecommendationFactory

pytestmark = pytest.mark.usefixtures("wgsom")

CSV_URL = reverse("recommendations:export", args=["csv"])
XLSX_URL = reverse("recommendations:export", args=["xlsx"])
BOM = b"\xef\xbb\xbf"


def streamed(response) -> bytes:
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(streamed(response).decode("utf-8-sig"))))


def workbook(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def in_french(client):
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    return client


# --- CSV -------------------------------------------------------------------------------------


def test_the_csv_download_streams_every_row_after_a_byte_order_mark(client):
    response = client.get(CSV_URL)

    raw = streamed(response)
    assert raw.startswith(BOM)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [*EXPORT_COLUMNS, "url"]
    assert len(rows) - 1 == Recommendation.objects.count()


def test_the_headers_are_field_names_whatever_the_interface_language(client):
    english = csv_rows(client.get(CSV_URL, {"state": "AUT"}))[0]
    french = csv_rows(in_french(client).get(CSV_URL, {"state": "AUT"}))[0]
    french_xlsx = next(workbook(client.get(XLSX_URL)).active.iter_rows(values_only=True))

    assert english == french == [*EXPORT_COLUMNS, *EXPORT_STATE_COLUMNS, "url"]
    assert list(french_xlsx) == [*EXPORT_COLUMNS, "url"]


def test_the_file_name_says_which_filters_were_chosen(client):
    csv_response = client.get(CSV_URL, {"theme": "prevention", "meeting": "7"})
    xlsx_response = client.get(XLSX_URL, {"theme": "prevention", "meeting": "7"})
    plain = client.get(CSV_URL)

    assert csv_response["Content-Disposition"] == (
        'attachment; filename="wgsom-recommendations-theme-prevention-meeting-7.csv"'
    )
    assert xlsx_response["Content-Disposition"] == (
        'attachment; filename="wgsom-recommendations-theme-prevention-meeting-7.xlsx"'
    )
    assert plain["Content-Disposition"] == 'attachment; filename="wgsom-recommendations.csv"'


def test_the_csv_keeps_accents_and_writes_dates_as_iso(client):
    ivory_coast = State.objects.get(code="CIV")
    recommendation = Recommendation.objects.get(meeting__ordinal=7, label="8", status="adopted")
    ImplementationReportFactory(
        state=ivory_coast, recommendation=recommendation, as_of="2024-06-30"
    )

    rows = csv_rows(client.get(CSV_URL, {"state": "CIV", "state_status": "implemented"}))

    header, row = rows
    assert row[header.index("state")] == "Côte d'Ivoire"
    assert row[header.index("state_status_as_of")] == "2024-06-30"
    assert row[header.index("label")] == "8"


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_a_text_that_would_run_as_a_formula_is_quoted_in_csv_and_xlsx(client, prefix):
    # A word the search finds in both configurations (PostgreSQL reads a URL as one token).
    text = f'{prefix}HYPERLINK("http://example.org","quokka")'
    RecommendationFactory(meeting=Recommendation.objects.first().meeting, text=text, label="99")

    rows = csv_rows(client.get(CSV_URL, {"q": "quokka"}))
    sheet = workbook(client.get(XLSX_URL, {"q": "quokka"})).active

    header = rows[0]
    texts = [row[header.index("text")] for row in rows[1:]]
    assert texts == ["'" + text]
    cell = sheet.cell(row=2, column=header.index("text") + 1)
    assert cell.data_type == "s"
    assert cell.value == "'" + text
    meeting = sheet.cell(row=2, column=1)
    assert isinstance(meeting.value, int)  # numbers stay numbers


# --- XLSX ------------------------------------------------------------------------------------


def test_the_workbook_has_a_bold_frozen_filtered_header_and_readable_widths(client):
    sheet = workbook(client.get(XLSX_URL, {"meeting": "7"}))["Recommendations"]

    header = list(sheet[1])
    assert [cell.value for cell in header] == [*EXPORT_COLUMNS, "url"]
    assert all(cell.font.bold for cell in header)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:M{sheet.max_row}"
    widths = {letter: sheet.column_dimensions[letter].width for letter in ("A", "C", "K", "L")}
    assert widths["A"] >= len("meeting")
    assert widths["K"] == MAX_COLUMN_WIDTH  # the recommendation's text: capped, not endless
    assert all(width <= MAX_COLUMN_WIDTH for width in widths.values())


def test_the_about_sheet_says_what_when_how_chosen_and_where_from(client):
    book = workbook(client.get(XLSX_URL, {"theme": "prevention"}))

    assert book.sheetnames == ["Recommendations", "About"]
    about = dict(book["About"].iter_rows(values_only=True))
    assert "Recommendations" in about["What"]
    assert about["Filters"] == "theme=prevention"
    assert about["Made"][:4].isdigit()
    assert about["Source"] == f"http://testserver{XLSX_URL}?theme=prevention"
    assert "Demonstration data" not in about


def test_the_about_sheet_warns_when_the_statuses_come_from_demonstration_data(client):
    ImplementationReportFactory(state=State.objects.get(code="AUT"), is_demonstration=True)

    with_statuses = workbook(client.get(XLSX_URL, {"state": "AUT"}))
    without = workbook(client.get(XLSX_URL))

    about = dict(with_statuses["About"].iter_rows(values_only=True))
    assert "synthetic" in about["Demonstration data"]
    assert "Demonstration data" not in dict(without["About"].iter_rows(values_only=True))


def test_a_csv_download_costs_the_same_queries_however_many_rows(
    client, growth, django_assert_num_queries
):
    # 3 choice lists (to validate the filters), 1 the rows, 1 their themes
    with django_assert_num_queries(5):
        streamed(client.get(CSV_URL))
    growth.add(30)
    with django_assert_num_queries(5):
        streamed(client.get(CSV_URL))


# --- The compliance table --------------------------------------------------------------------


def test_the_compliance_csv_streams_with_a_byte_order_mark_and_stable_headers(client):
    english = streamed(client.get(reverse("compliance:csv"), {"dimension": "theme"}))
    french = streamed(in_french(client).get(reverse("compliance:csv"), {"dimension": "theme"}))

    assert english.startswith(BOM)
    english_header = english.decode("utf-8-sig").splitlines()[0]
    assert english_header == french.decode("utf-8-sig").splitlines()[0]
    assert english_header.startswith("dimension,key,name,implemented")
