"""Report documents made in the tests: the 2020 report and the 2018 addendum as the UN lays them
out, in plain text, Word (.docx, python-docx) and PDF (fpdf2), with page headers and footers.

The source texts (data/sources/001_*, 004_*) are one paragraph per line. Here they become
documents the way a report reaches the Secretariat: the first page's furniture (symbol, job
number with its processing dates, barcode), a running header with the document symbol and a
footer with the job number and page counter on every page, paragraphs running across page
breaks, and typographic quotes and dashes kept.

PDFs are written with DejaVu Sans (Debian's fonts-dejavu-core, which CI installs: .ci/run) so
that the typographic characters of the texts (curly quotes, en dashes, accented names) are written
as they are; the core PDF fonts cannot encode them.
"""

from __future__ import annotations

import io
import os
import re
import textwrap
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"
REPORT_2020 = SOURCES / "001_c1765e406b4dbe95.txt"
REPORT_2018 = SOURCES / "004_26ecf3138e479f02.txt"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@dataclass(frozen=True)
class Layout:
    """How a report's pages are marked: symbol in the header, job number in the footer."""

    symbol: str
    job: str


LAYOUT_2020 = Layout(symbol="CTOC/COP/WG.7/2020/4", job="V.20-04970")
LAYOUT_2018 = Layout(symbol="CTOC/COP/WG.7/2018/L.1/Add.1", job="V.18-04512")


@cache
def expected_recommendations(year: str) -> list[dict]:
    """The recommendations as written down by hand (expected_recommendations.yaml)."""
    data = yaml.safe_load((Path(__file__).parent / "expected_recommendations.yaml").read_text())
    return [
        {
            "label": row["label"],
            "section": row["section"],
            "section_title": row["section_title"],
            "agenda_item": row["agenda_item"],
            "chapeau": row.get("chapeau") or "",
            "text": row["text"],
        }
        for row in data[year]
    ]


def as_rows(recommendations) -> list[dict]:
    """Parsed recommendations in the shape of `expected_recommendations`."""
    return [
        {
            "label": item.label,
            "section": item.section,
            "section_title": item.section_title,
            "agenda_item": item.agenda_item,
            "chapeau": item.chapeau,
            "text": item.text,
        }
        for item in recommendations
    ]


def source_paragraphs(path: Path) -> list[str]:
    """The document's paragraphs as a word processor holds them: markup and list bullets gone.

    A blank line in the source is kept as an empty paragraph (the source marks page breaks of
    the original that way, in the middle of Recommendation 15, say).
    """
    paragraphs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"\*([^*]+)\*", r"\1", line)
        line = re.sub(r"^\s*-\s+", "", line).strip()
        paragraphs.append(line)
    while paragraphs and not paragraphs[0]:
        paragraphs.pop(0)
    return paragraphs


def first_page_furniture(layout: Layout) -> tuple[list[str], list[str]]:
    """What a UN document's first page carries above and below the text."""
    top = ["United Nations", layout.symbol]
    bottom = [f"{layout.job} (E) 240920 250920", "*" + layout.job[2:].replace("-", "") + "*"]
    return top, bottom


# --- Word ---------------------------------------------------------------------------------


