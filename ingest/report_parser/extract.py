"""What the report says, read from its structure: meeting, agenda, recommendations, attendance.

The phrases matched here are those of the UN's standard report layout ("The following parties
to the ... Protocol were represented at the meeting: ...", "The first panellist was ..., on
behalf of the Group of African States."). Where a phrase is missing the value stays blank and,
where staff would expect one, a warning says so; nothing is invented.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Iterable

from .cleaning import MONTH, parse_day
from .limits import check_time
from .readers import PAGE_BREAK, Line
from .structure import Node, Structure, introduces_recommendations
from .types import (
    ParsedReport,
    ReportAgendaItem,
    ReportMeeting,
    ReportParseError,
    ReportRecommendation,
    ReportStatement,
    ReportWarning,
)

ORDINAL_WORDS = [
    *("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"),
    *("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth"),
    *("seventeenth", "eighteenth", "nineteenth", "twentieth"),
]
_ORDINAL = rf"(?:{'|'.join(ORDINAL_WORDS)}|\d{{1,2}}(?:st|nd|rd|th))"

# UN names with "and" in them, so that "..., Trinidad and Tobago and Uruguay" splits right even
# when the caller knows no names.
NAMES_WITH_AND = (
    "Antigua and Barbuda",
    "Bosnia and Herzegovina",
    "Saint Kitts and Nevis",
    "Saint Vincent and the Grenadines",
    "Sao Tome and Principe",
    "Trinidad and Tobago",
    "United Kingdom of Great Britain and Northern Ireland",
    "Serbia and Montenegro",
    "Heard Island and McDonald Islands",
    "United Nations Office on Drugs and Crime",
    "European Border and Coast Guard Agency",
)

_ORGANIZATION_WORDS = re.compile(
    r"\b(?:Organization|Organisation|Agency|Office|Council|Programme|Fund|Commission|"
    r"Committee|Directorate|Department|Order|Institute|Secretariat|Union Agency|Assembly|"
    r"Community|Bank|Court|Centre|Network|Entity|INTERPOL|Europol|Eurojust)\b"
)

_BODY = re.compile(r"^Working Group on (?:the )?[A-Z][\w ]+$")
_ORGAN = re.compile(
    r"Conference\s+of\s+the\s+Parties\s+to\s+the\s+United\s+Nations\s+Convention\s+against\s+"
    r"Transnational\s+Organized\s+Crime"
)
# A line ending so is continued by the next one: "... held in" / "Vienna, 27-29 January 2010".
_CONTINUES = re.compile(r"(?:\b(?:in|at|on|of|from|held|and|the)|,)$")
_AGENDA_ITEM_LINE = re.compile(r"^(?:Provisional\s+)?[Ii]tems?\s+\d+.*\bagenda\b.*$")
_VENUE = r"([A-Z][A-Za-z'\u2019-]+(?:\s+[A-Z][A-Za-z'\u2019-]+)*)"

# Between the two ends of a range of dates: "27-29", "30 May - 1 June" (hyphen, en or em
# dash), "11 to 13", "8 and 9".
_UNTIL = r"(?:\s*[\u2013\u2014-]\s*|\s+(?:to|and|until)\s+)"
# Longest first: the first form that matches at the start of the text decides.
_DATE_FORMS = [
    # Across a year's end: "30 December 2030 to 2 January 2031".
    re.compile(
        rf"(?:from\s+)?(\d{{1,2}})\s+({MONTH}),?\s+(\d{{4}}){_UNTIL}"
        rf"(\d{{1,2}})\s+({MONTH}),?\s+(\d{{4}})"
    ),
    # Across a month's end: "from 30 May to 1 June 2012", "30 May-1 June 2012".
    re.compile(
        rf"(?:from\s+)?(\d{{1,2}})\s+({MONTH}){_UNTIL}(\d{{1,2}})\s+({MONTH}),?\s+(\d{{4}})"
    ),
    # Within a month: "27-29 January 2010", "from 11 to 13 November 2013", "8 and 9 September".
    re.compile(rf"(?:from\s+)?(\d{{1,2}}){_UNTIL}(\d{{1,2}})\s+({MONTH}),?\s+(\d{{4}})"),
    re.compile(rf"(\d{{1,2}})\s+({MONTH}),?\s+(\d{{4}})"),
]

_AGENDA_LABEL = r"\d{1,2}(?:\s*\([a-z]\))?"
_AGENDA_REFERENCE = re.compile(
    rf"\bagenda\s+items?\s+({_AGENDA_LABEL}(?:(?:\s*,\s*|\s*,?\s+and\s+){_AGENDA_LABEL})*)",
    re.IGNORECASE,
)
_ENTITLED = re.compile(
    r"\bagenda\s+item\s+(\d{1,2})(?:\s*\(([a-z])\))?,?\s+entitled\s+[\"\u201c](.+?)[\"\u201d]"
)

_ENDS_SENTENCE = re.compile(r"[.;!?][\"\u201d\u2019')\]]*$")

_HONORIFIC = re.compile(r"^(?:Mr|Ms|Mrs|Miss|Dr|Prof|H\.\s?E)\.?\s+")


def extract(
    structure: Structure, *, known_names: Collection[str] = ()
) -> tuple[ParsedReport, list[ReportWarning]]:
    warnings: list[ReportWarning] = []
    report = ParsedReport()
    title, venue_line = _front(structure.front)
    report.title = title
    report.status = "draft" if title.lower().startswith("draft") else "adopted"
    paragraphs = [node for node in structure.nodes if node.kind in {"paragraph", "loose"}]
    report.meeting = _meeting(paragraphs, title=title, venue_line=venue_line)
    check_time()
    report.agenda_items = _agenda(structure.nodes, paragraphs)
    check_time()
    report.recommendations = _recommendations(structure.nodes, report.agenda_items, warnings)
    check_time()
    names = {name.casefold(): name for name in (*NAMES_WITH_AND, *known_names)}
    report.attendance = _attendance(paragraphs, names, warnings)
    check_time()
    report.statements = _statements(paragraphs, report.attendance, names, warnings)
    return report, warnings


# --- the front page -----------------------------------------------------------------------


def _front(lines: list[Line]) -> tuple[str, str]:
    """The document's title, and the "Vienna, 4-5 July 2018" line if there is one."""
    text = "\n".join("" if line.text == PAGE_BREAK else line.text.strip() for line in lines)
    text = _ORGAN.sub("", text)
    # The Working Group's name above the title of a draft report, wrapped or not.
    text = re.sub(r"^\s*Working\s+Group\s+on\s+the\s+Smuggling\s+of\s+Migrants\s*\n", "", text)
    rows = [row.strip() for row in text.split("\n")]
    venue_line = ""
    kept: list[str] = []
    for row in rows:
        check_time()
        previous = next((earlier for earlier in reversed(kept) if earlier), "")
        # "... held in" wrapped before "Vienna, 27-29 January 2010" continues the title; the
        # same words on a line of their own are the cover's venue line.
        if _venue_dates(row, anchored=True) and not _CONTINUES.search(previous):
            venue_line = venue_line or row
            row = ""
        elif _AGENDA_ITEM_LINE.match(row) or (_BODY.match(row) and not [r for r in kept if r]):
            row = ""
        kept.append(row)
    groups: list[list[str]] = [[]]
    for row in kept:
        if not row:
            groups.append([])
        elif re.match(r"^(?:Addendum|Corrigendum|Revision)\b", row) and groups[-1]:
            groups.append([row])
        else:
            groups[-1].append(row)
    parts = [" ".join(group) for group in groups if group]
    title = ". ".join(part.rstrip(".") for part in parts)
    return " ".join(title.split()), venue_line


