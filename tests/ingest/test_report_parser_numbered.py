"""Reports whose recommendations are the numbered paragraphs of their recommendations chapter.

The working groups of the Conference also write their reports this way: "II. Recommendations
adopted by the Working Group", lettered sections, numbered sub-headings whose numbers restart in
each section ("1. General recommendations", "2. Protection of ...") while the paragraphs carry on
the report's own numbering ("3. States parties should ..."). Pure tests: no database. The oracle
is the report written in tests/ingest/documents.py (NUMBERED_REPORT) and what it holds.
"""

from __future__ import annotations

import datetime

import pytest

from ingest.report_parser import ReportParseError, parse_report, parse_report_text

from .documents import (
    LAYOUT_NUMBERED,
    NUMBERED_REPORT,
    Layout,
    as_rows_with_subsections,
    numbered_expected,
    require_font,
    to_docx,
    to_pdf,
    to_text,
)

PLAIN = "\n\n".join(NUMBERED_REPORT) + "\n"


def replaced(paragraphs: list[str], old: str, new: str) -> list[str]:
    changed = [text.replace(old, new) for text in paragraphs]
    assert changed != paragraphs, old
    return changed


# --- the recommendations, in every format ----------------------------------------------------


def test_the_numbered_paragraphs_of_the_recommendations_chapter_are_the_recommendations():
    report = parse_report_text(PLAIN)

    assert as_rows_with_subsections(report.recommendations) == numbered_expected()
    assert [item.label for item in report.recommendations] == [
        "3",
        "4",
        "5",
        "6",
        "7 (a)",
        "7 (b)",
        "8",
        "9",
    ]
    assert report.warnings == []


def test_the_paragraph_that_introduces_the_recommendations_is_not_one():
    report = parse_report_text(PLAIN)
    assert "2" not in [item.label for item in report.recommendations]
    assert not any("adopted the recommendations below" in r.text for r in report.recommendations)


def test_an_introduction_ending_with_a_colon_announces_the_recommendations_not_a_list():
    paragraphs = replaced(
        NUMBERED_REPORT,
        "adopted the recommendations below for consideration by the Conference at its next "
        "session.",
        "adopted the following recommendations for consideration by the Conference:",
    )

    report = parse_report_text("\n\n".join(paragraphs))

    assert as_rows_with_subsections(report.recommendations) == numbered_expected()


def test_restarting_sub_headings_are_sub_sections_never_text_of_the_paragraph_before():
    report = parse_report_text(PLAIN)
    texts = " ".join(item.text for item in report.recommendations)
    for heading in ("General recommendations", "Protection of the rights", "Prevention and"):
        assert heading not in texts
    three = report.recommendations[0]
    assert three.text.endswith("including its model legislative provisions.")
    assert (three.subsection, three.subsection_title) == ("1", "General recommendations")


@pytest.mark.parametrize(
    "layout",
    [
        {"width": 70, "breaks": [0.3, 0.55, 0.8]},
        {"width": 48, "blank_lines": False, "breaks": [0.2, 0.4, 0.6, 0.8], "form_feeds": True},
        {
            "width": 90,
            "breaks": [0.15, 0.3, 0.45, 0.6, 0.75],
            "footer": "page of",
            "running_head": "Report of the Working Group on the Smuggling of Migrants, 2031",
        },
    ],
)
def test_page_furniture_and_paragraphs_broken_across_pages_change_nothing_in_text(layout):
    report = parse_report_text(to_text(NUMBERED_REPORT, LAYOUT_NUMBERED, **layout))

    assert as_rows_with_subsections(report.recommendations) == numbered_expected()
    assert report.symbol == LAYOUT_NUMBERED.symbol


