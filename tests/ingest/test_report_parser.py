"""The report parser reads WGSOM meeting reports exactly, and refuses what it cannot read.

Pure tests: no database. The oracle for the recommendations is the hand-written table in
expected_recommendations.yaml; for the agenda, attendance and statements it is
data/meeting_07_2020.yaml and data/meeting_05_2018.yaml, written by hand from the same documents.
"""

from __future__ import annotations

import datetime
import io

import pytest
import yaml

from ingest.report_parser import (
    ParsedReport,
    ReportParseError,
    parse_report,
    parse_report_file,
    parse_report_text,
)
from ingest.report_parser.extract import split_listing

from .documents import (
    LAYOUT_2018,
    LAYOUT_2020,
    REPORT_2018,
    REPORT_2020,
    ROOT,
    as_rows,
    expected_recommendations,
    require_font,
    source_paragraphs,
    to_docx,
    to_pdf,
)

DATA = ROOT / "data"


@pytest.fixture(scope="module")
def report_2020() -> ParsedReport:
    return parse_report_file(REPORT_2020)


@pytest.fixture(scope="module")
def report_2018() -> ParsedReport:
    return parse_report_file(REPORT_2018)


def meeting_file(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def group_names() -> dict[str, str]:
    groups = yaml.safe_load((DATA / "regional_groups.yaml").read_text(encoding="utf-8"))
    return {group["slug"]: group["name"] for group in groups}


def statements_as_in_yaml(report: ParsedReport) -> list[dict]:
    slugs = {name: slug for slug, name in group_names().items()}
    rows = []
    for statement in report.statements:
        row = {"kind": statement.kind, "agenda_items": statement.agenda_items}
        for key in ("state", "organization", "speaker", "speaker_title"):
            if getattr(statement, key):
                row[key] = getattr(statement, key)
        if statement.on_behalf_of:
            row["on_behalf_of"] = slugs[statement.on_behalf_of]
        rows.append(row)
    return rows


# --- the two reports, from their text files -------------------------------------------------


def test_the_22_recommendations_of_2020_are_read_exactly(report_2020):
    assert as_rows(report_2020.recommendations) == expected_recommendations("2020")


def test_the_16_recommendations_of_the_2018_addendum_are_read_exactly_with_their_chapeau(
    report_2018,
):
    assert as_rows(report_2018.recommendations) == expected_recommendations("2018")
    assert {item.chapeau for item in report_2018.recommendations} == {
        "The Working Group recommended that the Conference of the Parties consider the "
        "following recommendations for adoption. States Parties should:"
    }


def test_recommendation_15_is_joined_across_its_page_break(report_2020):
    (fifteen,) = [item for item in report_2020.recommendations if item.label == "15"]
    assert "routinely evaluate such efforts to ensure their effectiveness" in fifteen.text


def test_typographic_quotes_are_kept_verbatim(report_2020):
    (thirteen,) = [item for item in report_2020.recommendations if item.label == "13"]
    assert "\u201chotspots\u201d" in thirteen.text


def test_the_2020_meeting_is_the_seventh_hybrid_in_vienna_chaired_by_italy(report_2020):
    meeting = report_2020.meeting
    assert meeting.ordinal == 7
    assert (meeting.start_date, meeting.end_date) == (
        datetime.date(2020, 9, 8),
        datetime.date(2020, 9, 9),
    )
    assert (meeting.venue, meeting.format) == ("Vienna", "hybrid")
    assert (meeting.chair, meeting.chair_state) == ("Francesco Testa", "Italy")
    assert report_2020.status == "adopted"


def test_the_2018_addendum_gives_dates_and_venue_but_not_its_meetings_number(report_2018):
    meeting = report_2018.meeting
    assert meeting.ordinal is None
    assert (meeting.start_date, meeting.end_date, meeting.venue) == (
        datetime.date(2018, 7, 4),
        datetime.date(2018, 7, 5),
        "Vienna",
    )
    assert (meeting.format, meeting.chair) == ("unknown", "")
    assert report_2018.status == "draft"


@pytest.mark.parametrize(
    ("fixture", "name"),
    [("report_2020", "meeting_07_2020.yaml"), ("report_2018", "meeting_05_2018.yaml")],
)
def test_title_and_distribution_date_are_those_of_the_meeting_file(fixture, name, request):
    report = request.getfixturevalue(fixture)
    written = meeting_file(name)["report"]
    assert report.title == written["title"]
    assert report.distributed == written["distributed"]


@pytest.mark.parametrize(
    ("fixture", "name"),
    [("report_2020", "meeting_07_2020.yaml"), ("report_2018", "meeting_05_2018.yaml")],
)
def test_agenda_attendance_and_statements_are_those_written_by_hand(fixture, name, request):
    report = request.getfixturevalue(fixture)
    written = meeting_file(name)
    assert [
        {"number": item.number, "sub_letter": item.sub_letter, "title": item.title}
        for item in report.agenda_items
    ] == written["agenda"]
    assert {k: v for k, v in report.attendance.items() if v} == (written.get("attendance") or {})
    # A statement recorded from its own document (`source`) is not the report's to find.
    from_report = [row for row in written["statements"] if "source" not in row]
    assert statements_as_in_yaml(report) == from_report


def test_each_2020_section_follows_the_agenda_item_whose_title_it_repeats(report_2020):
    sections = {(item.section, item.agenda_item) for item in report_2020.recommendations}
    assert sections == {("A", "2"), ("B", "3")}


def test_sections_that_name_no_agenda_item_are_reported(report_2018):
    assert all(item.agenda_item is None for item in report_2018.recommendations)
    assert [w.message.split(" (")[0] for w in report_2018.warnings] == ["section A", "section B"]


def test_the_json_shape_round_trips(report_2020):
    data = report_2020.to_dict()
    assert set(data) == {
        "document",
        "meeting",
        "agenda_items",
        "recommendations",
        "attendance",
        "statements",
        "warnings",
    }
    assert data["recommendations"][12]["label"] == "13"
    assert {"label", "section", "agenda_item", "text"} <= set(data["recommendations"][12])
    assert ParsedReport.from_dict(data).to_dict() == data


def test_a_malformed_json_shape_is_refused():
    with pytest.raises(ReportParseError, match="malformed"):
        ParsedReport.from_dict({"document": {}})


# --- the two reports, as Word and PDF files with page headers and footers ---------------------


@pytest.mark.parametrize(
    ("path", "layout", "year"),
    [(REPORT_2020, LAYOUT_2020, "2020"), (REPORT_2018, LAYOUT_2018, "2018")],
)
@pytest.mark.parametrize("per_page", [5, 12])
def test_a_word_version_with_headers_footers_and_page_breaks_reads_the_same(
    path, layout, year, per_page
):
    paragraphs = source_paragraphs(path)
    report = parse_report(to_docx(paragraphs, layout, per_page=per_page), filename="r.docx")
    text = parse_report_file(path)
    assert report.source_format == "docx" and report.pages > 2
    assert as_rows(report.recommendations) == expected_recommendations(year)
    assert (report.title, report.distributed, report.meeting) == (
        text.title,
        text.distributed,
        text.meeting,
    )
    assert (report.agenda_items, report.attendance, report.statements) == (
        text.agenda_items,
        text.attendance,
        text.statements,
    )


@pytest.mark.parametrize(
    ("path", "layout", "year"),
    [(REPORT_2020, LAYOUT_2020, "2020"), (REPORT_2018, LAYOUT_2018, "2018")],
)
@pytest.mark.parametrize("font_size", [9, 12])
def test_a_pdf_version_with_headers_footers_and_page_breaks_reads_the_same(
    path, layout, year, font_size
):
    require_font()
    paragraphs = source_paragraphs(path)
    report = parse_report(to_pdf(paragraphs, layout, font_size=font_size), filename="r.pdf")
    text = parse_report_file(path)
    assert report.source_format == "pdf" and report.pages >= 2
    assert as_rows(report.recommendations) == expected_recommendations(year)
    assert (report.title, report.distributed, report.meeting) == (
        text.title,
        text.distributed,
        text.meeting,
    )
    assert (report.agenda_items, report.attendance, report.statements) == (
        text.agenda_items,
        text.attendance,
        text.statements,
    )


def test_words_docx_automatic_paragraph_numbering_is_read():
    import docx

    document = docx.Document()
    document.add_paragraph("II. Recommendations")
    document.add_paragraph("A. Recommendations on cooperation")
    document.add_paragraph(
        "The Working Group recommended the following. States Parties should:",
        style="List Number",
    )
    document.add_paragraph("(a) Cooperate with each other;")
    document.add_paragraph("(b) Share information.")
    out = io.BytesIO()
    document.save(out)

    report = parse_report(out.getvalue(), filename="numbered.docx")

    assert [item.label for item in report.recommendations] == ["1 (a)", "1 (b)"]


# --- what real files contain ------------------------------------------------------------------

MINIMAL = """\
Distr.: General
1 March 2031

Original: English

Report on the meeting of the Working Group on the Smuggling of Migrants held in
Vienna on 3 and 4 February 2031

I. Recommendations

A. Recommendations on smuggling by sea

Recommendation 1

States parties should cooperate on smuggling by sea.

Recommendation 2

States parties should share information about routes.

II. Organization of the meeting

1. The tenth meeting of the Working Group on the Smuggling of Migrants was held in Vienna
on 3 and 4 February 2031.

2. At its 1st meeting, the Working Group adopted the following agenda:
 1. Smuggling by sea.
 2. Other matters.
"""


def test_a_minimal_report_is_read():
    report = parse_report_text(MINIMAL)
    assert [item.label for item in report.recommendations] == ["1", "2"]
    assert report.meeting.ordinal == 10
    assert report.title.endswith("held in Vienna on 3 and 4 February 2031")
    assert report.distributed == datetime.date(2031, 3, 1)
    assert [(item.label, item.title) for item in report.agenda_items] == [
        ("1", "Smuggling by sea"),
        ("2", "Other matters"),
    ]
    assert report.recommendations[0].agenda_item == "1"
    assert report.warnings == []


def test_page_footers_and_headers_in_the_middle_of_a_recommendation_are_removed():
    text = MINIMAL.replace(
        "cooperate on smuggling by sea.",
        "cooperate on\n\nV.31-01234 2/5\n\n\fCTOC/COP/WG.7/2031/4\n\nsmuggling by sea.",
    )
    report = parse_report_text(text)
    assert report.recommendations[0].text == "States parties should cooperate on smuggling by sea."
    assert report.pages == 2


@pytest.mark.parametrize(
    "footer",
    [
        "V.31-01234 2/5",
        "2/5 V.31-01234",
        "V.31-01234 (E) 240920 250920",
        "*3101234*",
        "Page 2 of 5",
    ],
)
def test_each_kind_of_page_footer_is_removed(footer):
    text = MINIMAL.replace("cooperate on smuggling", f"cooperate on\n{footer}\nsmuggling")
    assert (
        parse_report_text(text).recommendations[0].text.endswith("cooperate on smuggling by sea.")
    )


def test_a_list_broken_across_pages_keeps_its_items():
    text = (DATA / "sources" / REPORT_2018.name).read_text(encoding="utf-8")
    broken = text.replace(
        "(b) Respond to the transnational criminal networks involved",
        "(b) Respond to the transnational\n\nV.18-04512 1/3\n\fCTOC/COP/WG.7/2018/L.1/Add.1\n\n"
        "- criminal networks involved",
    )
    report = parse_report_text(broken)
    assert as_rows(report.recommendations) == expected_recommendations("2018")


def test_a_word_hyphenated_at_a_line_end_is_joined_when_the_report_uses_the_whole_word():
    text = MINIMAL.replace("share information about routes.", "share informa-\ntion about routes.")
    report = parse_report_text(text.replace("smuggling by sea.", "smuggling by sea information."))
    assert report.recommendations[1].text == "States parties should share information about routes."


def test_a_compound_broken_after_its_hyphen_keeps_the_hyphen():
    text = MINIMAL.replace(
        "share information about routes.",
        "share awareness-raising material and awareness-\nraising campaigns.",
    )
    report = parse_report_text(text)
    assert report.recommendations[1].text.endswith(
        "awareness-raising material and awareness-raising campaigns."
    )


def test_an_unknown_word_hyphenated_at_a_line_end_keeps_the_hyphen_with_a_warning():
    text = MINIMAL.replace("share information", "share well-\nplanned information")
    report = parse_report_text(text)
    assert "well-planned information" in report.recommendations[1].text
    assert any("well-planned" in warning.message for warning in report.warnings)


def test_a_soft_hyphen_always_joins():
    text = MINIMAL.replace("share information", "share infor\u00ad\nmation")
    assert "share information about" in parse_report_text(text).recommendations[1].text


def test_footnotes_and_their_markers_are_left_out_with_a_warning():
    text = MINIMAL.replace(
        "cooperate on smuggling by sea.",
        "cooperate on smuggling by sea.1\n\n1 See resolution 5/3 of the Conference.",
    ).replace("II. Organization", "\fII. Organization")
    report = parse_report_text(text)
    assert report.recommendations[0].text == "States parties should cooperate on smuggling by sea."
    assert any("footnote" in warning.message for warning in report.warnings)


def test_superscript_and_markdown_footnote_markers_are_dropped():
    text = MINIMAL.replace("smuggling by sea.", "smuggling by sea.\u00b2").replace(
        "about routes.", "about routes.[^3]"
    )
    report = parse_report_text(text)
    assert report.recommendations[0].text.endswith("by sea.")
    assert report.recommendations[1].text.endswith("about routes.")


def test_a_gap_in_the_recommendation_numbering_is_a_warning():
    report = parse_report_text(MINIMAL.replace("Recommendation 2", "Recommendation 4"))
    assert [item.label for item in report.recommendations] == ["1", "4"]
    (warning,) = report.warnings
    assert "jumps from 1 to 4" in warning.message and "2-3" in warning.message


def test_a_gap_in_the_paragraph_numbering_is_a_warning(report_2020):
    text = REPORT_2020.read_text(encoding="utf-8")
    report = parse_report_text(text.replace("\n20. General introductory", "\n21. General intro"))
    assert any("paragraph numbering jumps to 21" in w.message for w in report.warnings)
    assert report.statements == report_2020.statements


def test_a_gap_in_lettered_items_is_a_warning():
    text = REPORT_2018.read_text(encoding="utf-8").replace("(c) Encourage regional", "(d) Enc")
    text = text.replace("(d) Consider deploying", "(e) Consider deploying")
    text = text.replace("(e) Establish", "(f) Establish").replace("(f) Provide the", "(g) Pro")
    text = text.replace("(g) Strengthen", "(h) Strengthen").replace(
        "(h) Provide bilateral", "(i) P"
    )
    text = text.replace("(i) Review domestic", "(j) Review domestic")
    report = parse_report_text(text)
    labels = [item.label for item in report.recommendations]
    assert labels[:3] == ["1 (a)", "1 (b)", "1 (d)"] and len(labels) == 16
    assert any("(c) missing" in warning.message for warning in report.warnings)


def test_names_with_and_are_not_split():
    names = {"trinidad and tobago": "Trinidad and Tobago"}
    assert split_listing("Peru, Trinidad and Tobago and Uruguay.", names) == [
        "Peru",
        "Trinidad and Tobago",
        "Uruguay",
    ]
    assert split_listing("Iran (Islamic Republic of), Israel and Jordan", {}) == [
        "Iran (Islamic Republic of)",
        "Israel",
        "Jordan",
    ]
    assert split_listing(
        "United Nations High Commissioner for Refugees and United Nations Office on Drugs and "
        "Crime",
        {},
    ) == [
        "United Nations High Commissioner for Refugees",
        "United Nations Office on Drugs and Crime",
    ]


# --- what it refuses ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "report.txt", "holds no text"),
        (b"   \n\n  ", "report.txt", "holds no text"),
        (b"\xff\xfe\x00r\x00e", "report.txt", "binary"),
        (b"Report \xe9t\xe9\n", "report.txt", "not UTF-8"),
        (b"Just a letter.\nRegards.\n", "letter.txt", "does not read as a meeting report"),
        (b"%PDF-1.4 garbage", "report.pdf", "PDF cannot be read"),
        (b"plain text", "report.pdf", "not a PDF"),
        (b"plain text", "report.docx", "not a Word"),
        (b"PK\x03\x04 broken zip", "report.docx", "Word file cannot be read"),
        (b"anything", "report.odt", "use .txt, .docx or .pdf"),
        (b"%PDF-1.4\n", "report.txt", "holds a pdf"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data, filename, message):
    with pytest.raises(ReportParseError, match=message):
        parse_report(data, filename=filename)


def test_a_pdf_without_a_text_layer_is_refused():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    with pytest.raises(ReportParseError, match="no text layer"):
        parse_report(bytes(pdf.output()), filename="scan.pdf")


def test_a_report_cut_mid_recommendation_is_refused_saying_where():
    text = REPORT_2020.read_text(encoding="utf-8")
    cut = text[: text.index("routinely evaluate") + len("routinely evaluate")]
    with pytest.raises(ReportParseError) as error:
        parse_report_text(cut)
    assert "looks truncated" in str(error.value)
    assert error.value.where.startswith("line ")


def test_a_report_cut_after_a_heading_is_refused():
    text = REPORT_2020.read_text(encoding="utf-8")
    with pytest.raises(ReportParseError, match="ends with the heading"):
        parse_report_text(text[: text.index("III. Chair's summary") + 30])


def test_a_chapeau_without_its_items_is_refused():
    text = REPORT_2018.read_text(encoding="utf-8")
    cut = text[: text.index("(a) Promote effective")].rstrip() + "\n"
    with pytest.raises(ReportParseError, match="announces a list"):
        parse_report_text(cut)


def test_a_repeated_recommendation_is_refused():
    text = MINIMAL.replace("Recommendation 2", "Recommendation 1")
    with pytest.raises(ReportParseError, match="repeated or out of order"):
        parse_report_text(text)


def test_an_error_is_one_line_naming_where():
    with pytest.raises(ReportParseError) as error:
        parse_report_text(MINIMAL.replace("about routes.", "about routes and"))
    assert "\n" not in str(error.value)
    assert str(error.value).startswith(error.value.where + ": ")
