"""Whole-table exports of the API: every list as one streamed CSV, and the status matrix as
JSON, CSV and XLSX.

A CSV export holds every matching row (filters and ordering applied), never a page; its
columns are the serializer's fields, the same with no row or many and in every language; its
cells keep one type per column and never start a formula.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from django.core.cache import cache
from django.utils.http import http_date
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from rest_framework import serializers

from core.api.csv import csv_cell, csv_columns, csv_row
from core.spreadsheets import FORMULA_PREFIXES, xlsx_table
from recommendations.models import Recommendation
from recommendations.serializers import (
    RecommendationDetailSerializer,
    RecommendationListSerializer,
)
from reporting.filters import StatusMatrixFilter
from reporting.models import ImplementationReport
from reporting.serializers import ImplementationReportSerializer, StatusPairSerializer
from states.models import State
from tests.factories import ImplementationReportFactory, RecommendationFactory, StateFactory

pytestmark = pytest.mark.usefixtures("wgsom")

BOM = b"\xef\xbb\xbf"


def body(response) -> bytes:
    assert response.status_code == 200, response
    assert response.streaming, "a list's CSV is streamed"
    return b"".join(response.streaming_content)


def read_csv(response, **options) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(body(response)), keep_default_na=False, **options)


def header_of(response) -> list[str]:
    return body(response).decode("utf-8-sig").splitlines()[0].split(",")


# --- Every row, not a page -------------------------------------------------------------------


def test_a_csv_list_holds_every_matching_row_beyond_the_largest_page(api, settings):
    settings.API_MAX_PAGE_SIZE = 5

    response = api.get("/api/v1/states/", {"format": "csv"})

    frame = read_csv(response)
    assert len(frame) == State.objects.count() == 196
    assert response["X-Total-Count"] == "196"
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_the_json_list_stays_paged(api, settings):
    settings.API_MAX_PAGE_SIZE = 5

    page = api.get("/api/v1/states/", {"page_size": 50}).json()

    assert len(page["results"]) == 5
    assert page["count"] == 196


def test_filters_and_ordering_apply_to_the_csv(api):
    response = api.get(
        "/api/v1/states/",
        {"regional_group": "african-states", "ordering": "-code", "format": "csv"},
    )

    frame = read_csv(response)
    expected = list(
        State.objects.filter(regional_group__slug="african-states")
        .order_by("-code")
        .values_list("code", flat=True)
    )
    assert list(frame["code"]) == expected
    assert response["X-Total-Count"] == str(len(expected))


def test_the_accept_header_asks_for_the_same_whole_csv(api, settings):
    settings.API_MAX_PAGE_SIZE = 5

    response = api.get("/api/v1/states/", HTTP_ACCEPT="text/csv")

    assert len(read_csv(response)) == 196


def test_the_file_is_named_after_the_resource_and_its_filters(api):
    response = api.get("/api/v1/recommendations/", {"meeting": 7, "format": "csv"})

    assert response["Content-Disposition"] == (
        'attachment; filename="recommendations-meeting-7.csv"'
    )


@pytest.mark.parametrize("parameter", ["page", "page_size"])
def test_paging_a_csv_is_a_400_naming_the_parameter(api, parameter):
    response = api.get("/api/v1/states/", {"format": "csv", parameter: 2})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    errors = response.json()["errors"]
    assert list(errors) == [parameter]
    assert "CSV exports are whole" in errors[parameter][0]


def test_a_bom_value_other_than_yes_or_no_is_a_400_naming_it(api):
    response = api.get("/api/v1/states/", {"format": "csv", "bom": "please"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["bom"]


def test_bom_is_accepted_on_every_list_and_ignored_by_json(api):
    response = api.get("/api/v1/themes/", {"bom": "1"})

    assert response.status_code == 200
    assert response.json()["count"] == 9


# --- Columns and types ---------------------------------------------------------------------


def test_the_columns_are_the_serializers_fields_in_order_with_nested_ones_dotted():
    assert csv_columns(RecommendationListSerializer())[:5] == [
        "id",
        "meeting",
        "year",
        "status",
        "label",
    ]
    assert csv_columns(StatusPairSerializer(many=True)) == [
        "state",
        "state_name",
        "recommendation",
        "label",
        "meeting",
        "status",
        "as_of",
        "report",
    ]


class _Meeting(serializers.Serializer):
    ordinal = serializers.IntegerField()
    year = serializers.IntegerField()


class _Row(serializers.Serializer):
    label = serializers.CharField()
    meeting = _Meeting(allow_null=True)
    themes = serializers.ListField(child=serializers.CharField())
    secret = serializers.CharField(write_only=True)
    done = serializers.BooleanField()


def test_a_nested_object_becomes_dotted_columns_and_a_null_one_empty_cells():
    columns = csv_columns(_Row())
    row = {"label": "8", "meeting": {"ordinal": 7, "year": 2020}, "themes": ["a", "b"]}

    assert columns == ["label", "meeting.ordinal", "meeting.year", "themes", "done"]
    assert csv_row({**row, "done": True}, columns) == ["8", "7", "2020", "a; b", "true"]
    assert csv_row({**row, "meeting": None, "done": False}, columns) == [
        "8",
        "",
        "",
        "a; b",
        "false",
    ]


def test_a_csv_with_no_row_has_the_same_header_as_one_with_many(api):
    empty = api.get("/api/v1/implementation-reports/", {"state": "MEX", "format": "csv"})
    ImplementationReportFactory(state=State.objects.get(code="MEX"))
    full = api.get("/api/v1/implementation-reports/", {"state": "MEX", "format": "csv"})

    assert header_of(empty) == header_of(full) == csv_columns(ImplementationReportSerializer())
    assert empty["X-Total-Count"] == "0"


def test_headers_are_field_names_in_every_interface_language(api, client):
    english = header_of(api.get("/api/v1/recommendations/", {"format": "csv"}))
    accept_french = header_of(
        api.get("/api/v1/recommendations/", {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="fr")
    )
    client.cookies["django_language"] = "fr"
    french_interface = header_of(client.get("/api/v1/recommendations/", {"format": "csv"}))

    assert english == accept_french == french_interface
    assert english == csv_columns(RecommendationListSerializer())


def test_pandas_reads_labels_as_text_booleans_as_booleans_and_accents_intact(api):
    seventh = Recommendation.objects.filter(meeting__ordinal=7, status="adopted").first()
    RecommendationFactory(meeting=seventh.meeting, label="8 (a)")
    ivory_coast = State.objects.get(code="CIV")
    ImplementationReportFactory(state=ivory_coast, recommendation=seventh)

    recommendations = read_csv(api.get("/api/v1/recommendations/", {"format": "csv"}))
    reports = read_csv(api.get("/api/v1/implementation-reports/", {"format": "csv"}))
    states = read_csv(api.get("/api/v1/states/", {"format": "csv"}))

    # Labels are text: "8" beside "8 (a)" stays the string "8", never the number 8.
    assert pd.api.types.is_string_dtype(recommendations["label"])
    assert set(recommendations["label"].map(type)) == {str}
    assert "8" in set(recommendations["label"])
    assert reports["is_demonstration"].dtype == bool
    assert reports.loc[0, "as_of"] == str(ImplementationReport.objects.get().as_of)
    assert "Côte d'Ivoire" in set(states["name"])


def test_nulls_are_empty_cells_and_lists_one_cell(api):
    frame = read_csv(
        api.get("/api/v1/recommendations/", {"format": "csv", "meeting": 7, "status": "adopted"})
    )

    assert set(frame["proposer"]) == {""}
    assert set(frame["highlight"]) == {""}
    with_themes = frame[frame["themes"] != ""]
    assert not with_themes.empty
    assert all("; " in cell or "-" in cell or cell.isalpha() for cell in with_themes["themes"])


def test_bom_1_starts_the_file_with_a_byte_order_mark_that_utf_8_sig_reads(api):
    response = api.get("/api/v1/states/", {"format": "csv", "bom": "1"})

    raw = body(response)
    assert raw.startswith(BOM)
    frame = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", keep_default_na=False)
    assert frame.columns[0] == "code"
    assert len(frame) == 196
    assert "Côte d'Ivoire" in set(frame["name"])


def test_without_bom_there_is_no_byte_order_mark(api):
    assert not body(api.get("/api/v1/states/", {"format": "csv"})).startswith(BOM)


def test_a_detail_comes_as_one_csv_row_with_the_serializers_columns(api):
    recommendation = Recommendation.objects.filter(meeting__ordinal=7, status="adopted").first()

    response = api.get(f"/api/v1/recommendations/{recommendation.pk}/", {"format": "csv"})

    lines = response.content.decode().splitlines()
    assert lines[0].split(",") == csv_columns(RecommendationDetailSerializer())
    frame = pd.read_csv(io.BytesIO(response.content), keep_default_na=False)
    assert len(frame) == 1
    assert frame.loc[0, "id"] == recommendation.pk


# --- Formula injection -----------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(prefix=st.sampled_from(FORMULA_PREFIXES), rest=st.text(max_size=20))
def test_a_csv_cell_that_would_start_a_formula_is_prefixed_with_a_quote(prefix, rest):
    text = prefix + rest

    assert csv_cell(text) == "'" + text
    assert csv_cell([text, "other"]) == "'" + text + "; other"


@given(number=st.integers() | st.floats(allow_nan=False, allow_infinity=False))
def test_real_numbers_are_never_touched(number):
    assert csv_cell(number) == str(number)


@settings(max_examples=25, deadline=None)
@given(prefix=st.sampled_from(FORMULA_PREFIXES), rest=st.text(alphabet="abc=1+()", max_size=10))
def test_an_xlsx_cell_that_would_start_a_formula_is_stored_as_quoted_text(prefix, rest):
    content = xlsx_table(title="t", header=["text", "number"], rows=[[prefix + rest, -3]], about=[])

    cell, number = load_workbook(io.BytesIO(content)).active[2]
    assert cell.data_type == "s"
    assert cell.value == "'" + prefix + rest
    assert number.value == -3


def test_a_report_description_that_is_a_formula_is_neutralised_in_the_csv(api):
    ImplementationReportFactory(description='=HYPERLINK("http://evil.example","click")')
    ImplementationReportFactory(description="-2+3")

    frame = read_csv(api.get("/api/v1/implementation-reports/", {"format": "csv"}))

    assert set(frame["description"]) == {'\'=HYPERLINK("http://evil.example","click")', "'-2+3"}


# --- Queries ---------------------------------------------------------------------------------


def test_a_csv_export_costs_the_same_queries_however_many_rows(api, django_assert_num_queries):
    def export() -> None:
        body(api.get("/api/v1/implementation-reports/", {"format": "csv"}))

    ImplementationReportFactory()
    # 1 newest updated_at (Last-Modified), 1 count (X-Total-Count), 1 the rows with their
    # State, regional group, recommendation and meeting joined
    with django_assert_num_queries(3):
        export()
    ImplementationReportFactory.create_batch(30)
    with django_assert_num_queries(3):
        export()


def test_a_csv_export_honours_the_lists_prefetching(api, django_assert_num_queries):
    def export() -> None:
        body(api.get("/api/v1/documents/", {"format": "csv"}))

    # 1 newest updated_at, 1 count, 1 the documents with their meeting, 1 their themes
    with django_assert_num_queries(4):
        export()


# --- The status matrix -----------------------------------------------------------------------

MATRIX = "/api/v1/status-matrix/"


@pytest.fixture
def matrix_data():
    """Two reports of Mexico on the 7th meeting: the older says in progress, the newer
    implemented; the current status is the newer's."""
    mexico = State.objects.get(code="MEX")
    recommendation = Recommendation.objects.get(meeting__ordinal=7, label="8", status="adopted")
    ImplementationReportFactory(
        state=mexico, recommendation=recommendation, status="in_progress", as_of="2023-01-01"
    )
    current = ImplementationReportFactory(
        state=mexico, recommendation=recommendation, status="implemented", as_of="2024-06-30"
    )
    return {"state": mexico, "recommendation": recommendation, "report": current}