def test_a_sub_heading_at_the_foot_of_a_page_stays_a_sub_heading():
    # The page ends right after "2. Protection of ..." and after a paragraph's first words.
    text = PLAIN.replace(
        "Protection of the rights of smuggled migrants\n",
        "Protection of the rights of smuggled migrants\n\nV.31-00412 2/4\n\fCTOC/COP/WG.7/2031/4\n",
    ).replace(
        "States parties should consider developing guidance",
        "States parties should consider\n\nV.31-00412 3/4\n\fCTOC/COP/WG.7/2031/4\n\n"
        "developing guidance",
    )

    report = parse_report_text(text)

    assert as_rows_with_subsections(report.recommendations) == numbered_expected()
    assert report.pages == 3


def test_a_sub_heading_followed_by_an_empty_page_stays_a_sub_heading():
    # Found by the property test: "2. Technical assistance" ends a page, the next page holds
    # only its furniture (symbol, running head, footer), and the paragraph that follows the
    # sub-heading comes on the page after. Counted with the blank lines and furniture, the
    # paragraph is more than the parser's lookahead away, and the sub-heading used to be read
    # as the end of paragraph 8.
    head = "Working Group on the Smuggling of Migrants 2020"
    text = to_text(
        NUMBERED_REPORT,
        LAYOUT_NUMBERED,
        form_feeds=True,
        footer="page of",
        running_head=head,
        breaks=[0.9999999999999998, 0.0, 0.91, 0.37, 0.64, 0.9999999999999998, 0.367, 0.6, 0.59],
    )
    heading = text.index("2. Technical assistance\n")
    paragraph = text.index("9. UNODC should continue")
    assert text[heading:paragraph].count("\f") == 2  # the empty page between them

    report = parse_report_text(text)

    assert as_rows_with_subsections(report.recommendations) == numbered_expected()
    nine = report.recommendations[-1]
    assert (nine.label, nine.subsection_title) == ("9", "Technical assistance")


@pytest.mark.parametrize("per_page", [3, 7])
def test_a_word_version_with_page_breaks_reads_the_same(per_page):
    report = parse_report(
        to_docx(NUMBERED_REPORT, LAYOUT_NUMBERED, per_page=per_page), filename="r.docx"
    )

    assert report.source_format == "docx" and report.pages > 2
    assert as_rows_with_subsections(report.recommendations) == numbered_expected()
    assert report.symbol == LAYOUT_NUMBERED.symbol


@pytest.mark.parametrize("font_size", [9, 12, 16])
def test_a_pdf_version_with_paragraphs_running_across_pages_reads_the_same(font_size):
    require_font()
    report = parse_report(
        to_pdf(NUMBERED_REPORT, LAYOUT_NUMBERED, font_size=font_size), filename="r.pdf"
    )

    assert report.source_format == "pdf" and report.pages >= 2
    assert as_rows_with_subsections(report.recommendations) == numbered_expected()
    assert report.symbol == LAYOUT_NUMBERED.symbol


def test_the_rest_of_the_report_is_read_as_in_the_other_layouts():
    report = parse_report_text(PLAIN)

    assert report.title == (
        "Report on the meeting of the Working Group on the Smuggling of Migrants held in "
        "Vienna, 27-29 January 2031"
    )
    assert report.distributed == datetime.date(2031, 2, 17)
    assert report.meeting.ordinal == 10
    assert (report.meeting.chair, report.meeting.chair_state) == ("Anna Berger", "Austria")
    assert [item.label for item in report.agenda_items] == ["1", "1 (a)", "1 (b)", "2", "3", "4"]
    assert report.attendance == {
        "party": ["Austria", "Mexico", "South Africa", "Trinidad and Tobago"]
    }
    assert report.body == "Working Group on the Smuggling of Migrants"


# --- venue and dates from the title and the cover ---------------------------------------------


def without_organization_chapter(paragraphs: list[str]) -> list[str]:
    """The report without the paragraph that says where and when the meeting was held."""
    return [text for text in paragraphs if not text.startswith("10. The tenth meeting")]