def to_docx(paragraphs: list[str], layout: Layout, *, per_page: int = 12) -> bytes:
    """A .docx with real section header and footer, and page breaks every `per_page`
    paragraphs that carry the page's footer and the next page's header in the body, as a
    PDF converted to Word does."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = layout.symbol
    section.footer.paragraphs[0].text = layout.job
    top, bottom = first_page_furniture(layout)
    for text in top:
        document.add_paragraph(text)
    pages = max(1, -(-len(paragraphs) // per_page))
    page = 1
    for index, text in enumerate(paragraphs):
        document.add_paragraph(text)
        if (index + 1) % per_page == 0 and index + 1 < len(paragraphs):
            if page == 1:
                for line in bottom:
                    document.add_paragraph(line)
            document.add_paragraph(f"{layout.job} {page}/{pages}")
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            page += 1
            document.add_paragraph(layout.symbol)
    document.add_paragraph(f"{layout.job} {page}/{pages}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------------


def require_font() -> None:
    """PDFs need DejaVu Sans: a failure in CI (which installs it), a skip elsewhere."""
    if not FONT.exists():
        message = f"{FONT} is missing: install Debian's fonts-dejavu-core"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)


def to_pdf(paragraphs: list[str], layout: Layout, *, font_size: float = 10.5) -> bytes:
    """A PDF whose pages carry the symbol in the header and "V.20-04970 3/11" in the footer;
    the text flows over the pages, so paragraphs break wherever a page ends."""
    from fpdf import FPDF

    class Report(FPDF):
        def header(self) -> None:
            self.set_font("DejaVu", size=9)
            if self.page_no() == 1:
                for text in first_page_furniture(layout)[0]:
                    self.cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
            else:
                self.cell(0, 5, layout.symbol, new_x="LMARGIN", new_y="NEXT", align="R")
            self.ln(4)

        def footer(self) -> None:
            self.set_y(-18)
            self.set_font("DejaVu", size=9)
            if self.page_no() == 1:
                for text in first_page_furniture(layout)[1]:
                    self.cell(0, 4, text, new_x="LMARGIN", new_y="NEXT")
            self.cell(0, 4, f"{layout.job} {self.page_no()}/{{nb}}", align="R")

    pdf = Report(format="A4")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_auto_page_break(auto=True, margin=24)
    pdf.add_page()
    pdf.set_font("DejaVu", size=font_size)
    for text in paragraphs:
        if text:
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())


# --- plain text with a page layout -----------------------------------------------------------


def to_text(
    paragraphs: list[str],
    layout: Layout,
    *,
    width: int | None = None,
    blank_lines: bool = True,
    breaks: Collection[float] = (),
    form_feeds: bool = False,
    footer: str = "job counter",
    running_head: str = "",
) -> str:
    """The report as pdftotext or a copy-paste from a PDF gives it.

    `width` wraps the paragraphs (hyphenated compounds may break after their hyphen);
    `breaks` say where pages end, as fractions of the text's lines (0.5: half-way): there come
    the footer, a blank line or form feed, and the next page's header, wherever that falls,
    mid-sentence included. A `running_head` is repeated at the top and foot of the pages.
    """
    lines: list[str] = []
    for text in paragraphs:
        if not text:
            if blank_lines:
                lines.append("")
            continue
        if width:
            lines.extend(
                textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=True)
            )
        else:
            lines.append(text)
        if blank_lines:
            lines.append("")
    after = {min(int(fraction * len(lines)), len(lines) - 1) for fraction in breaks}
    pages = len(after) + 1
    if pages < 4:
        running_head = ""  # a running head is told from text by repeating over many pages
    out: list[str] = []
    page = 1
    for number, line in enumerate(lines):
        out.append(line)
        if number in after and page < pages:
            out.extend(_footer(footer, layout, page, pages))
            if running_head:
                out.append(running_head)
            out.append("\f" if form_feeds else "")
            out.append(layout.symbol)
            if running_head:
                out.append(running_head)
            page += 1
    out.extend(_footer(footer, layout, page, pages))
    return "\n".join(out) + "\n"


def _footer(style: str, layout: Layout, page: int, pages: int) -> list[str]:
    if style == "job counter":
        return ["", f"{layout.job} {page}/{pages}"]
    if style == "counter job":
        return ["", f"{page}/{pages} {layout.job}"]
    if style == "page of":
        return [f"Page {page} of {pages}", layout.job]
    return [f"{page}/{pages}"]


def renumber_paragraphs(
    paragraphs: list[str], *, offset: int = 0, gap_after: int | None = None
) -> tuple[list[str], dict[int, int]]:
    """The paragraphs with their numbers shifted by `offset`, and skipping one number after
    paragraph `gap_after` (a numbering gap); and the new number of each old one.

    Lists inside paragraphs (the agenda's "1.", "2.") keep their numbers: only numbers that
    continue the paragraph sequence are paragraphs."""
    out, expected, numbers = [], None, {}
    for text in paragraphs:
        match = re.match(r"^(\d+)\. (.*)$", text)
        if match and (expected is None or int(match.group(1)) == expected):
            number = int(match.group(1))
            expected = number + 1
            shifted = number + offset + (1 if gap_after is not None and number > gap_after else 0)
            numbers[number] = shifted
            text = f"{shifted}. {match.group(2)}"
        out.append(text)
    return out, numbers


def tenth_meeting_text() -> str:
    """The 2020 report turned into the report of a 10th meeting (3-4 March 2031), which the
    reference data does not hold: importing it creates everything."""
    return (
        REPORT_2020.read_text(encoding="utf-8")
        .replace("seventh meeting", "tenth meeting")
        .replace("8 and 9 September 2020", "3 and 4 March 2031")
        .replace("23 September 2020", "20 March 2031")
    )


# --- a report in the numbered-paragraph layout --------------------------------------------------

LAYOUT_NUMBERED = Layout(symbol="CTOC/COP/WG.7/2031/4", job="V.31-00412")

# A report laid out as the working groups of the Conference also write them: the recommendations
# chapter holds no "Recommendation N" headings; its paragraphs are the recommendations, under
# lettered sections and numbered sub-headings whose numbers restart in each section while the
# paragraphs carry on the report's own numbering. One paragraph is a chapeau with lettered items.
SECTION_A = (
    "Implementation of the Smuggling of Migrants Protocol, including national and regional efforts"
)
SECTION_B = "International cooperation"
# The sub-headings, by section and number (tests vary their wording).
SUBSECTIONS = {
    ("A", 1): "General recommendations",
    ("A", 2): "Protection of the rights of smuggled migrants",
    ("A", 3): "Prevention and awareness-raising",
    ("B", 1): "Exchange of information",
    ("B", 2): "Technical assistance",
}
# The recommendations: (paragraph number, section, sub-section number, text); a text ending with
# ":" is a chapeau, followed by its items.
RECOMMENDATIONS = [
    (
        3,
        "A",
        1,
        "States parties should make better use of the tools and materials produced by UNODC to "
        "support the implementation of the Protocol, including its model legislative provisions.",
    ),
    (
        4,
        "A",
        2,
        "With regard to developing a comprehensive response to the smuggling of migrants, States "
        "parties should apply an approach centred on the rights of smuggled migrants, with full "
        "respect for their human rights and particular attention to children and women.",
    ),
    (
        5,
        "A",
        2,
        "States parties should consider developing guidance for law enforcement officials on "
        "gender- and age-sensitive responses to smuggled migrants, including those who have been "
        "the object of aggravated smuggling.",
    ),
    (
        6,
        "A",
        3,
        "States parties are encouraged to conduct awareness-raising campaigns, in cooperation "
        "with civil society, on the risks of smuggling, targeting communities of origin.",
    ),
    (7, "B", 1, "States parties should, in accordance with their domestic legal frameworks:"),
    (
        8,
        "B",
        1,
        "States parties may consider concluding bilateral and regional agreements to facilitate "
        "joint investigations into smuggling networks.",
    ),
    (
        9,
        "B",
        2,
        "UNODC should continue to provide technical assistance to States parties, upon request, "
        "in the implementation of the Protocol.",
    ),
]
ITEMS_OF_7 = [
    "Designate central authorities and contact points for cooperation in cases of smuggling of "
    "migrants;",
    "Share information on routes and methods with States of origin, transit and destination.",
]


def numbered_report(subsections: dict[tuple[str, int], str] | None = None) -> list[str]:
    """The report's paragraphs, one a line; `subsections` replaces sub-headings' titles."""
    titles = {**SUBSECTIONS, **(subsections or {})}
    recommendations = []
    heading: tuple[str, int] | None = None
    for number, section, subsection, text in RECOMMENDATIONS:
        if heading is None or heading[0] != section:
            recommendations.append(f"{section}. {SECTION_A if section == 'A' else SECTION_B}")
        if heading != (section, subsection):
            recommendations.append(f"{subsection}. {titles[section, subsection]}")
            heading = (section, subsection)
        recommendations.append(f"{number}. {text}")
        if number == 7:
            recommendations.extend(
                f"({letter}) {item}" for letter, item in zip("ab", ITEMS_OF_7, strict=True)
            )
    return [
        "Conference of the Parties to the United Nations Convention against Transnational "
        "Organized Crime",
        "Distr.: General",
        "17 February 2031",
        "Original: English",
        "Working Group on the Smuggling of Migrants",
        "Vienna, 27-29 January 2031",
        "Report on the meeting of the Working Group on the Smuggling of Migrants held in Vienna, "
        "27-29 January 2031",
        "I. Introduction",
        "1. In its resolution 5/3, the Conference of the Parties decided that the Working Group "
        "would report on its activities to the Conference at each of its sessions.",
        "II. Recommendations adopted by the Working Group",
        "2. The Working Group on the Smuggling of Migrants adopted the recommendations below for "
        "consideration by the Conference at its next session.",
        *recommendations,
        "III. Organization of the meeting",
        "A. Opening of the meeting",
        "10. The tenth meeting of the Working Group on the Smuggling of Migrants was held in "
        "Vienna from 27 to 29 January 2031.",
        "11. The meeting was opened by Anna Berger (Austria), Chair of the Working Group.",
        "B. Adoption of the agenda and organization of work",
        "12. At its 1st meeting, on 27 January 2031, the Working Group adopted the following "
        "agenda:",
        "1. Organizational matters:",
        "(a) Opening of the meeting;",
        "(b) Adoption of the agenda and organization of work.",
        f"2. {SECTION_A}.",
        f"3. {SECTION_B}.",
        "4. Adoption of the report.",
        "C. Attendance",
        "13. The following parties to the Smuggling of Migrants Protocol were represented at the "
        "meeting: Austria, Mexico, South Africa and Trinidad and Tobago.",
        "IV. Adoption of the report",
        "14. On 29 January 2031, the Working Group adopted the present report on its meeting.",
    ]


NUMBERED_REPORT = numbered_report()


def numbered_expected(
    subsections: dict[tuple[str, int], str] | None = None,
    numbers: dict[int, int] | None = None,
) -> list[dict]:
    """The recommendations written into `numbered_report(subsections)`, labelled with the
    paragraph numbers `numbers` gives them (renumber_paragraphs), in the shape of
    `as_rows_with_subsections`."""
    titles = {**SUBSECTIONS, **(subsections or {})}
    numbers = numbers or {}
    rows = []
    for number, section, subsection, text in RECOMMENDATIONS:
        printed = numbers.get(number, number)
        common = {
            "section": section,
            "section_title": SECTION_A if section == "A" else SECTION_B,
            # Each section repeats the title of an agenda item (items 2 and 3).
            "agenda_item": "2" if section == "A" else "3",
            "subsection": str(subsection),
            "subsection_title": titles[section, subsection],
        }
        if text.endswith(":"):
            for letter, item in zip("ab", ITEMS_OF_7, strict=True):
                rows.append(
                    {"label": f"{printed} ({letter})", **common, "chapeau": text, "text": item}
                )
        else:
            rows.append({"label": str(printed), **common, "chapeau": "", "text": text})
    return rows


def as_rows_with_subsections(recommendations) -> list[dict]:
    """Parsed recommendations in the shape of `numbered_expected`."""
    return [
        {**row, "subsection": item.subsection, "subsection_title": item.subsection_title}
        for row, item in zip(as_rows(recommendations), recommendations, strict=True)
    ]