# --- the meeting --------------------------------------------------------------------------


def _dates_at(text: str) -> tuple[datetime.date, datetime.date] | None:
    """The dates written at the start of `text`: "8 and 9 September 2020", "4-5 July 2018"..."""
    for form in _DATE_FORMS:
        match = form.match(text)
        if not match:
            continue
        groups = match.groups()
        if len(groups) == 6:
            start = parse_day(groups[0], groups[1], groups[2])
            end = parse_day(groups[3], groups[4], groups[5])
        elif len(groups) == 5:
            start = parse_day(groups[0], groups[1], groups[4])
            end = parse_day(groups[2], groups[3], groups[4])
        elif len(groups) == 4:
            start = parse_day(groups[0], groups[2], groups[3])
            end = parse_day(groups[1], groups[2], groups[3])
        else:
            start = end = parse_day(*groups)
        if start and end and start <= end:
            return start, end
        return None
    return None


def _venue_dates(text: str, *, anchored: bool = False):
    """(venue, start, end) from "held in Vienna on 8 and 9 September 2020", "held in Vienna,
    27-29 January 2010" or "Vienna, 4-5 July 2018" (the last only as a whole line,
    `anchored`)."""
    if anchored:
        match = re.match(rf"^{_VENUE},\s+(.*)$", text)
        if match:
            dates = _dates_at(match.group(2))
            rest = match.group(2)
            if dates and re.fullmatch(r"[\d\s\u2013\u2014\-,a-zA-Z]+", rest):
                return match.group(1), *dates
        return None
    for match in re.finditer(rf"\bheld\s+in\s+{_VENUE}(?:,?\s+(?:on|from)\s+|,\s+)", text):
        rest = text[match.end() :]
        dates = _dates_at(rest) or _dates_at("from " + rest)
        if dates:
            return match.group(1), *dates
    return None