def test_held_in_vienna_with_a_day_range_in_the_title_gives_venue_and_dates():
    cover = "Vienna, 27-29 January 2031"
    paragraphs = [text for text in without_organization_chapter(NUMBERED_REPORT) if text != cover]
    report = parse_report_text("\n\n".join(paragraphs))

    meeting = report.meeting
    assert (meeting.venue, meeting.start_date, meeting.end_date) == (
        "Vienna",
        datetime.date(2031, 1, 27),
        datetime.date(2031, 1, 29),
    )


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("27-29 January 2031", (2031, 1, 27), (2031, 1, 29)),
        ("27 \u2013 29 January 2031", (2031, 1, 27), (2031, 1, 29)),
        ("30 January-1 February 2031", (2031, 1, 30), (2031, 2, 1)),
        ("30 January \u2013 1 February 2031", (2031, 1, 30), (2031, 2, 1)),
        ("30 December 2030 to 2 January 2031", (2030, 12, 30), (2031, 1, 2)),
        ("from 30 January to 1 February 2031", (2031, 1, 30), (2031, 2, 1)),
    ],
)
def test_the_cover_and_title_forms_with_day_and_month_ranges(written, start, end):
    paragraphs = [
        text.replace("27-29 January 2031", written)
        for text in without_organization_chapter(NUMBERED_REPORT)
    ]
    report = parse_report_text("\n\n".join(paragraphs))

    meeting = report.meeting
    assert meeting.venue == "Vienna"
    assert (meeting.start_date, meeting.end_date) == (
        datetime.date(*start),
        datetime.date(*end),
    )


def test_the_cover_line_alone_gives_venue_and_dates():
    paragraphs = replaced(
        without_organization_chapter(NUMBERED_REPORT),
        " held in Vienna, 27-29 January 2031",
        "",
    )
    paragraphs = replaced(paragraphs, "Vienna, 27-29 January 2031", "Vienna, 30 May-1 June 2031")

    meeting = parse_report_text("\n\n".join(paragraphs)).meeting

    assert (meeting.venue, meeting.start_date, meeting.end_date) == (
        "Vienna",
        datetime.date(2031, 5, 30),
        datetime.date(2031, 6, 1),
    )


# --- saying what was found and what was not --------------------------------------------------


def test_a_recommendations_chapter_with_only_its_introduction_is_described_in_a_warning():
    chapter_ii = NUMBERED_REPORT.index("II. Recommendations adopted by the Working Group")
    paragraphs = [
        *NUMBERED_REPORT[: chapter_ii + 2],
        "III. Organization of the meeting",
        "3. The following parties to the Smuggling of Migrants Protocol were represented at the "
        "meeting: Austria and Mexico.",
    ]
    text = "\n".join(paragraphs)

    report = parse_report_text(text)

    assert report.recommendations == []
    (warning,) = [w for w in report.warnings if "found chapter II" in w.message]
    assert warning.message.startswith(
        "found chapter II 'Recommendations adopted by the Working Group' with 1 numbered "
        "paragraph (1 introducing the recommendations) but no 'Recommendation N' headings"
    )
    assert warning.where == f"line {chapter_ii + 1}"


def test_a_report_with_chapters_but_nothing_readable_says_what_it_found():
    text = (
        "I. Introduction\n\n1. The Working Group met.\n\n"
        "II. Recommendations adopted by the Working Group\n\n"
        "2. The Working Group adopted the recommendations below.\n"
    )
    with pytest.raises(ReportParseError) as error:
        parse_report_text(text)

    message = str(error.value)
    assert "\n" not in message
    assert (
        "found chapters I 'Introduction', II 'Recommendations adopted by the Working Group', "
        "2 numbered paragraphs but no recommendations, agenda, attendance or statements"
    ) in message
    assert error.value.where == "line 1"


def test_a_paragraph_read_as_a_recommendation_that_ends_mid_sentence_is_refused_saying_where():
    cut = PLAIN.replace(
        "including those who have been the object of aggravated smuggling.",
        "including those who",
    )

    with pytest.raises(ReportParseError) as error:
        parse_report_text(cut)

    assert "paragraph 5 of chapter II, read as a recommendation, ends mid-sentence" in str(
        error.value
    )
    assert error.value.where.startswith("line ")