def _pairs() -> int:
    return (
        State.objects.parties().count()
        * Recommendation.objects.filter(status=Recommendation.Status.ADOPTED).count()
    )


def test_the_matrix_has_one_row_per_state_party_and_adopted_recommendation(api, matrix_data):
    page = api.get(MATRIX).json()

    assert page["count"] == _pairs()
    assert len(page["results"]) == 50
    assert set(page["results"][0]) == {
        "state",
        "state_name",
        "recommendation",
        "label",
        "meeting",
        "status",
        "as_of",
        "report",
    }


def test_a_pairs_status_is_its_latest_validated_reports(api, matrix_data):
    rows = api.get(MATRIX, {"state": "MEX", "meeting": 7}).json()["results"]

    row = next(r for r in rows if r["recommendation"] == matrix_data["recommendation"].pk)
    assert row == {
        "state": "MEX",
        "state_name": "Mexico",
        "recommendation": matrix_data["recommendation"].pk,
        "label": "8",
        "meeting": 7,
        "status": "implemented",
        "as_of": "2024-06-30",
        "report": matrix_data["report"].pk,
    }
    others = [r for r in rows if r is not row]
    assert {r["status"] for r in others} == {"no_information"}
    assert {r["report"] for r in others} == {None}


def test_the_matrix_agrees_with_the_states_status(api, matrix_data):
    matrix = api.get(MATRIX, {"state": "MEX", "page_size": 500}).json()["results"]
    state_status = api.get("/api/v1/states/MEX/status/", {"page_size": 500}).json()["results"]

    assert {(r["recommendation"], r["status"]) for r in matrix} == {
        (r["recommendation"], r["status"]) for r in state_status
    }