def _meeting(paragraphs: list[Node], *, title: str, venue_line: str) -> ReportMeeting:
    meeting = ReportMeeting()
    organization = [node for node in paragraphs if _chapter_is(node, "organization")]
    texts = [node.text for node in organization] + [title] + [node.text for node in paragraphs]

    ordinal = re.compile(
        rf"\b({_ORDINAL})\s+meeting\s+of\s+the\s+Working\s+Group\s+on\b", re.IGNORECASE
    )
    for text in texts:
        match = ordinal.search(text)
        if match:
            word = match.group(1).lower()
            meeting.ordinal = (
                ORDINAL_WORDS.index(word) + 1 if word in ORDINAL_WORDS else int(word[:-2])
            )
            break

    found = None
    for text in [*[node.text for node in organization], title]:
        found = _venue_dates(text)
        if found:
            break
    if not found and venue_line:
        found = _venue_dates(venue_line, anchored=True)
    if not found:
        for text in texts:
            found = _venue_dates(text)
            if found:
                break
    if found:
        meeting.venue, meeting.start_date, meeting.end_date = found

    for text in [node.text for node in organization]:
        if re.search(r"\bwas\s+held\s+in\s+a\s+hybrid\s+format\b", text):
            meeting.format = "hybrid"
        elif re.search(
            r"\bwas\s+held\s+(?:entirely\s+|fully\s+)?(?:online|in\s+a\s+virtual\s+format)\b",
            text,
        ):
            meeting.format = "online"
        elif re.search(r"\bwas\s+held\s+in\s+person\b", text):
            meeting.format = "in_person"
        if meeting.format != "unknown":
            break

    chair = re.compile(
        r"\b(?:opened|chaired)\s+by\s+([A-Z][^()]+?)\s+\(([^)]+)\),\s+(?:the\s+)?Chair\b"
    )
    for text in texts:
        match = chair.search(text)
        if match:
            meeting.chair, meeting.chair_state = match.group(1).strip(), match.group(2).strip()
            break
    return meeting


def _chapter_is(node: Node, word: str) -> bool:
    return node.chapter is not None and word in node.chapter.title.lower()


# --- the agenda ---------------------------------------------------------------------------


