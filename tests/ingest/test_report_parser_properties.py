"""Property-based tests of the report parser (hypothesis).

However a report's pages break, whatever its headers and footers, however its lines wrap and its
paragraphs are numbered, and whatever its sub-headings say, the parser returns the same
recommendations, agenda, attendance and statements, in each of the three layouts (the 2020
"Recommendation N" headings, the 2018 lettered items, and numbered paragraphs under restarting
sub-headings). Random or truncated input gives a ReportParseError, never another exception, and
never a report that differs from the original in what it does return.
"""

from __future__ import annotations

import contextlib
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.report_parser import ParsedReport, ReportParseError, parse_report, parse_report_text

from .documents import (
    LAYOUT_2018,
    LAYOUT_2020,
    LAYOUT_NUMBERED,
    NUMBERED_REPORT,
    REPORT_2018,
    REPORT_2020,
    SUBSECTIONS,
    as_rows,
    as_rows_with_subsections,
    expected_recommendations,
    numbered_expected,
    numbered_report,
    renumber_paragraphs,
    source_paragraphs,
    to_docx,
    to_text,
)

REPORTS = {
    "2020": (REPORT_2020, LAYOUT_2020),
    "2018": (REPORT_2018, LAYOUT_2018),
}
# No example database: the examples are cheap to find again, and tests write no files.
PROPERTY = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@cache
def baseline(year: str) -> ParsedReport:
    return parse_report_text(REPORTS[year][0].read_text(encoding="utf-8"))


def relabelled(year: str, numbers: dict[int, int]) -> list[dict]:
    """The expected recommendations with the 2018 paragraph numbers their labels carry moved."""
    rows = []
    for row in expected_recommendations(year):
        number, _, letter = row["label"].partition(" ")
        if letter:
            row = {**row, "label": f"{numbers[int(number)]} {letter}"}
        rows.append(row)
    return rows


def read_so_far(expected: list[dict], report: ParsedReport, agenda: list) -> list[dict]:
    """The recommendations a report cut short should give: the first ones, each with its
    agenda item only once the report has read that item whole (its title is what the section
    is matched by); before that, which item a section follows is unknown, never guessed."""
    known = {item.label for item in report.agenda_items if item in agenda}
    return [
        {**row, "agenda_item": row["agenda_item"] if row["agenda_item"] in known else None}
        for row in expected[: len(report.recommendations)]
    ]


layouts = st.fixed_dictionaries(
    {
        # None: one paragraph a line, as a word processor's export; else wrapped as in a PDF.
        "width": st.one_of(st.none(), st.integers(min_value=45, max_value=140)),
        "blank_lines": st.booleans(),
        "breaks": st.lists(st.floats(min_value=0, max_value=1, exclude_max=True), max_size=15),
        "form_feeds": st.booleans(),
        "footer": st.sampled_from(["job counter", "counter job", "page of", "counter"]),
        "running_head": st.sampled_from(["", "Working Group on the Smuggling of Migrants 2020"]),
    }
)
numberings = st.fixed_dictionaries(
    {
        "offset": st.integers(min_value=0, max_value=40),
        "gap_after": st.one_of(st.none(), st.integers(min_value=1, max_value=8)),
    }
)


@pytest.mark.parametrize("year", ["2020", "2018"])
@PROPERTY
@given(layout=layouts, numbering=numberings)
def test_page_breaks_headers_wrapping_and_numbering_change_nothing(year, layout, numbering):
    path, marks = REPORTS[year]
    paragraphs, numbers = renumber_paragraphs(source_paragraphs(path), **numbering)
    text = to_text(paragraphs, marks, **layout)

    report = parse_report_text(text)

    original = baseline(year)
    assert as_rows(report.recommendations) == relabelled(year, numbers)
    assert report.agenda_items == original.agenda_items
    assert report.attendance == original.attendance
    assert report.statements == original.statements
    assert (report.title, report.distributed, report.meeting) == (
        original.title,
        original.distributed,
        original.meeting,
    )
    if numbering["gap_after"] is not None and numbering["gap_after"] < max(numbers):
        assert any("paragraph numbering jumps" in w.message for w in report.warnings)


# A sub-heading as a report might word it: a few capitalised or lower-case words, hyphens and
# commas inside, never a closing stop.
_WORDS = st.sampled_from(
    [
        *("victims", "of", "smuggling", "and", "trafficking", "Protocol", "border", "cooperation"),
        *("awareness-raising", "data", "collection", "migrants", "at", "sea", "UNODC", "air"),
        *("international", "the", "in", "criminal", "justice", "responses,", "rights", "children"),
    ]
)
subheadings = st.builds(
    lambda first, rest: " ".join([first, *rest]),
    st.sampled_from(["General", "Protection", "Prevention", "Victims", "Smuggling", "Data"]),
    st.lists(_WORDS, max_size=12),
)