def test_the_matrix_filters_by_status_theme_and_regional_group(api, matrix_data):
    implemented = api.get(MATRIX, {"status": "implemented"}).json()
    group = api.get(MATRIX, {"regional_group": "african-states", "theme": "prevention"}).json()

    assert [r["state"] for r in implemented["results"]] == ["MEX"]
    parties = State.objects.parties().filter(regional_group__slug="african-states").count()
    prevention = Recommendation.objects.filter(status="adopted", themes__slug="prevention").count()
    assert group["count"] == parties * prevention


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("status", "done"),
        ("state", "ZZZ"),
        ("theme", "nothing"),
        ("meeting", "99"),
        ("regional_group", "nowhere"),
        ("colour", "blue"),
        ("ordering", "state"),
    ],
)
def test_a_matrix_filter_that_names_nothing_is_a_400_naming_it(api, parameter, value):
    response = api.get(MATRIX, {parameter: value})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


def test_the_matrix_as_csv_is_every_pair_with_the_json_columns(api, matrix_data, settings):
    settings.API_MAX_PAGE_SIZE = 5

    response = api.get(MATRIX, {"format": "csv", "bom": "1"})

    # Nulls are empty cells: pandas reads the nullable `report` column as floats.
    frame = pd.read_csv(io.BytesIO(body(response)), encoding="utf-8-sig")
    assert len(frame) == _pairs() == int(response["X-Total-Count"])
    assert list(frame.columns) == csv_columns(StatusPairSerializer())
    mexico = frame[(frame["state"] == "MEX") & (frame["status"] == "implemented")]
    assert list(mexico["report"]) == [float(matrix_data["report"].pk)]
    assert frame["report"].isna().sum() == len(frame) - 1
    assert response["Content-Disposition"] == 'attachment; filename="status-matrix.csv"'