def _agenda(nodes: list[Node], paragraphs: list[Node]) -> list[ReportAgendaItem]:
    items: dict[tuple[int, str], ReportAgendaItem] = {}
    for node in nodes:
        if node.kind != "agenda":
            continue
        title = re.sub(r"[\s.;:,]+$", "", node.text)
        items[(node.number, node.letter)] = ReportAgendaItem(node.number, node.letter, title)
    texts = [node.text for node in paragraphs]
    for text in texts:
        for match in _ENTITLED.finditer(text):
            key = (int(match.group(1)), match.group(2) or "")
            title = re.sub(r"[\s.;:,]+$", "", match.group(3))
            if key not in items:
                items[key] = ReportAgendaItem(key[0], key[1], title)
            elif not items[key].title:
                items[key].title = title
    for text in texts:
        for label in agenda_references(text):
            number, letter = _agenda_key(label)
            for key in [(number, ""), (number, letter)]:
                items.setdefault(key, ReportAgendaItem(key[0], key[1], ""))
    return [items[key] for key in sorted(items)]


def agenda_references(text: str) -> list[str]:
    """The agenda item labels a sentence refers to: "agenda items 1 (a), 2 and 3"."""
    labels: list[str] = []
    for match in _AGENDA_REFERENCE.finditer(text):
        for label in re.findall(_AGENDA_LABEL, match.group(1)):
            number, letter = _agenda_key(label)
            label = f"{number} ({letter})" if letter else str(number)
            if label not in labels:
                labels.append(label)
    return labels


def _agenda_key(label: str) -> tuple[int, str]:
    match = re.match(r"(\d+)\s*(?:\(([a-z])\))?", label)
    return int(match.group(1)), match.group(2) or ""


# --- recommendations ----------------------------------------------------------------------


def _recommendations(
    nodes: list[Node], agenda: list[ReportAgendaItem], warnings: list[ReportWarning]
) -> list[ReportRecommendation]:
    """The recommendations, in the report's order, in any of the three layouts.

    A chapter with "Recommendation N" headings holds those; lettered items under a chapeau
    are recommendations wherever they are; in a recommendations chapter without headings,
    every other numbered paragraph is one (labelled with its printed number), except a
    paragraph that introduces recommendations ("adopted the recommendations presented below",
    "consider the following recommendations for adoption"), whether or not its list follows.
    """
    chapters_with_headings = {
        id(node.chapter) for node in nodes if node.kind == "recommendation" and node.chapter
    }
    chapeaus = {id(node.parent) for node in nodes if node.kind == "item"}
    read_in: dict[int, int] = {}  # chapter -> recommendations read in it so far
    found: list[ReportRecommendation] = []
    sections_seen: dict[int, str | None] = {}
    for node in nodes:
        chapter_key = id(node.chapter)
        if node.kind == "recommendation":
            label, chapeau = str(node.number), ""
        elif node.kind == "item":
            label, chapeau = f"{node.parent.number} ({node.letter})", node.parent.text
        elif (
            node.kind == "paragraph"
            and node.chapter is not None
            and node.chapter.is_recommendations_chapter
            and chapter_key not in chapters_with_headings
            and id(node) not in chapeaus
            and not introduces_recommendations(node)
        ):
            if not _ENDS_SENTENCE.search(node.text):
                raise ReportParseError(
                    f"paragraph {node.number} of chapter {node.chapter.roman}, read as a "
                    f"recommendation, ends mid-sentence ('...{node.text[-50:]}')",
                    where=node.where,
                )
            label, chapeau = str(node.number), ""
        else:
            continue
        read_in[chapter_key] = read_in.get(chapter_key, 0) + 1
        section = node.section
        if section is not None and id(section) not in sections_seen:
            sections_seen[id(section)] = _section_agenda_item(section, agenda)
            if sections_seen[id(section)] is None:
                warnings.append(
                    ReportWarning(
                        section.where,
                        f"section {section.letter} ('{section.title[:60]}') does not say which "
                        "agenda item it follows",
                    )
                )
        subsection = node.subsection
        found.append(
            ReportRecommendation(
                label=label,
                text=node.text,
                section=section.letter if section else "",
                section_title=section.title if section else "",
                subsection=str(subsection.number) if subsection else "",
                subsection_title=subsection.title if subsection else "",
                agenda_item=sections_seen.get(id(section)) if section else None,
                chapeau=chapeau,
                where=node.where,
            )
        )
    warnings.extend(_chapters_without_recommendations(nodes, read_in))
    return found