def test_where_is_page_and_line_in_a_pdf_and_paragraph_in_word():
    require_font()
    broken = replaced(
        NUMBERED_REPORT,
        "including those who have been the object of aggravated smuggling.",
        "including those who",
    )
    for data, name, where in (
        (to_pdf(broken, LAYOUT_NUMBERED), "r.pdf", "page "),
        (to_docx(broken, LAYOUT_NUMBERED), "r.docx", "paragraph "),
    ):
        with pytest.raises(ReportParseError) as error:
            parse_report(data, filename=name)
        assert error.value.where.startswith(where), error.value.where
        if where == "page ":
            assert ", line " in error.value.where


# --- the body a report belongs to -------------------------------------------------------------

TRAFFICKING = Layout(symbol="CTOC/COP/WG.4/2031/6", job="V.31-00977")


def trafficking_report() -> list[str]:
    """The same report, as the Working Group on Trafficking in Persons would publish it."""
    return [
        text.replace("Smuggling of Migrants Protocol", "Trafficking in Persons Protocol").replace(
            "Working Group on the Smuggling of Migrants", "Working Group on Trafficking in Persons"
        )
        for text in NUMBERED_REPORT
    ]


@pytest.mark.parametrize("fmt", ["text", "docx", "pdf"])
def test_a_report_of_another_body_is_refused_naming_that_body(fmt):
    paragraphs = trafficking_report()
    if fmt == "text":
        data, name = to_text(paragraphs, TRAFFICKING, breaks=[0.5]).encode(), "r.txt"
    elif fmt == "docx":
        data, name = to_docx(paragraphs, TRAFFICKING), "r.docx"
    else:
        require_font()
        data, name = to_pdf(paragraphs, TRAFFICKING), "r.pdf"

    with pytest.raises(ReportParseError) as error:
        parse_report(data, filename=name)

    message = str(error.value)
    assert "\n" not in message
    assert (
        "the report's symbol CTOC/COP/WG.4/2031/6 makes it a report of the Working Group on "
        "Trafficking in Persons; this tracker imports reports of CTOC/COP/WG.7 (Working Group "
        "on the Smuggling of Migrants) only"
    ) in message


def test_a_report_of_another_body_is_read_when_its_symbols_are_tracked():
    data = to_docx(trafficking_report(), TRAFFICKING)

    report = parse_report(
        data, filename="r.docx", tracked_prefixes=["CTOC/COP/WG.7", "CTOC/COP/WG.4"]
    )

    assert report.body == "Working Group on Trafficking in Persons"
    assert report.symbol == "CTOC/COP/WG.4/2031/6"
    assert [item.label for item in report.recommendations] == [
        row["label"] for row in numbered_expected()
    ]


def test_without_a_symbol_the_name_on_the_first_page_decides():
    with pytest.raises(ReportParseError) as error:
        parse_report_text("\n\n".join(trafficking_report()))
    assert "names itself a report of the Working Group on Trafficking in Persons" in str(
        error.value
    )
    assert error.value.where == "line 9"


def test_a_symbol_of_an_unknown_series_is_named_by_its_series():
    layout = Layout(symbol="CTOC/COP/WG.6/2031/3", job="V.31-00978")
    paragraphs = [
        text.replace("Working Group on the Smuggling of Migrants", "Working Group")
        for text in NUMBERED_REPORT
    ]
    with pytest.raises(ReportParseError, match=r"the body whose documents are numbered "):
        parse_report(to_docx(paragraphs, layout), filename="r.docx")


def test_the_working_groups_own_report_without_symbol_or_name_is_read_with_a_warning():
    paragraphs = [text for text in NUMBERED_REPORT if "Working Group on the Smuggling" not in text]
    report = parse_report_text("\n\n".join(paragraphs))
    assert report.recommendations
    assert any("found neither a document symbol" in w.message for w in report.warnings)