def test_the_matrix_as_xlsx_is_one_row_per_state_and_one_column_per_recommendation(
    api, matrix_data
):
    response = api.get(MATRIX, {"format": "xlsx", "meeting": 7})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        'attachment; filename="wgsom-status-matrix-meeting-7.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Status matrix", "About"]
    rows = list(workbook["Status matrix"].iter_rows(values_only=True))
    header = rows[0]
    adopted = Recommendation.objects.filter(meeting__ordinal=7, status="adopted").count()
    assert header[:2] == ("state", "state_name")
    assert len(header) == 2 + adopted
    assert len(rows) == 1 + State.objects.parties().count()
    mexico = next(row for row in rows if row[0] == "MEX")
    assert mexico[header.index("7:8")] == "implemented"
    assert set(mexico[2:]) == {"implemented", "no_information"}
    about = dict(workbook["About"].iter_rows(values_only=True))
    assert about["Filters"] == "meeting=7"
    assert about["Source"].endswith("/api/v1/status-matrix/?format=xlsx&meeting=7")
    assert "7:8" in about


def test_the_matrix_is_also_browsable(api):
    response = api.get(MATRIX, {"format": "api", "state": "MEX"})

    assert response.status_code == 200
    assert "no_information" in response.content.decode()


def test_the_matrix_workbook_says_when_reports_are_demonstration_data(api):
    ImplementationReportFactory(state=State.objects.get(code="MEX"), is_demonstration=True)

    response = api.get(MATRIX, {"format": "xlsx"})

    about = dict(load_workbook(io.BytesIO(response.content))["About"].iter_rows(values_only=True))
    assert "synthetic" in about["Demonstration data"]