def _chapters_without_recommendations(
    nodes: list[Node], read_in: dict[int, int]
) -> list[ReportWarning]:
    """What was found where recommendations were looked for and none was read."""
    chapters = [node for node in nodes if node.kind == "chapter"]
    if not chapters or read_in:
        return []
    looked = [chapter for chapter in chapters if chapter.is_recommendations_chapter]
    if not looked:
        listed = ", ".join(f"{chapter.roman} '{chapter.title[:60]}'" for chapter in chapters)
        return [
            ReportWarning(
                chapters[0].where,
                f"found chapters {listed}, none with 'Recommendation' in its title: "
                "no recommendations read",
            )
        ]
    warnings = []
    for chapter in looked:
        paragraphs = [
            node for node in nodes if node.kind == "paragraph" and node.chapter is chapter
        ]
        introducing = sum(1 for node in paragraphs if introduces_recommendations(node))
        counted = _count(len(paragraphs), "numbered paragraph")
        if introducing:
            counted += f" ({introducing} introducing the recommendations)"
        warnings.append(
            ReportWarning(
                chapter.where,
                f"found chapter {chapter.roman} '{chapter.title[:60]}' with {counted} but no "
                "'Recommendation N' headings, no lettered items under a chapeau and no numbered "
                "paragraphs after the introduction: no recommendations read",
            )
        )
    return warnings


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _section_agenda_item(section: Node, agenda: list[ReportAgendaItem]) -> str | None:
    """The agenda item whose title the section's title repeats ("Recommendations regarding
    the impact of ..." follows item 2, "Impact of ...").
    """
    named = re.search(r"\bagenda\s+item\s+(\d{1,2}(?:\s*\([a-z]\))?)", section.title)
    if named:
        number, letter = _agenda_key(named.group(1))
        return f"{number} ({letter})" if letter else str(number)
    title = re.sub(
        r"^(?:general\s+)?recommendations?\s+(?:regarding|on|concerning|relating\s+to|"
        r"under|about|for)\s+(?:the\s+)?",
        "",
        section.title,
        flags=re.IGNORECASE,
    )
    words = _words(title)
    if not words:
        return None
    best, best_score = None, 0.0
    for item in agenda:
        theirs = _words(re.sub(r"^the\s+", "", item.title, flags=re.IGNORECASE))
        if not theirs:
            continue
        if theirs == words:
            return item.label
        score = len(set(words) & set(theirs)) / len(set(words) | set(theirs))
        if score > best_score:
            best, best_score = item.label, score
    return best if best_score >= 0.75 else None


# --- names --------------------------------------------------------------------------------


def split_listing(text: str, names: dict[str, str]) -> list[str]:
    """Names as a report lists them: "A, B (C, D) and E." -> ["A", "B (C, D)", "E"].

    Commas inside brackets do not split. The last "and" splits, except inside a name the caller
    knows ("Trinidad and Tobago"); with several "and"s the split that leaves known names wins,
    else the first (the "and" of a list comes before any "and" inside a long name such as
    "United Nations Office on Drugs and Crime").
    """
    text = re.sub(r"[.;]\s*$", "", text.strip())
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char in "(["
        depth -= char in ")]"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    parts = [part.strip() for part in parts if part.strip()]
    if not parts:
        return []
    last = re.sub(r"^and\s+", "", parts.pop())
    parts.extend(_split_and(last, names))
    return [re.sub(r"^and\s+", "", part) for part in parts]


def _split_and(text: str, names: dict[str, str]) -> list[str]:
    if text.casefold() in names:
        return [text]
    positions = [
        match.start()
        for match in re.finditer(r"\s+and\s+", text)
        if text[: match.start()].count("(") == text[: match.start()].count(")")
    ]
    if not positions:
        return [text]
    best = None
    for position in positions:
        left = text[:position].strip()
        right = re.sub(r"^\s*and\s+", "", text[position:]).strip()
        score = (left.casefold() in names) + (right.casefold() in names)
        if best is None or score > best[0]:
            best = (score, left, right)
    return [best[1], best[2]]


# --- attendance ---------------------------------------------------------------------------

