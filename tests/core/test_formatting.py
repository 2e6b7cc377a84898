"""Percentages and dates as the reader's language writes them: one filter (`percent`, from
core/formatting.py through Babel) for every percentage, Django's localized DATE_FORMAT for
dates, so one language never shows both "16%" and "16 %"."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from core.charts import percent, status_chart
from core.formatting import format_percent


def _render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load formatting %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "16%"), ("fr", "16\N{NO-BREAK SPACE}%"), ("es", "16\N{NO-BREAK SPACE}%")],
)
def test_a_share_is_written_as_the_language_writes_percentages(language, expected):
    with translation.override(language):
        assert format_percent(0.16) == expected
        # The charts' own helper is the same function, not a second spelling.
        assert percent(0.16) == expected


def test_the_filter_reads_fractions_and_whole_percents_alike():
    assert _render("{{ share|percent }}", "en", share=0.16) == "16%"
    assert _render("{{ whole|percent:100 }}", "en", whole=16) == "16%"
    assert _render("{{ share|percent }}", "fr", share=0.16) == "16\N{NO-BREAK SPACE}%"
    assert _render("{{ whole|percent:100 }}", "fr", whole=16) == "16\N{NO-BREAK SPACE}%"


def test_the_filter_shows_nothing_for_a_missing_rate():
    assert _render("{{ share|percent }}", "en", share=None) == ""
    assert _render("{{ share|percent }}", "en", share="") == ""


def test_the_status_chart_writes_its_shares_with_the_filter_in_every_language():
    chart = status_chart([("Technology", None, {"implemented": 1, "not_implemented": 3})])
    with translation.override("fr"):
        html = render_to_string(
            "_status_chart.html",
            {"chart": chart, "caption": "c", "row_header": "Thème", "chart_id": "c"},
        )

    assert "25\N{NO-BREAK SPACE}%" in html
    assert "25%" not in html
    assert "&nbsp;%" not in html


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "Dec. 1, 2026"), ("fr", "1 décembre 2026")]
)
def test_dates_use_the_languages_date_format(language, expected):
    day = datetime.date(2026, 12, 1)

    assert _render('{{ day|date:"DATE_FORMAT" }}', language, day=day) == expected
