"""The one status chart: `core.charts.status_chart` shapes the bars, and
`templates/_status_chart.html` is the only template that draws them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from core.charts import share_percent, status_chart
from core.statuses import STATUS_COLUMNS, STATUS_LABELS

BASE_DIR = Path(settings.BASE_DIR)
PARTIAL = BASE_DIR / "templates" / "_status_chart.html"


@pytest.fixture(autouse=True)
def in_english():
    """The partial's words are checked in English, whatever language a test before left on."""
    with translation.override("en"):
        yield


def _counts(**counts: int) -> dict[str, int]:
    return {status: counts.get(status, 0) for status in STATUS_COLUMNS}


def test_a_bar_is_split_by_status_in_proportion_and_legend_order():
    counts = _counts(implemented=1, in_progress=2, no_information=1)

    (bar,) = status_chart([("Technology", "/themes/technology/", counts)]).bars

    assert [(s.status, s.count, s.x, s.width) for s in bar.segments] == [
        ("implemented", 1, "0.000", "25.000"),
        ("in_progress", 2, "25.000", "50.000"),
        ("no_information", 1, "75.000", "25.000"),
    ]
    assert bar.segments[0].label == STATUS_LABELS["implemented"]
    assert bar.cells == [1, 0, 2, 0, 0, 1]
    assert (bar.label, bar.url, bar.total, bar.reported, bar.share_percent) == (
        "Technology",
        "/themes/technology/",
        4,
        3,
        25,
    )


def test_a_tally_and_a_compliance_row_of_the_same_figures_draw_the_same_bar():
    tally = _counts(implemented=2, partially_implemented=1, no_information=3)
    # A compliance row carries more than counts: what the chart does not draw is ignored.
    row = {**tally, "reported": 3, "states_parties": 6, "share_implementing": 0.5, "slug": "x"}

    assert status_chart([("A", None, tally)]) == status_chart([("A", None, row)])


def test_a_status_left_out_counts_zero_and_an_empty_row_draws_an_empty_bar():
    (partial, empty) = status_chart([("Some", None, {"implemented": 2}), ("None", None, {})]).bars

    assert partial.cells == [2, 0, 0, 0, 0, 0]
    assert partial.share_percent == 100
    assert (empty.segments, empty.total, empty.share_percent) == ([], 0, 0)


def test_a_chart_without_rows_is_false_and_its_legend_is_every_status_in_order():
    chart = status_chart([])

    assert not chart
    assert [item["status"] for item in chart.legend] == list(STATUS_COLUMNS)


def test_the_share_implementing_counts_full_and_partial_and_is_none_without_pairs():
    assert share_percent(_counts(implemented=1, partially_implemented=1, not_implemented=2)) == 50
    assert share_percent(_counts()) is None


def test_the_partial_draws_the_bars_and_a_table_of_the_same_figures():
    chart = status_chart([("Technology", "/themes/technology/", _counts(implemented=3))])

    page = render_to_string(
        "_status_chart.html",
        {"chart": chart, "caption": "By theme", "row_header": "Theme", "chart_id": "c"},
    )

    assert '<figure class="status-chart" aria-labelledby="c-caption">' in page
    assert '<div class="chart-drawing" aria-hidden="true">' in page
    assert 'class="fill-implemented"' in page
    assert '<a href="/themes/technology/">Technology</a>' in page
    assert '<th scope="col">Reported</th>' not in page


def test_the_partial_can_show_the_table_alone_with_the_pairs_reported():
    chart = status_chart([("Austria", None, _counts(implemented=1, no_information=3))])

    page = render_to_string(
        "_status_chart.html",
        {
            "chart": chart,
            "caption": "By State party",
            "row_header": "State party",
            "chart_id": "c",
            "with_reported": True,
            "table_only": True,
        },
    )

    assert "chart-drawing" not in page
    assert '<th scope="col">Reported</th>' in page
    assert "<td>1 / 4</td>" in page


def test_an_empty_chart_says_there_is_nothing_to_count():
    page = render_to_string(
        "_status_chart.html",
        {"chart": status_chart([]), "caption": "By theme", "row_header": "Theme", "chart_id": "c"},
    )

    assert "Nothing to count yet." in page
    assert "<table" not in page


def test_no_template_but_the_partial_draws_status_bars():
    drawers = []
    for folder, subfolders, files in os.walk(BASE_DIR):
        subfolders[:] = [d for d in subfolders if not d.startswith(".") and d != "tests"]
        for name in files:
            path = Path(folder, name)
            if path.suffix == ".html" and path != PARTIAL and "fill-" in path.read_text():
                drawers.append(str(path.relative_to(BASE_DIR)))

    assert drawers == []