_FOLLOWING = re.compile(r"^The\s+following\s+(.+?)\s+(?:were|was)\s+represented\b[^:]*:\s*(.+)$")
_OTHER_ENTITY = re.compile(
    r"^(?:The\s+)?(.+?),\s+an?\s+entit(?:y|ies)\s+maintaining\s+(?:a\s+)?permanent\s+observer\s+"
    r"offices?,\s+(?:was|were)\s+represented\b"
)


def _capacity(who: str) -> str | None:
    who = who.lower()
    if "non-governmental" in who:
        return None
    if re.search(r"\bnot\s+parties\b|\bnon-parties\b|\bnot\s+signator", who):
        return "non_party_observer"
    if "signator" in who:
        return "signatory_observer"
    if re.search(r"intergovernmental|united nations|organizations|entities|agencies", who):
        return "organization_observer"
    if "parties" in who:
        return "party"
    return None


def _attendance(
    paragraphs: list[Node], names: dict[str, str], warnings: list[ReportWarning]
) -> dict[str, list[str]]:
    attendance: dict[str, list[str]] = {}
    for node in paragraphs:
        text = node.text
        match = _FOLLOWING.match(text)
        if match:
            capacity = _capacity(match.group(1))
            if capacity is None:
                warnings.append(
                    ReportWarning(
                        node.where,
                        f"attendance of '{match.group(1)}' left out: no matching capacity",
                    )
                )
                continue
            listed = attendance.setdefault(capacity, [])
            listed.extend(
                name for name in split_listing(match.group(2), names) if name not in listed
            )
            continue
        match = _OTHER_ENTITY.match(text)
        if match:
            listed = attendance.setdefault("other_entity_observer", [])
            for name in split_listing(match.group(1), names):
                name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
                if name not in listed:
                    listed.append(name)
    return attendance


# --- statements ---------------------------------------------------------------------------

_PANELLIST = re.compile(
    r"\bThe\s+(?:(?:\w+|last|final|other)\s+)?panellists?\s+(?:was|were)\s+", re.IGNORECASE
)
_PANEL_LISTING = re.compile(r"\bthe\s+following\s+panellists?:\s*(.+)$")
_SECRETARIAT = re.compile(
    r"\bstatements?\s+(?:were|was)\s+made\s+by\s+(?:a\s+|the\s+)?representatives?\s+of\s+the\s+"
    r"Secretariat\b"
)
_NATIONAL = re.compile(
    r"\bstatements?\s+(?:were|was)\s+made\s+by\s+(?:the\s+)?representatives?\s+of\s+the\s+"
    r"following\s+(?:States\s+)?parties\b[^:]*:\s*(.+)$"
)
_OBSERVERS = re.compile(
    r"\bThe\s+observers?\s+for\s+(.+?)\s+(?:also\s+)?made\s+(?:a\s+)?statements?"
)
_OBSERVER_LIST = re.compile(
    r"\bstatements?\s+(?:were|was)\s+made\s+by\s+(?:the\s+)?observers?\s+for\s+the\s+following"
    r"[^:]*:\s*(.+)$"
)
_OBSERVER_ONE = re.compile(
    r"\b(?:heard|made)\s+a\s+statement\s+by\s+the\s+observer\s+for\s+(?:the\s+)?(.+?)\.?$"
)