def test_the_matrix_costs_the_same_queries_however_many_rows(api, django_assert_num_queries):
    def read(params) -> None:
        response = api.get(MATRIX, params)
        if response.streaming:
            body(response)

    # A page: 1 the States (with the newest change, for Last-Modified), 1 the number of
    # recommendations per meeting, 1 the meetings' order, 1 the recommendations of the page
    # with their meetings, 1 the current statuses of its pairs. The CSV: 1 the States, 1 the
    # recommendations with their meetings, 1 the current reports; the XLSX also 1 whether
    # demonstration data is present.
    for _ in range(2):
        with django_assert_num_queries(5):
            read({})
        with django_assert_num_queries(3):
            read({"format": "csv"})
        with django_assert_num_queries(4):
            read({"format": "xlsx"})

        for _ in range(5):
            StateFactory()
        ImplementationReportFactory.create_batch(20, state=State.objects.get(code="MEX"))


# --- The status matrix a page at a time ------------------------------------------------------
# A JSON page reads only its window of pairs; it must be exactly the slice of the whole matrix
# (reporting/selectors.py: `status_matrix`, which the exports still read) it stands for.


@pytest.fixture
def spread_statuses():
    """Current statuses on the 7th meeting's recommendations for the first African States
    parties in name order, so that pages in each status cross from one State to the next; an
    older report under a newer one, and a report still in draft, which shows nothing."""
    states = list(
        State.objects.parties().filter(regional_group__slug="african-states").order_by("name")[:4]
    )
    recommendations = list(
        Recommendation.objects.filter(meeting__ordinal=7, status="adopted").order_by("order", "pk")
    )
    statuses = ["implemented", "in_progress", "not_implemented", "partially_implemented"]
    for i, state in enumerate(states):
        for j, recommendation in enumerate(recommendations):
            if (i + j) % 3 == 2:
                continue  # no information
            ImplementationReportFactory(
                state=state, recommendation=recommendation, status="not_applicable"
            )
            if (i * j) % 2:
                continue
            ImplementationReportFactory(
                state=state,
                recommendation=recommendation,
                status=statuses[(i + j) % len(statuses)],
                as_of="2024-06-30",
            )
    ImplementationReportFactory(
        state=states[0],
        recommendation=recommendations[2],
        status="implemented",
        review_state=ImplementationReport.ReviewState.DRAFT,
        validated_at=None,
    )
    return {"states": states, "recommendations": recommendations}


def _matrix(params: dict):
    """The matrix the API reads for `params`: paged, and read whole as before."""
    filterset = StatusMatrixFilter(params, queryset=State.objects.all())
    assert filterset.is_valid(), filterset.errors
    pages = filterset.qs
    return pages, pages.whole()


def _keys(pairs) -> list[tuple]:
    return [
        (p.state.pk, p.recommendation.pk, p.current_status, p.current_as_of, p.current_report_id)
        for p in pairs
    ]


MATRIX_FILTERS = [
    {"meeting": 7, "regional_group": "african-states"},
    {"meeting": 7},
    {"state": "MEX"},
    {"theme": "prevention", "regional_group": "african-states"},
    {"regional_group": "african-states"},
]
MATRIX_STATUSES = [None, "implemented", "in_progress", "not_applicable", "no_information"]


