"""The reference data in `data/` says exactly what its source documents say.

These tests read only files: the YAML and CSV files in `data/` and the copies of the source
documents in `data/sources/`. The 2020 and 2018 recommendations are not written down in `data/`:
they are read from the reports by the report parser (meetings/report_parser, pure Python), which
is how `load_wgsom` loads them, so these tests check what the parser gives against the sources.

Texts are compared with whitespace normalised (runs of whitespace collapse to one space) and
with the documents' page footers ("V.21-05340 3/11") removed, since a paragraph may run across a
page break.
"""

from __future__ import annotations

import csv
import datetime
import importlib.util
import itertools
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
import pytest
import yaml

from ingest.report_parser import parse_report_file

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SOURCES = DATA / "sources"
SHARED = Path("/work/shared")

US_STATEMENT = "000_a19248ae0da9794c.txt"
REPORT_2020 = "001_c1765e406b4dbe95.txt"
SECRETARIAT_2022 = "002_4fe3a7071ecd0876.txt"
COMPENDIUM = "003_2d83872979c672f4.txt"
DRAFT_REPORT_2018 = "004_26ecf3138e479f02.txt"
SEEDS = [US_STATEMENT, REPORT_2020, SECRETARIAT_2022, COMPENDIUM, DRAFT_REPORT_2018]
REFERENCE_FILES = [
    "un_regional_groups.csv",
    "protocol_status_partial_albania_to_france.csv",
    "protocol_deposits_subset_2001_2010.csv",
    "protocol_first_40_parties_2003.txt",
    "smuggling_protocol_participants.csv",
]

PAGE_FOOTER = re.compile(r"^[ \t]*V\.\d{2}-\d{5} \d+/\d+[ \t]*$", re.MULTILINE)
# After a page footer, a paragraph that runs on is sometimes marked as a new list item
# ("- on smuggling of migrants ..."): that bullet belongs to the page break, not to the text.
BULLET_AFTER_PAGE_BREAK = re.compile(r"(\S)\n\s*\n- (?=[a-z])")
LIST_MARKER = re.compile(r"^\s*(?:#+\s*)?(?:- )?(?:\d+\. )?")

ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}
ORDINAL_WORDS |= {7: "seventh"}
THEME_SLUGS = [
    "criminal-justice-responses",
    "impact-of-crises",
    "international-cooperation",
    "smuggling-by-air",
    "smuggling-by-sea",
    "interpretation-and-use-of-the-protocol-and-convention",
    "protection-of-smuggled-migrants",
    "prevention",
    "technology",
]


# --- reading the files --------------------------------------------------------------------


def normalised(text: str) -> str:
    return " ".join(text.split())


@cache
def raw(name: str) -> str:
    return (SOURCES / name).read_text(encoding="utf-8")


@cache
def source(name: str) -> str:
    """A source document without page footers, whitespace normalised."""
    text = PAGE_FOOTER.sub("", raw(name))
    return normalised(BULLET_AFTER_PAGE_BREAK.sub(r"\1\n", text))


@cache
def plain_compendium() -> str:
    """The compendium as running text: no headings marks, bold marks, bullets or numbers."""
    text = BULLET_AFTER_PAGE_BREAK.sub(r"\1\n", PAGE_FOOTER.sub("", raw(COMPENDIUM)))
    lines = [LIST_MARKER.sub("", line).replace("**", "") for line in text.splitlines()]
    return normalised("\n".join(lines))