def _statements(
    paragraphs: list[Node],
    attendance: dict[str, list[str]],
    names: dict[str, str],
    warnings: list[ReportWarning],
) -> list[ReportStatement]:
    statements: list[ReportStatement] = []
    panel_listing: dict[str, tuple[str, list[str]]] = {}
    for node in paragraphs:
        match = _PANEL_LISTING.search(node.text)
        if match:
            for entry in split_listing(match.group(1), names):
                found = re.match(r"^(.+?)\s+\(([^)]+)\)$", _HONORIFIC.sub("", entry))
                if found:
                    panel_listing[found.group(1).casefold()] = (
                        found.group(2),
                        agenda_references(node.text),
                    )
    organizations = {
        name.casefold()
        for capacity in ("organization_observer", "other_entity_observer")
        for name in attendance.get(capacity, [])
    }
    states = {
        name.casefold()
        for capacity in ("party", "signatory_observer", "non_party_observer")
        for name in attendance.get(capacity, [])
    }

    def observer(name: str, agenda_items: list[str]) -> ReportStatement:
        name = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
        key = name.casefold()
        is_organization = key in organizations or (
            key not in states and key not in names and bool(_ORGANIZATION_WORDS.search(name))
        )
        if is_organization:
            return ReportStatement("observer", list(agenda_items), organization=name)
        return ReportStatement("observer", list(agenda_items), state=name)

    previous_items: list[str] = []
    context_items: list[str] = []
    for node in paragraphs:
        text = node.text
        references = agenda_references(text)
        made: list[ReportStatement] = []
        for segment in _panellist_segments(text):
            made.append(
                _panellist(
                    segment, references or context_items, panel_listing, names, node, warnings
                )
            )
        if _SECRETARIAT.search(text):
            made.append(ReportStatement("secretariat", list(references)))
        match = _NATIONAL.search(text)
        if match:
            made.extend(
                ReportStatement("national", list(references or previous_items), state=name)
                for name in split_listing(match.group(1), names)
            )
        for pattern in (_OBSERVERS, _OBSERVER_LIST):
            match = pattern.search(text)
            if match:
                made.extend(
                    observer(name, references or previous_items)
                    for name in split_listing(match.group(1), names)
                )
        match = _OBSERVER_ONE.search(text)
        if match:
            made.append(observer(match.group(1), references or previous_items))
        if made:
            statements.extend(made)
            if not _PANEL_LISTING.search(text):
                previous_items = made[-1].agenda_items
        if references:
            context_items = references

    # Panellists named only in a "led by the following panellists" listing.
    speakers = {statement.speaker.casefold() for statement in statements if statement.speaker}
    for node in paragraphs:
        match = _PANEL_LISTING.search(node.text)
        if not match:
            continue
        for entry in split_listing(match.group(1), names):
            found = re.match(r"^(.+?)\s+\(([^)]+)\)$", _HONORIFIC.sub("", entry))
            if not found:
                continue
            surname = found.group(1).casefold()
            if not any(speaker.endswith(surname) for speaker in speakers):
                statements.append(
                    ReportStatement(
                        "panel",
                        agenda_references(node.text),
                        state=found.group(2),
                        speaker=found.group(1),
                    )
                )
    return statements


def _panellist_segments(text: str) -> Iterable[str]:
    starts = list(_PANELLIST.finditer(text))
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        segment = _HONORIFIC.sub("", text[match.end() : end].strip())
        sentence_end = re.search(r"\.(?=\s+[A-Z\u201c\"]|\s*$)", segment)
        yield segment[: sentence_end.start()] if sentence_end else segment


def _panellist(
    segment: str,
    agenda_items: list[str],
    listing: dict[str, tuple[str, list[str]]],
    names: dict[str, str],
    node: Node,
    warnings: list[ReportWarning],
) -> ReportStatement:
    who, _, group = segment.rpartition(", on behalf of ")
    if not who:
        who, group = segment, ""
    group = re.sub(r"^(?:the\s+)?(?:Group\s+of\s+)?(?:the\s+)?", "", group.strip())
    speaker, _, title = who.partition(", ")
    state = ""
    for surname, (listed_state, listed_items) in listing.items():
        if speaker.casefold().endswith(surname):
            state = listed_state
            agenda_items = agenda_items or listed_items
            break
    if not state:
        found = re.search(r"(?:,|\bof)\s+(?:the\s+)?([A-Z][^,]*?)$", title)
        if found and found.group(1).casefold() in names:
            state = names[found.group(1).casefold()]
        else:
            warnings.append(
                ReportWarning(node.where, f"the State of panellist {speaker} is not given")
            )
    if state:
        title = re.sub(rf"(?:,|\s+of)\s+(?:the\s+)?{re.escape(state)}$", "", title)
    return ReportStatement(
        "panel",
        list(agenda_items),
        state=state,
        speaker=speaker.strip(),
        speaker_title=title.strip(),
        on_behalf_of=group,
    )