@cache
def numbered_baseline() -> ParsedReport:
    return parse_report_text("\n\n".join(NUMBERED_REPORT))


@PROPERTY
@given(
    layout=layouts,
    numbering=numberings,
    titles=st.dictionaries(st.sampled_from(sorted(SUBSECTIONS)), subheadings),
)
def test_the_numbered_paragraph_layout_reads_the_same_however_it_is_laid_out(
    layout, numbering, titles
):
    paragraphs, numbers = renumber_paragraphs(numbered_report(titles), **numbering)
    text = to_text(paragraphs, LAYOUT_NUMBERED, **layout)

    report = parse_report_text(text)

    original = numbered_baseline()
    assert as_rows_with_subsections(report.recommendations) == numbered_expected(titles, numbers)
    assert report.agenda_items == original.agenda_items
    assert report.attendance == original.attendance
    assert (report.title, report.distributed, report.meeting) == (
        original.title,
        original.distributed,
        original.meeting,
    )


@settings(max_examples=15, deadline=None, database=None)
@given(
    per_page=st.integers(min_value=2, max_value=14),
    titles=st.dictionaries(st.sampled_from(sorted(SUBSECTIONS)), subheadings, max_size=2),
)
def test_the_numbered_paragraph_layout_reads_the_same_from_word_however_its_pages_break(
    per_page, titles
):
    data = to_docx(numbered_report(titles), LAYOUT_NUMBERED, per_page=per_page)

    report = parse_report(data, filename="r.docx")

    assert as_rows_with_subsections(report.recommendations) == numbered_expected(titles)


@pytest.mark.parametrize("year", ["2020", "2018"])
@PROPERTY
@given(data=st.data())
def test_a_truncated_report_is_refused_or_read_as_far_as_it_goes(year, data):
    text = REPORTS[year][0].read_text(encoding="utf-8")
    cut = data.draw(st.integers(min_value=0, max_value=len(text)), label="cut")
    try:
        report = parse_report_text(text[:cut])
    except ReportParseError as error:
        assert "\n" not in str(error)
        return
    expected = read_so_far(expected_recommendations(year), report, baseline(year).agenda_items)
    assert as_rows(report.recommendations) == expected


@PROPERTY
@given(data=st.data())
def test_a_truncated_numbered_paragraph_report_is_refused_or_read_as_far_as_it_goes(data):
    text = "\n\n".join(NUMBERED_REPORT) + "\n"
    cut = data.draw(st.integers(min_value=0, max_value=len(text)), label="cut")
    try:
        report = parse_report_text(text[:cut])
    except ReportParseError as error:
        assert "\n" not in str(error)
        return
    expected = read_so_far(numbered_expected(), report, numbered_baseline().agenda_items)
    assert as_rows_with_subsections(report.recommendations) == expected


@PROPERTY
@given(text=st.text(max_size=3000))
def test_random_text_is_refused_or_read_never_a_crash(text):
    try:
        parse_report_text(text)
    except ReportParseError as error:
        assert str(error)


@PROPERTY
@given(
    lines=st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "",
                    "\f",
                    "II. Recommendations",
                    "III. Organization of the meeting",
                    "A. Recommendations on technology",
                    "B. General recommendations",
                    "Recommendation 1",
                    "Recommendation 2",
                    "1. States Parties should:",
                    "2. The following agenda:",
                    "(a) Cooperate;",
                    "(b) Share information.",
                    "States parties should act.",
                    "V.20-04970 3/11",
                    "Distr.: General",
                    "under agenda items 2 and 3, statements were made by",
                    "The first panellist was A B, on behalf of the Group of C.",
                ]
            ),
            st.text(max_size=80),
        ),
        max_size=40,
    )
)
def test_report_shaped_noise_is_refused_or_read_never_a_crash(lines):
    try:
        report = parse_report_text("\n".join(lines))
    except ReportParseError:
        return
    labels = [item.label for item in report.recommendations]
    assert len(labels) == len(set(labels))


@PROPERTY
@given(
    data=st.binary(max_size=2000),
    filename=st.sampled_from(["r.txt", "r.pdf", "r.docx", "r.md"]),
)
def test_random_bytes_are_refused_or_read_never_a_crash(data, filename):
    with contextlib.suppress(ReportParseError):
        parse_report(data, filename=filename)