@pytest.mark.parametrize("filters", MATRIX_FILTERS)
@pytest.mark.parametrize("status", MATRIX_STATUSES)
def test_a_window_of_the_matrix_is_the_same_slice_of_the_whole_matrix(
    spread_statuses, filters, status
):
    params = {**filters, **({"status": status} if status else {})}
    pages, whole = _matrix(params)

    assert len(pages) == len(whole)
    assert pages.last_modified == whole.last_modified
    total = len(whole)
    per_state = len(whole.recommendations) or 1
    for size in (1, 7, 50, per_state - 1, per_state, per_state + 1, 2 * per_state + 3):
        if size < 1:
            continue
        # Every page of the first few, and pages around each State's boundary.
        starts = set(range(0, min(total, 6 * size), size))
        starts |= {max(0, k * per_state - size // 2) for k in range(1, 5)}
        starts |= {max(0, total - size)}
        for start in sorted(starts):
            assert _keys(pages[start : start + size]) == _keys(whole[start : start + size]), (
                size,
                start,
            )
    assert _keys(pages[total : total + 5]) == []


def test_the_matrix_pages_in_a_status_cross_states_as_the_whole_matrix_does(spread_statuses):
    pages, whole = _matrix(
        {"meeting": 7, "regional_group": "african-states", "status": "implemented"}
    )

    states_shown = {pair.state.pk for pair in pages[:]}

    assert len(states_shown) > 1
    assert _keys(pages[:]) == _keys(whole[:])
    assert {pair.current_status for pair in pages[:]} == {"implemented"}


@pytest.mark.parametrize("status", MATRIX_STATUSES)
@pytest.mark.parametrize("page_size", [5, 19, 50])
def test_every_json_page_of_the_matrix_is_its_slice_of_the_whole(
    api, spread_statuses, status, page_size
):
    params = {
        "meeting": 7,
        "regional_group": "african-states",
        **({"status": status} if status else {}),
    }
    _, whole = _matrix(params)
    expected = StatusPairSerializer(whole[:], many=True).data

    rows, page = [], 1
    while True:
        cache.clear()  # every page, past the anonymous throttle
        response = api.get(MATRIX, {**params, "page_size": page_size, "page": page})
        assert response.status_code == 200
        data = response.json()
        assert data["count"] == len(whole)
        rows += data["results"]
        if not data["next"]:
            break
        page += 1

    assert rows == [dict(row) for row in expected]


def test_a_deep_json_page_of_the_matrix_is_its_slice_of_the_whole(api, spread_statuses):
    _, whole = _matrix({})
    last = (len(whole) - 1) // 50 + 1
    for page in (2, last // 2, last):
        data = api.get(MATRIX, {"page": page}).json()
        expected = StatusPairSerializer(whole[(page - 1) * 50 : page * 50], many=True).data
        assert data["results"] == [dict(row) for row in expected]


def test_a_json_page_of_the_matrix_keeps_its_last_modified(api, spread_statuses):
    for params in ({}, {"status": "implemented"}, {"status": "no_information", "meeting": 7}):
        _, whole = _matrix(params)
        response = api.get(MATRIX, params)
        assert response["Last-Modified"] == http_date(whole.last_modified.timestamp())
        again = api.get(MATRIX, params, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304


@pytest.mark.parametrize("status", MATRIX_STATUSES)
def test_a_json_page_of_the_matrix_costs_at_most_five_queries_however_many_rows(
    api, django_assert_max_num_queries, spread_statuses, status
):
    params = {"status": status} if status else {}
    deep = {**params, "page": 2, "page_size": 3}  # a page past the first
    for _ in range(2):
        for query in (params, deep):
            with django_assert_max_num_queries(5):
                assert api.get(MATRIX, query).status_code == 200
        mexico = State.objects.get(code="MEX")
        for recommendation in Recommendation.objects.filter(status="adopted")[:30]:
            ImplementationReportFactory(state=mexico, recommendation=recommendation)