@cache
def data(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def csv_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


@cache
def states() -> list[dict[str, str]]:
    return csv_rows(DATA / "states.csv")


def listing(names: list[str]) -> str:
    """Names as a report lists them: "A, B and C"."""
    return f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else names[0]


def paragraph(name: str, number: int) -> str:
    """Numbered paragraph `number` of a report, whitespace normalised."""
    text = source(name)
    start = text.index(f" {number}. ")
    end = text.find(f" {number + 1}. ", start)
    return text[start + 1 : end if end != -1 else None]


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


meeting_2020 = data("meeting_07_2020.yaml")
meeting_2018 = data("meeting_05_2018.yaml")
proposals = data("proposals_2020_united_states.yaml")


@cache
def parsed_recommendations(meeting_file: str) -> list[dict[str, Any]]:
    """The recommendations of the report a meeting file names, as `load_wgsom` reads them."""
    report = parse_report_file(DATA / data(meeting_file)["report"]["file"])
    return [
        {
            "label": item.label,
            "section": item.section,
            "section_title": item.section_title,
            "agenda_item": item.agenda_item,
            "chapeau": item.chapeau,
            "text": item.text,
        }
        for item in report.recommendations
    ]


recommendations_2020 = parsed_recommendations("meeting_07_2020.yaml")
recommendations_2018 = parsed_recommendations("meeting_05_2018.yaml")


def test_the_meeting_files_name_their_reports_in_the_sources():
    assert meeting_2020["report"]["file"] == f"sources/{REPORT_2020}"
    assert meeting_2018["report"]["file"] == f"sources/{DRAFT_REPORT_2018}"
    assert "recommendations" not in meeting_2020 and "recommendations" not in meeting_2018


# --- the copies of the sources ------------------------------------------------------------


@pytest.mark.skipif(not SHARED.exists(), reason="the shared source folder is not on this machine")
@pytest.mark.parametrize(
    ("copy", "original"),
    [(name, Path("seeds") / name) for name in SEEDS]
    + [(name, Path("data") / name) for name in REFERENCE_FILES]
    + [
        ("seeds-README.md", Path("seeds/README.md")),
        ("reference-data-README.md", Path("data/README.md")),
    ],
)
def test_the_repository_copy_of_each_source_is_byte_for_byte_the_original(copy, original):
    assert (SOURCES / copy).read_bytes() == (SHARED / original).read_bytes()


def test_every_source_document_and_reference_file_is_kept_in_the_repository():
    expected = {*SEEDS, *REFERENCE_FILES, "seeds-README.md", "reference-data-README.md"}
    assert {path.name for path in SOURCES.iterdir()} == expected


# --- meetings -----------------------------------------------------------------------------


def meeting_dates_phrases(start: datetime.date, end: datetime.date) -> list[str]:
    """The ways the documents write a meeting's dates."""
    if start.month == end.month:
        return [
            f"from {start.day} to {end.day} {end:%B %Y}",
            f"on {start.day} and {end.day} {end:%B %Y}",
            f"{start.day} and {end.day} {end:%B %Y}",
            f"{start.day}\N{EN DASH}{end.day} {end:%B %Y}",
        ]
    return [f"from {start.day} {start:%B} to {end.day} {end:%B %Y}"]


def test_there_are_nine_meetings_numbered_one_to_nine():
    assert [meeting["ordinal"] for meeting in data("meetings.yaml")] == list(range(1, 10))


def test_each_meetings_dates_are_written_in_a_source_document():
    where = {n: [REPORT_2020] for n in range(1, 8)} | {5: [REPORT_2020, DRAFT_REPORT_2018]}
    where |= {8: [COMPENDIUM]}
    for meeting in data("meetings.yaml"):
        if meeting["ordinal"] == 9:
            continue
        start, end = meeting["start_date"], meeting["end_date"]
        assert meeting["year"] == start.year == end.year
        phrases = meeting_dates_phrases(start, end)
        for name in where[meeting["ordinal"]]:
            assert any(phrase in source(name) for phrase in phrases), (meeting, name)


def test_the_ninth_meeting_has_its_year_but_no_dates_since_no_document_gives_them():
    ninth = data("meetings.yaml")[8]
    assert (ninth["year"], ninth["start_date"], ninth["end_date"]) == (2022, None, None)
    assert "9th session" in normalised(raw(SECRETARIAT_2022).replace("<sup>th</sup>", "th"))


def test_a_venue_is_recorded_only_where_a_document_states_it_for_that_meeting():
    venues = {meeting["ordinal"]: meeting["venue"] for meeting in data("meetings.yaml")}
    assert {n for n, venue in venues.items() if venue} == {5, 7, 8}
    assert set(venues.values()) == {"", "Vienna"}
    assert "Vienna, 4\N{EN DASH}5 July 2018" in source(DRAFT_REPORT_2018)
    assert "held in Vienna on 8 and 9 September 2020" in source(REPORT_2020)
    assert "Vienna, 14 and 15 October 2021" in source(COMPENDIUM)


def test_only_the_2020_meeting_has_a_format_and_a_chair():
    meetings = {meeting["ordinal"]: meeting for meeting in data("meetings.yaml")}
    assert {n: m["format"] for n, m in meetings.items() if m["format"] != "unknown"} == {
        7: "hybrid"
    }
    assert "the meeting was held in a hybrid format" in source(REPORT_2020)
    assert (meetings[7]["chair"], meetings[7]["chair_state"]) == ("Francesco Testa", "ITA")
    assert "opened by Francesco Testa (Italy), Chair of the Working Group" in source(REPORT_2020)
    assert not any(m["chair"] or m["chair_state"] for n, m in meetings.items() if n != 7)
    assert all(m["sources"] for m in meetings.values())


# --- the 2020 report ----------------------------------------------------------------------


def test_the_2020_report_title_and_distribution_date_are_the_reports():
    report = meeting_2020["report"]
    assert meeting_2020["meeting"] == 7
    assert normalised(report["title"]) in source(REPORT_2020)
    assert f"Distr.: General {long_date(report['distributed'])}" in source(REPORT_2020)


def test_the_2020_agenda_lists_the_adopted_items_in_order_with_their_verbatim_titles():
    agenda = meeting_2020["agenda"]
    assert [(item["number"], item["sub_letter"]) for item in agenda] == [
        (1, ""),
        (1, "a"),
        (1, "b"),
        (2, ""),
        (3, ""),
        (4, ""),
        (5, ""),
    ]
    adopted = paragraph(REPORT_2020, 26)
    for item in agenda:
        title = normalised(item["title"])
        assert not title.endswith((".", ";", ":"))
        if item["sub_letter"]:
            marker = f"({item['sub_letter']}) {title}"
        else:
            marker = f"{item['number']}. {title}"
        assert re.search(re.escape(marker) + r"[.;:]", adopted), marker


def test_the_2020_documents_other_than_background_papers_are_those_the_report_lists():
    documents = {doc["symbol"]: doc for doc in meeting_2020["documents"]}
    assert set(documents) == {"CTOC/COP/WG.7/2020/1", "CTOC/COP/WG.7/2020/INF/1/Rev.1"}
    agenda = documents["CTOC/COP/WG.7/2020/1"]
    assert agenda["kind"] == "provisional_agenda"
    assert f"(a) {agenda['title']} ([CTOC/COP/WG.7/2020/1](#))" in source(REPORT_2020)
    participants = documents["CTOC/COP/WG.7/2020/INF/1/Rev.1"]
    assert participants["kind"] == "list_of_participants"
    assert (
        f"A {participants['title'].lower()} is contained in document "
        "[CTOC/COP/WG.7/2020/INF/1/Rev.1](#)"
    ) in source(REPORT_2020)


ATTENDANCE_PARAGRAPHS = {
    "party": 27,
    "signatory_observer": 28,
    "non_party_observer": 29,
    "organization_observer": 30,
}


def test_2020_attendance_has_the_counts_the_report_gives():
    attendance = meeting_2020["attendance"]
    assert {capacity: len(names) for capacity, names in attendance.items()} == {
        "party": 74,
        "signatory_observer": 2,
        "non_party_observer": 14,
        "organization_observer": 12,
        "other_entity_observer": 1,
    }
    assert "European Union" in attendance["party"]


@pytest.mark.parametrize(("capacity", "number"), ATTENDANCE_PARAGRAPHS.items())
def test_2020_attendance_lists_every_name_as_written_in_the_reports_order(capacity, number):
    names = meeting_2020["attendance"][capacity]
    assert f": {listing(names)}." in paragraph(REPORT_2020, number)


def test_the_sovereign_order_of_malta_attended_as_an_entity_with_an_observer_office():
    assert meeting_2020["attendance"]["other_entity_observer"] == ["Sovereign Order of Malta"]
    assert "The Sovereign Order of Malta, an entity maintaining a permanent observer office" in (
        paragraph(REPORT_2020, 31)
    )


def test_every_2020_organization_is_named_once_with_its_kind():
    attendance = meeting_2020["attendance"]
    kinds = {org["name"]: org["kind"] for org in meeting_2020["organizations"]}
    assert len(kinds) == len(meeting_2020["organizations"]) == 13
    assert list(kinds) == attendance["organization_observer"] + ["Sovereign Order of Malta"]
    assert {name for name, kind in kinds.items() if kind == "un_entity"} == {
        "Counter-Terrorism Committee Executive Directorate",
        "Department of Peace Operations",
        "United Nations Children's Fund",
        "United Nations High Commissioner for Refugees",
        "United Nations Office on Drugs and Crime",
    }
    assert kinds["Sovereign Order of Malta"] == "other_entity"
    assert set(kinds.values()) == {"un_entity", "intergovernmental", "other_entity"}


def statements_of(kind: str) -> list[dict[str, Any]]:
    """The 2020 statements of `kind` that the report lists (not those recorded from a
    statement's own document, which name it as `source`)."""
    return [
        row for row in meeting_2020["statements"] if row["kind"] == kind and "source" not in row
    ]


def test_2020_statements_follow_the_reports_order_panel_secretariat_parties_observers():
    kinds = [row["kind"] for row in meeting_2020["statements"] if "source" not in row]
    assert kinds == ["panel"] * 5 + ["secretariat"] + ["national"] * 8 + ["observer"] * 5


def test_the_united_states_opening_statement_of_2020_is_recorded_from_its_own_document():
    (statement,) = [row for row in meeting_2020["statements"] if "source" in row]
    assert statement == {
        "kind": "national",
        "agenda_items": ["2", "3"],
        "state": "United States of America",
        "source": "000_a19248ae0da9794c.txt",
    }
    # After the report's statements, so that theirs keep their order.
    assert meeting_2020["statements"][-1] == statement
    text = source(statement["source"])
    assert "U.S. Opening Statement - 2020" in text
    # It speaks to two topics, in the words of the titles of agenda items 2 and 3.
    assert (
        "The United States welcomes this opportunity to participate in the discussion of these "
        "two important topics"
    ) in text
    titles = {item["number"]: item["title"] for item in meeting_2020["agenda"]}
    item_2 = "on trends in organized criminal groups and on routes for the smuggling of migrants"
    assert item_2 in titles[2]
    assert item_2 in text
    item_3 = "concerning the use of technology"
    assert f"Successful strategies {item_3}" in titles[3]
    assert f"successful strategies {item_3} to prevent and investigate" in text


def test_each_2020_panellist_is_named_with_the_position_state_and_group_the_report_gives():
    groups = {group["slug"]: group["name"] for group in data("regional_groups.yaml")}
    text = source(REPORT_2020)
    panel = statements_of("panel")
    assert [row["agenda_items"] for row in panel] == [["2"]] * 3 + [["3"]] * 2
    for row in panel:
        start = text.index(f"{row['speaker']}, {row['speaker_title']}")
        sentence = text[start : text.index(".", start + len(row["speaker_title"]))]
        assert f", {row['state']}," in sentence or f" of {row['state']}," in sentence
        assert sentence.endswith(f"on behalf of the Group of {groups[row['on_behalf_of']]}")
    assert "Group of African States" in text


def test_the_secretariat_spoke_under_agenda_items_2_and_3():
    assert statements_of("secretariat") == [{"kind": "secretariat", "agenda_items": ["2", "3"]}]
    assert (
        "General introductory statements were made by a representative of the Secretariat under "
        "agenda items 2 and 3."
    ) in source(REPORT_2020)


def test_each_party_and_observer_that_spoke_in_2020_is_listed_as_the_report_names_it():
    national = [row["state"] for row in statements_of("national")]
    assert "Under agenda items 2 and 3, statements were made by representatives of the " in (
        paragraph(REPORT_2020, 23)
    )
    assert paragraph(REPORT_2020, 23).endswith(f": {listing(national)}.")
    observers = [row["state"] for row in statements_of("observer") if "state" in row]
    assert paragraph(REPORT_2020, 24) == (
        f"24. The observers for {listing(observers)} also made statements."
    )
    (organization,) = [row for row in statements_of("observer") if "organization" in row]
    assert (
        "25. The Working Group also heard a statement by the observer for the "
        f"{organization['organization']}."
    ) in source(REPORT_2020)
    for row in statements_of("national") + statements_of("observer"):
        assert row["agenda_items"] == ["2", "3"]


def test_there_are_22_adopted_2020_recommendations_labelled_1_to_22():
    assert meeting_2020["recommendation_status"] == "adopted"
    labels = [row["label"] for row in recommendations_2020]
    assert labels == [str(n) for n in range(1, 23)]


def test_each_adopted_2020_recommendation_is_verbatim_under_its_number():
    text = source(REPORT_2020)
    rows = recommendations_2020
    for row, following in zip(rows, [*rows[1:], None], strict=True):
        if following is None:
            after = "III. Chair's summary"
        elif following["section"] != row["section"]:
            after = f"{following['section']}. {following['section_title']}"
        else:
            after = f"Recommendation {following['label']}"
        expected = f"Recommendation {row['label']} {normalised(row['text'])} {after}"
        assert expected in text, row["label"]


def test_recommendation_15_is_joined_across_its_page_break_with_one_space():
    (row,) = [row for row in recommendations_2020 if row["label"] == "15"]
    assert "routinely evaluate such efforts to ensure their effectiveness" in row["text"]


def test_2020_sections_carry_their_verbatim_headings_and_agenda_items():
    text = source(REPORT_2020)
    rows = recommendations_2020
    assert [row["section"] for row in rows] == ["A"] * 7 + ["B"] * 15
    assert {row["agenda_item"] for row in rows if row["section"] == "A"} == {"2"}
    assert {row["agenda_item"] for row in rows if row["section"] == "B"} == {"3"}
    for first in (rows[0], rows[7]):
        heading = f"{first['section']}. {first['section_title']} Recommendation {first['label']}"
        assert heading in text
    assert len({row["section_title"] for row in rows if row["section"] == "A"}) == 1
    assert len({row["section_title"] for row in rows if row["section"] == "B"}) == 1


# --- the 2018 draft report addendum -------------------------------------------------------


DRAFT_LABELS = [f"1 ({letter})" for letter in "abcdefghi"] + [
    f"2 ({letter})" for letter in "abcdefg"
]


def test_the_2018_addendum_title_and_distribution_date_are_the_documents():
    report = meeting_2018["report"]
    assert meeting_2018["meeting"] == 5
    assert normalised(report["title"].replace(". ", " ")) in source(DRAFT_REPORT_2018)
    assert f"Distr.: Limited {long_date(report['distributed'])}" in source(DRAFT_REPORT_2018)


def test_there_are_16_draft_2018_recommendations_labelled_1_a_to_2_g():
    assert meeting_2018["recommendation_status"] == "draft"
    assert [row["label"] for row in recommendations_2018] == DRAFT_LABELS


def test_each_draft_2018_recommendation_is_verbatim_under_its_letter_and_chapeau():
    text = source(DRAFT_REPORT_2018)
    rows = recommendations_2018
    for row, following in zip(rows, [*rows[1:], None], strict=True):
        number, letter = row["label"].split(" ")
        item = f"{letter} {normalised(row['text'])}"
        assert item in text, row["label"]
        assert not row["text"].startswith("(")
        assert row["text"].endswith((";", "."))
        if following is not None and following["label"].startswith(number):
            assert f"{item} {following['label'].split(' ')[1]}" in text
        assert row["agenda_item"] is None


def test_each_2018_section_heading_and_chapeau_is_verbatim():
    text = source(DRAFT_REPORT_2018)
    chapeau = (
        "The Working Group recommended that the Conference of the Parties consider the following "
        "recommendations for adoption. States Parties should:"
    )
    for row in recommendations_2018:
        number = row["label"].split(" ")[0]
        assert row["section"] == {"1": "A", "2": "B"}[number]
        assert row["chapeau"] == chapeau
        assert f"{row['section']}. {row['section_title']} {number}. {row['chapeau']} (a)" in text


def test_fourteen_states_made_statements_in_2018_as_the_addendum_lists_them():
    statements = meeting_2018["statements"]
    assert len(statements) == 14
    assert {row["kind"] for row in statements} == {"national"}
    assert all(row["agenda_items"] == ["2", "3"] for row in statements)
    names = ", ".join(row["state"] for row in statements)
    assert paragraph(DRAFT_REPORT_2018, 10).endswith(f"Smuggling of Migrants Protocol: {names}.")


def test_the_2018_agenda_items_carry_no_titles_since_the_addendum_gives_none():
    assert meeting_2018["agenda"] == [
        {"number": 2, "sub_letter": "", "title": ""},
        {"number": 3, "sub_letter": "", "title": ""},
    ]


# --- the United States proposals ----------------------------------------------------------


def test_the_united_states_proposed_nine_recommendations_labelled_1_to_9():
    assert (proposals["meeting"], proposals["proposer"]) == (7, "USA")
    assert [row["label"] for row in proposals["proposals"]] == [str(n) for n in range(1, 10)]


def test_each_united_states_proposal_is_verbatim_without_its_list_marker():
    for row in proposals["proposals"]:
        assert f"- {row['label']}) {normalised(row['text'])}" in source(US_STATEMENT)


def test_only_proposal_9_is_linked_to_the_adopted_recommendation_it_became():
    adopted = {row["label"]: row["text"] for row in recommendations_2020}
    links = {row["label"]: row["adopted_as"] for row in proposals["proposals"]}
    assert links == {**{str(n): None for n in range(1, 9)}, "9": "13"}
    assert adopted["13"].startswith("In the context of a pandemic, States parties should share")


# --- themes and background papers ---------------------------------------------------------


@cache
def theme_sections() -> list[tuple[str, int, str]]:
    """(heading, line index, key topics line) for each theme section of the compendium."""
    lines = raw(COMPENDIUM).splitlines()
    headings = [
        (index, line.strip("# ").strip("*"))
        for index, line in enumerate(lines)
        if line.startswith("#")
    ]
    sections = []
    for (index, name), (_, following) in itertools.pairwise(headings):
        if following == "Key topics" and name != "Key topics":
            topics = next(
                line for line in lines[index + 2 :] if line.strip() and not line.startswith("#")
            )
            sections.append((name, index, topics.strip()))
    return sections


def test_there_are_nine_themes_in_the_compendiums_order():
    themes = data("themes.yaml")
    assert [theme["slug"] for theme in themes] == THEME_SLUGS
    assert [theme["order"] for theme in themes] == list(range(1, 10))
    assert [theme["name"] for theme in themes] == [name for name, _, _ in theme_sections()]


def test_each_themes_key_topics_are_its_key_topics_paragraph_split_on_semicolons():
    for theme, (_, _, topics) in zip(data("themes.yaml"), theme_sections(), strict=True):
        assert "; ".join(theme["key_topics"]) + "." == topics
        for topic in theme["key_topics"]:
            assert topic == topic.strip() and topic in source(COMPENDIUM)


def test_there_are_seventeen_background_papers_with_unique_symbols():
    papers = data("background_papers.yaml")
    assert len(papers) == 17
    assert len({paper["symbol"] for paper in papers}) == 17
    assert [paper["symbol"] for paper in papers] == re.findall(
        r"\((CTOC/COP/WG\.7/\d{4}/\d+)\)\.", source(COMPENDIUM)
    )


def test_each_background_paper_is_filed_under_the_theme_whose_section_lists_it():
    lines = raw(COMPENDIUM).splitlines()
    sections = theme_sections()
    for paper in data("background_papers.yaml"):
        line = next(i for i, text in enumerate(lines) if f"({paper['symbol']})" in text)
        position = max(n for n, (_, start, _) in enumerate(sections) if start < line)
        assert paper["theme"] == THEME_SLUGS[position], paper["symbol"]


def test_each_background_papers_meeting_and_year_are_those_its_introduction_gives():
    years = {meeting["ordinal"]: meeting["year"] for meeting in data("meetings.yaml")}
    text = plain_compendium()
    for paper in data("background_papers.yaml"):
        end = text.index(f"({paper['symbol']}).")
        start = max(text.rfind("In 20", 0, end), text.rfind("Also in 20", 0, end))
        introduction = text[start:end]
        word = ORDINAL_WORDS[paper["meeting"]]
        assert re.match(rf"(Also in|In) {paper['year']}, for the {word} meeting", introduction)
        assert years[paper["meeting"]] == paper["year"]


def test_background_paper_titles_are_the_secretariats_own_words():
    text = plain_compendium()
    prefix = "Background paper prepared by the Secretariat on "
    for paper in data("background_papers.yaml"):
        assert paper["title"].startswith(prefix)
        if paper["meeting"] == 7:
            # The 2020 papers keep the title the 2020 report lists them under (paragraph 33).
            assert f"{paper['title']} ([{paper['symbol']}](#))" in source(REPORT_2020)
        else:
            words = paper["title"].removeprefix(prefix)
            assert f"to inform the Group's discussion on {words} ({paper['symbol']})." in text, (
                paper["symbol"]
            )


def test_each_background_paper_summary_is_the_compendiums_paragraphs_up_to_the_next_paper():
    text = plain_compendium()
    themes = [name for name, _, _ in theme_sections()]
    for paper in data("background_papers.yaml"):
        summary = normalised(paper["summary"])
        opening = f"({paper['symbol']}). {summary}"
        assert opening in text, paper["symbol"]
        after = text[text.index(opening) + len(opening) :].lstrip()
        assert (
            after == ""
            or re.match(r"(Also in|In) 20\d\d, for the", after)
            or any(after.startswith(f"{name} Key topics") for name in themes)
        ), paper["symbol"]


def test_background_paper_summaries_keep_paragraphs_apart_and_drop_numbers_and_footers():
    for paper in data("background_papers.yaml"):
        paragraphs = paper["summary"].split("\n\n")
        for text in paragraphs:
            assert text == normalised(text) and text
            assert not re.match(r"(- |\d+\. )", text)
            assert "V.21-05340" not in text
            assert text in source(COMPENDIUM), text[:60]


# --- States -------------------------------------------------------------------------------


def test_states_csv_has_every_un_member_state_both_observer_states_and_the_eu():
    members = csv_rows(SOURCES / "un_regional_groups.csv")
    rows = states()
    assert len(rows) == 196
    assert [(row["code"], row["name"]) for row in rows if row["kind"] == "member_state"] == [
        (member["iso3"], member["country"]) for member in members
    ]
    assert [(row["code"], row["name"], row["kind"]) for row in rows[193:]] == [
        ("VAT", "Holy See", "observer_state"),
        ("PSE", "State of Palestine", "observer_state"),
        ("EU", "European Union", "regional_organization"),
    ]


def test_every_state_code_is_an_iso_3166_alpha_3_code_except_the_eus():
    for row in states():
        if row["code"] != "EU":
            assert pycountry.countries.get(alpha_3=row["code"]) is not None, row["code"]


def test_regional_groups_are_the_five_un_groups_with_their_names_as_the_roster_spells_them():
    groups = data("regional_groups.yaml")
    assert [(group["slug"], group["name"], group["abbreviation"]) for group in groups] == [
        ("african-states", "African States", "AS"),
        ("asia-pacific-states", "Asia-Pacific States", "APS"),
        ("eastern-european-states", "Eastern European States", "EES"),
        ("latin-american-and-caribbean-states", "Latin American and Caribbean States", "GRULAC"),
        ("western-european-and-other-states", "Western European and other States", "WEOG"),
    ]
    roster = {
        member["official_listed_groups"] for member in csv_rows(SOURCES / "un_regional_groups.csv")
    }
    assert {group["name"] for group in groups} < roster


def test_each_member_states_regional_group_is_its_official_group_with_the_rosters_note():
    slugs = {group["name"]: group["slug"] for group in data("regional_groups.yaml")}
    members = {row["iso3"]: row for row in csv_rows(SOURCES / "un_regional_groups.csv")}
    for row in states():
        if row["kind"] != "member_state":
            assert row["regional_group"] == row["regional_group_note"] == ""
            continue
        member = members[row["code"]]
        listed = member["official_listed_groups"].split(";")
        expected = member["analytical_group"] if len(listed) > 1 else listed[0]
        assert row["regional_group"] == slugs[expected], row["code"]
        if member["assignment_note"] == "Single formal group in the current DGACM roster.":
            assert row["regional_group_note"] == ""
        else:
            assert row["regional_group_note"]
            assert member["assignment_note"].startswith(row["regional_group_note"])
    turkiye = next(row for row in states() if row["code"] == "TUR")
    assert turkiye["regional_group"] == "western-european-and-other-states"


def test_states_csv_says_who_the_states_are_and_leaves_their_status_to_the_table():
    assert list(states()[0]) == ["code", "name", "kind", "regional_group", "regional_group_note"]


def test_states_csv_is_exactly_what_build_states_derives_from_the_sources(monkeypatch):
    spec = importlib.util.spec_from_file_location("build_states", DATA / "build_states.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "build_states", module)  # dataclasses look it up there
    spec.loader.exec_module(module)
    assert module.build() == states()


@cache
def participants() -> dict[str, dict[str, str]]:
    """The participants table by the code states.csv uses (the table codes the EU "EUU")."""
    rows = csv_rows(SOURCES / "smuggling_protocol_participants.csv")
    return {("EU" if row["iso3"] == "EUU" else row["iso3"]): row for row in rows}


def test_the_participants_table_has_one_row_for_each_state():
    rows = csv_rows(SOURCES / "smuggling_protocol_participants.csv")
    assert len(rows) == 196
    assert set(participants()) == {row["code"] for row in states()}


def test_the_participants_table_gives_the_counts_its_readme_states():
    rows = list(participants().values())
    statuses = Counter(row["status"] for row in rows)
    assert statuses == {"party": 148, "unknown": 48}
    # 112 signatures, as the depositary counts signatories.
    assert sum(1 for row in rows if row["signature_date"]) == 112
    # 40 parties when the Protocol reached its threshold, 138 on 28 January 2014 (UNIS).
    deposits = sorted(row["consent_date"] for row in rows if row["consent_date"])
    assert sum(1 for day in deposits if day <= "2003-10-30") == 40
    assert sum(1 for day in deposits if day <= "2014-01-28") == 138
    # Two parties have no date; two deposited after the depositary's count of 26 April 2024.
    assert sum(1 for row in rows if row["status"] == "party" and not row["consent_date"]) == 2
    assert [day for day in deposits if day > "2024-04-26"] == ["2025-03-25", "2025-04-09"]


def test_only_a_party_has_consented_and_every_row_names_its_sources():
    for code, row in participants().items():
        assert row["status"] in {"party", "signatory", "not_party", "unknown"}, code
        assert row["consent_kind"] in {
            "",
            "ratification",
            "accession",
            "acceptance",
            "approval",
            "succession",
        }, code
        if row["status"] != "party":
            assert not (row["consent_date"] or row["consent_kind"]), code
        else:
            assert row["consent_kind"], code
        for column in ("signature_date", "consent_date"):
            if row[column]:
                datetime.date.fromisoformat(row[column])
        assert all(address.startswith("http") for address in row["source"].split(" ; ")), code


def test_the_first_40_parties_of_the_table_are_those_un_news_listed():
    by_name = names_to_codes()
    first_40_line = next(
        line
        for line in raw("protocol_first_40_parties_2003.txt").splitlines()
        if line.strip() and not line.startswith("#")
    )
    listed = first_40_line.rstrip(".").split(", ")
    listed[-1:] = listed[-1].split(" and ")
    early = {
        code
        for code, row in participants().items()
        if row["consent_date"] and row["consent_date"] <= "2003-10-30"
    }
    assert early == {by_name[name.casefold()] for name in listed}


def test_what_the_table_does_not_settle_stays_unknown():
    rows = participants()
    # Gabon: one Austrian notice lists it, no UNTC table does; Cote d'Ivoire: a domestic decree,
    # no deposit found; Morocco and China: observers "not parties" in 2020, nothing since.
    for code in ("GAB", "CIV", "MAR", "CHN"):
        assert rows[code]["status"] == "unknown", code
    assert (rows["BOL"]["status"], rows["BOL"]["signature_date"]) == ("unknown", "2000-12-12")
    assert (rows["MNE"]["consent_kind"], rows["MNE"]["consent_date"]) == (
        "succession",
        "2006-10-23",
    )


# --- names --------------------------------------------------------------------------------


@cache
def names_to_codes() -> dict[str, str]:
    codes = {row["name"].casefold(): row["code"] for row in states()}
    codes |= {row["code"].casefold(): row["code"] for row in states()}
    codes |= {name.casefold(): code for name, code in data("state_aliases.yaml").items()}
    return codes


def test_every_alias_is_a_name_a_source_uses_for_a_state_in_states_csv():
    un_names = {row["name"] for row in states()}
    codes = {row["code"] for row in states()}
    everything = "\n".join(raw(name) for name in [*SEEDS, *REFERENCE_FILES])
    for name, code in data("state_aliases.yaml").items():
        assert code in codes
        assert name not in un_names
        assert re.search(rf"(^|[\s,:]){re.escape(name)}([\s,.;]|$)", everything, re.M), name


def test_every_state_the_meeting_files_name_is_known_by_its_un_name_or_an_alias():
    by_name = names_to_codes()
    named = [name for names in meeting_2020["attendance"].values() for name in names]
    named += [row["state"] for row in meeting_2020["statements"] if "state" in row]
    named += [row["state"] for row in meeting_2018["statements"]]
    organizations = {org["name"] for org in meeting_2020["organizations"]}
    for name in named:
        assert name in organizations or name.casefold() in by_name, name
    assert by_name["turkey"] == "TUR" and by_name["bahamas"] == "BHS"


def test_every_state_name_in_the_protocol_status_sources_is_known():
    by_name = names_to_codes()
    untc = csv_rows(SOURCES / "protocol_status_partial_albania_to_france.csv")
    deposits = csv_rows(SOURCES / "protocol_deposits_subset_2001_2010.csv")
    first_40_line = next(
        line
        for line in raw("protocol_first_40_parties_2003.txt").splitlines()
        if line.strip() and not line.startswith("#")
    )
    names = [re.sub(r" \d+$", "", row["participant"]) for row in untc]
    names += [row["state_as_written"] for row in deposits]
    first_40 = first_40_line.rstrip(".").split(", ")
    first_40[-1:] = first_40[-1].split(" and ")
    assert len(first_40) == 40
    for name in names + first_40:
        assert name.casefold() in by_name, name
