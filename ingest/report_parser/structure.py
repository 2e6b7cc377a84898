"""The report's structure: chapters, sections, numbered paragraphs, recommendations, lists.

A UN report numbers almost everything: chapters with roman numerals ("II. Recommendations"),
sections with capital letters ("A. ..."), sub-sections with numbers that restart in each section
("1. General recommendations"), paragraphs with numbers running through the whole report
("26. ..."), recommendations as "Recommendation 13" headings, as lettered items ("(a) ...")
under a numbered paragraph that ends with a chapeau ("States Parties should:"), or as the
numbered paragraphs of the recommendations chapter themselves, and the adopted agenda as a
numbered list inside a paragraph.

Lines are read in order. A line starts a new part only when its number is the one expected
next (or a few further on, which is a numbering gap and a warning); any other line continues
the part before it, across blank lines and page breaks. That is what lets a paragraph, a
recommendation or a list run across pages, and keeps a wrapped line that happens to begin
with "2020. " inside its paragraph. A numbered line that is not the next paragraph is a
sub-heading only when it is the next sub-section number, reads as a heading (short, no final
stop) and is followed by the next part: a sub-heading is never glued onto the paragraph before.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from .limits import check_time
from .readers import PAGE_BREAK, Line
from .types import ReportParseError, ReportWarning

ROMAN_NUMERALS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

_BULLET = re.compile(r"^[-\u2022\u2013]\s+")
_ROMAN = re.compile(r"^([IVX]{1,4})\.\s+(\S.*)$")
_SECTION = re.compile(r"^([A-Z])\.\s+(\S.*)$")
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
_RECOMMENDATION = re.compile(r"^Recommendation\s+(\d{1,3})\s*[.:]?$")
_ITEM = re.compile(r"^\(([a-z])\)\s+(\S.*)$")
_CONTINUED = re.compile(r"\s*\((?:continued|cont\.?)\)\s*$", re.IGNORECASE)
_ENDS_SENTENCE = re.compile(r"[.;:!?][\"\u201d\u2019')\]]*$")
_OPENS_AGENDA = re.compile(r"\bagenda:$")
# A chapter, section or paragraph marker whose text is missing ("B.", "III.", "6."): a part cut
# off at its start.
_BARE_HEADING = re.compile(r"^(?:[IVX]{1,4}|[A-Z]|\d{1,3})\.$")
# A paragraph number may skip this many numbers (a warning); further on, the line is text.
_PARAGRAPH_GAP = 5
_LETTER_GAP = 3
# A sub-heading ("2. Victims of trafficking in persons") is at most this long, and runs over at
# most this many lines (so many for the longest wrapped in a narrow column); anything longer is
# text.
_SUBHEADING_CHARACTERS = 200
_SUBHEADING_LINES = 6
# Lines of text looked at after a numbered line to tell a sub-heading from text. Blank lines,
# page breaks and page furniture do not count: a sub-heading at the foot of a page followed by
# an empty page (furniture only) is still followed by the next part, however many lines apart.
_LOOKAHEAD = 16
# A paragraph of the recommendations chapter that says the recommendations follow ("adopted the
# recommendations presented below", "the following recommendations:") introduces them.
INTRODUCES_RECOMMENDATIONS = re.compile(
    r"\brecommendations\b.{0,160}?\b(?:below|as\s+follows)\b|\bfollowing\s+recommendations\b",
    re.IGNORECASE,
)


@dataclass
class Node:
    """One part of the report: a heading, a paragraph, a recommendation, an item."""

    kind: str  # chapter | section | subsection | paragraph | recommendation | item | agenda | loose
    where: str
    number: int | None = None
    letter: str = ""
    pieces: list[tuple[str, bool]] = field(default_factory=list)
    chapter: Node | None = None
    section: Node | None = None
    # A numbered sub-heading inside a section (or a chapter), whose numbers restart.
    subsection: Node | None = None
    # An item's chapeau paragraph; an agenda sub-item's item; an agenda entry's paragraph.
    parent: Node | None = None
    continued: bool = False

    # The joined text, kept until the next piece is added: extraction reads a paragraph's
    # text many times, and a long one costs its length each time.
    _joined: str | None = field(default=None, init=False, repr=False, compare=False)

    def add(self, line: Line, text: str | None = None) -> None:
        self.pieces.append((line.text.strip() if text is None else text, line.glue))
        self._joined = None

    @property
    def tail(self) -> str:
        """The end of the text, enough to test how it ends ("... the following agenda:"),
        without joining every piece: a paragraph grows line by line and is tested on each."""
        out = ""
        for piece, glue in self.pieces[-2:]:
            out += piece + ("" if glue else " ")
        return " ".join(out.split())

    @property
    def text(self) -> str:
        if self._joined is None:
            out = "".join(piece + ("" if glue else " ") for piece, glue in self.pieces)
            self._joined = " ".join(out.split())
        return self._joined

    @property
    def title(self) -> str:
        """A heading's text without "(continued)"."""
        return _CONTINUED.sub("", self.text).strip()

    @property
    def is_recommendations_chapter(self) -> bool:
        return self.kind == "chapter" and "recommendation" in self.title.lower()

    @property
    def roman(self) -> str:
        """A chapter's numeral as printed ("II")."""
        return ROMAN_NUMERALS[self.number - 1] if self.number else ""


@dataclass
class Structure:
    front: list[Line]
    nodes: list[Node]
    warnings: list[ReportWarning]


def read_structure(lines: list[Line]) -> Structure:
    return _Reader(lines).read()


class _Reader:
    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.front: list[Line] = []
        self.nodes: list[Node] = []
        self.warnings: list[ReportWarning] = []
        # With no chapter heading anywhere, the front matter ends at the first numbered part.
        self.has_chapters = any(
            _ROMAN.match(_strip_bullet(line.text.strip())) for line in lines if line.text
        )
        self.chapter: Node | None = None
        self.section: Node | None = None
        self.section_letters: list[str] = []
        self.subsection: Node | None = None
        self.subsection_number: int | None = None
        self.paragraph_number: int | None = None
        self.recommendation_number: int | None = None
        self.current: Node | None = None
        self.heading_open = False
        self.chapeau: Node | None = None
        self.item_letters: list[str] = []
        self.agenda: Node | None = None
        self.agenda_number: int | None = None
        self.agenda_item: Node | None = None
        self.agenda_letters: list[str] = []
        self._position_of: dict[int, int] = {}

    # --- the pass -------------------------------------------------------------------------

    def read(self) -> Structure:
        blank = page_break = False
        last_line, last_text = None, ""
        for index, line in enumerate(self.lines):
            check_time()
            raw = line.text.strip()
            if line.text == PAGE_BREAK or line.furniture:
                page_break = True
                continue
            if not raw:
                blank = True
                continue
            # A blank line ends a heading, unless it belongs to a page break: a long heading
            # may run onto the next page.
            if self.heading_open and blank and not page_break:
                self.heading_open = False
                self.current = None
            blank = page_break = False
            text = _strip_bullet(raw)
            last_line, last_text = line, text
            if not self._starts_part(line, text, index):
                self._continue(line, raw)
        if self.nodes and _BARE_HEADING.match(last_text):
            # Ending with a lone "B." would otherwise read as the end of the last sentence.
            raise ReportParseError(
                f"the text ends with the marker '{last_text}' and nothing after it: "
                "the file looks truncated",
                where=last_line.where,
            )
        self._check()
        return Structure(front=self.front, nodes=self.nodes, warnings=self.warnings)

    def _starts_part(self, line: Line, text: str, index: int) -> bool:
        in_front = not self.nodes
        match = _ROMAN.match(text)
        if match and _capitalised(match.group(2)) and match.group(1) in ROMAN_NUMERALS:
            number = ROMAN_NUMERALS.index(match.group(1)) + 1
            previous = self.chapter.number if self.chapter else None
            if self._in_sequence(number, previous, line, "chapter", gap=2, label=match.group(1)):
                self._chapter(line, number, match.group(2))
                return True
        if in_front and self.has_chapters:
            return False
        match = _RECOMMENDATION.match(text)
        if match and self._recommendations_allowed():
            self._recommendation(line, int(match.group(1)))
            return True
        match = _SECTION.match(text)
        if match and _capitalised(match.group(2)) and self._section_allowed(line, match):
            self._section(line, match.group(1), match.group(2))
            return True
        if self.agenda is not None and self._agenda_entry(line, text, index):
            return True
        match = _NUMBERED.match(text)
        if match and _capitalised(match.group(2)):
            number = int(match.group(1))
            # Before the paragraph check, which warns about gaps: "2. Victims of trafficking"
            # after paragraph 3 is a sub-heading, not a jump back in the numbering.
            if self._subsection_allowed(number, match.group(2), index):
                self._subsection(line, number, match.group(2))
                return True
            if self._paragraph_allowed(number, line):
                self._paragraph(line, number, match.group(2))
                return True
        match = _ITEM.match(text)
        if match and self.chapeau is not None and self._item_allowed(line, match.group(1)):
            self._item(line, match.group(1), match.group(2))
            return True
        return False

    def _continue(self, line: Line, raw: str) -> None:
        if not self.nodes or (self.has_chapters and self.chapter is None):
            self.front.append(line)
            return
        # A list marker the export put before a line that continues a sentence ("- on the").
        text = raw[2:] if raw.startswith(("- ", "• ")) and raw[2:3].islower() else raw
        if self.current is None:
            self.current = self._node("loose", line)
        self.current.add(line, text)
        if (
            self.current.kind == "paragraph"
            and self.agenda is None
            and _OPENS_AGENDA.search(self.current.tail)
        ):
            self._open_agenda(self.current)

    # --- starting parts -------------------------------------------------------------------

    def _node(self, kind: str, line: Line, **values) -> Node:
        node = Node(
            kind,
            line.where,
            chapter=self.chapter,
            section=self.section,
            subsection=self.subsection,
            **values,
        )
        self.nodes.append(node)
        return node

    def _chapter(self, line: Line, number: int, title: str) -> None:
        self._close_lists()
        self.chapter = self._node("chapter", line, number=number)
        self.chapter.chapter = self.chapter
        self.chapter.add(line, title)
        self.chapter.continued = bool(_CONTINUED.search(title))
        self.section = None
        self.section_letters = []
        self.subsection, self.subsection_number = None, None
        self.current, self.heading_open = self.chapter, True

    def _section(self, line: Line, letter: str, title: str) -> None:
        self._close_lists()
        self.subsection, self.subsection_number = None, None
        self.section = self._node("section", line, letter=letter)
        self.section.section = self.section
        self.section.add(line, title)
        self.section.continued = bool(_CONTINUED.search(title))
        self.section_letters.append(letter)
        self.current, self.heading_open = self.section, True

    def _subsection(self, line: Line, number: int, title: str) -> None:
        self._close_lists()
        self.subsection = None
        node = self._node("subsection", line, number=number)
        node.subsection = node
        node.add(line, title)
        self.subsection, self.subsection_number = node, number
        self.current, self.heading_open = node, True

    def _paragraph(self, line: Line, number: int, text: str) -> None:
        self._close_lists()
        self.paragraph_number = number
        node = self._node("paragraph", line, number=number)
        node.add(line, text)
        self.current, self.heading_open = node, False
        if self._in_recommendations():
            # Any numbered paragraph of the recommendations chapter may be a chapeau; it is one
            # when lettered items follow it.
            self.chapeau, self.item_letters = node, []
        if _OPENS_AGENDA.search(node.text):
            self._open_agenda(node)

    def _recommendation(self, line: Line, number: int) -> None:
        previous = self.recommendation_number
        if previous is not None and number <= previous:
            raise ReportParseError(
                f"'Recommendation {number}' comes after 'Recommendation {previous}': "
                "a recommendation is repeated or out of order",
                where=line.where,
            )
        if previous is not None and number > previous + 1:
            missing = _span(previous + 1, number - 1)
            self._warn(
                line,
                f"recommendation numbering jumps from {previous} to {number} "
                f"(no Recommendation {missing})",
            )
        self._close_lists()
        self.recommendation_number = number
        self.current = self._node("recommendation", line, number=number)
        self.heading_open = False

    def _item(self, line: Line, letter: str, text: str) -> None:
        node = self._node("item", line, letter=letter, parent=self.chapeau)
        node.add(line, text)
        self.item_letters.append(letter)
        self.current, self.heading_open = node, False

    def _open_agenda(self, paragraph: Node) -> None:
        self.agenda, self.agenda_number, self.agenda_item = paragraph, None, None
        self.agenda_letters = []

    def _close_lists(self) -> None:
        self.chapeau, self.item_letters = None, []
        self.agenda, self.agenda_item = None, None

    def _agenda_entry(self, line: Line, text: str, index: int) -> bool:
        match = _ITEM.match(text)
        if match and self.agenda_item is not None:
            expected = _next_letter(self.agenda_letters)
            if match.group(1) == expected:
                node = self._node("agenda", line, letter=match.group(1), parent=self.agenda_item)
                node.number = self.agenda_item.number
                node.add(line, match.group(2))
                self.agenda_letters.append(match.group(1))
                self.current, self.heading_open = node, False
                return True
        match = _NUMBERED.match(text)
        if not match:
            return False
        number = int(match.group(1))
        expected = 1 if self.agenda_number is None else self.agenda_number + 1
        if number != expected:
            return False
        expected_paragraph = (self.paragraph_number or 0) + 1
        if number == expected_paragraph and not self._agenda_follows(index, number):
            return False
        node = self._node("agenda", line, number=number, parent=self.agenda)
        node.add(line, match.group(2))
        self.agenda_number, self.agenda_item, self.agenda_letters = number, node, []
        self.current, self.heading_open = node, False
        return True

    def _agenda_follows(self, index: int, number: int) -> bool:
        """Whether the next numbered line continues the agenda (n + 1, or a sub-item)."""
        for line in itertools.islice(self.lines, index + 1, index + 12):
            text = _strip_bullet(line.text.strip())
            if _ITEM.match(text) and text.startswith("(a)"):
                return True
            match = _NUMBERED.match(text) or _SECTION.match(text) or _ROMAN.match(text)
            if match:
                return _NUMBERED.match(text) is not None and int(match.group(1)) == number + 1
        return False

    # --- what may come next ---------------------------------------------------------------

    def _in_recommendations(self) -> bool:
        return self.chapter is None or self.chapter.is_recommendations_chapter

    def _recommendations_allowed(self) -> bool:
        return self._in_recommendations() and (self.nodes or not self.has_chapters)

    def _section_allowed(self, line: Line, match: re.Match) -> bool:
        letter, title = match.group(1), match.group(2)
        if self.chapter is None and self.has_chapters:
            return False
        if not self.section_letters:
            if letter != "A" and not _CONTINUED.search(title):
                if ord(letter) - ord("A") > _LETTER_GAP:
                    return False
                self._warn(line, f"the first section of the chapter is {letter}, not A")
            return True
        return self._letter_in_sequence(letter, self.section_letters, line, "section", gap=2)

    def _subsection_allowed(self, number: int, text: str, index: int) -> bool:
        """Whether a numbered line is the next sub-heading of the section (or chapter).

        Its number must be the next sub-section number, it must read as a heading (short, no
        closing stop, over at most a few lines) and the next part must follow it: a numbered
        paragraph in sequence, a recommendation heading, a section or a chapter.
        """
        if self.section is None and self.chapter is None:
            return False
        if number != (self.subsection_number or 0) + 1:
            return False
        pieces = [text.strip()]
        blank = page_break = False
        looked = 0
        # islice, not a slice: a copy of the rest of the report for every numbered line would
        # make reading a long report quadratic.
        for line in itertools.islice(self.lines, index + 1, None):
            raw = line.text.strip()
            if line.text == PAGE_BREAK or line.furniture:
                page_break = True
                continue
            if not raw:
                blank = True
                continue
            looked += 1
            if looked > _LOOKAHEAD:
                return False
            following = _strip_bullet(raw)
            if self._opens_part_after_heading(following):
                heading = " ".join(pieces)
                return len(heading) <= _SUBHEADING_CHARACTERS and not _ENDS_SENTENCE.search(heading)
            # A blank line (not a page break's) ends a heading: text after it is not a part.
            if (blank and not page_break) or len(pieces) == _SUBHEADING_LINES:
                return False
            pieces.append(following)
            blank = page_break = False
        return False

    def _opens_part_after_heading(self, text: str) -> bool:
        match = _NUMBERED.match(text)
        if match:
            number = int(match.group(1))
            previous = self.paragraph_number
            return _capitalised(match.group(2)) and (
                previous is None or previous < number <= previous + 1 + _PARAGRAPH_GAP
            )
        if _RECOMMENDATION.match(text):
            return True
        heading = _SECTION.match(text) or _ROMAN.match(text)
        return heading is not None and _capitalised(heading.group(2))

    def _paragraph_allowed(self, number: int, line: Line) -> bool:
        if self.paragraph_number is None:
            return 1 <= number <= 999
        return self._in_sequence(
            number, self.paragraph_number, line, "paragraph", gap=_PARAGRAPH_GAP
        )

    def _item_allowed(self, line: Line, letter: str) -> bool:
        if not self.item_letters:
            return letter == "a"
        return self._letter_in_sequence(letter, self.item_letters, line, "item", gap=_LETTER_GAP)

    def _in_sequence(
        self, number: int, previous: int | None, line: Line, what: str, *, gap: int, label=None
    ) -> bool:
        if previous is None:
            return True
        if number == previous + 1:
            return True
        if previous + 1 < number <= previous + 1 + gap:
            shown = label or str(number)
            self._warn(line, f"{what} numbering jumps to {shown}: {what}s are missing before it")
            return True
        return False

    def _letter_in_sequence(
        self, letter: str, letters: list[str], line: Line, what: str, *, gap: int
    ) -> bool:
        expected = _next_letter(letters)
        if letter == expected:
            return True
        distance = ord(letter) - ord(expected)
        if 0 < distance <= gap:
            missing = ", ".join(chr(ord(expected) + n) for n in range(distance))
            self._warn(
                line,
                f"{what} ({letter}) follows ({letters[-1] if letters else '-'}): "
                f"({missing}) missing",
            )
            return True
        return False

    def _warn(self, line: Line, message: str) -> None:
        self.warnings.append(ReportWarning(line.where, message))

    # --- refusing what cannot be read -----------------------------------------------------

    def _introduces_what_follows(self, node: Node) -> bool:
        """Whether a paragraph ending with a colon announces the recommendations that follow
        ("adopted the following recommendations:", then sections or numbered paragraphs of its
        chapter), not a lettered list."""
        if not introduces_recommendations(node):
            return False
        position = self._positions()[id(node)]
        following = self.nodes[position + 1 : position + 2]
        return (
            bool(following)
            and following[0].chapter is node.chapter
            and following[0].kind in {"section", "subsection", "paragraph", "recommendation"}
        )

    def _positions(self) -> dict[int, int]:
        if len(self._position_of) != len(self.nodes):
            self._position_of = {id(node): index for index, node in enumerate(self.nodes)}
        return self._position_of

    def _check(self) -> None:
        last = next((node for node in reversed(self.nodes) if node.text), None)
        if last is None:
            return
        if last.kind in {"chapter", "section", "subsection"}:
            raise ReportParseError(
                f"the text ends with the heading '{last.text[:60]}': the file looks truncated",
                where=last.where,
            )
        if not _ENDS_SENTENCE.search(last.text):
            raise ReportParseError(
                f"the text ends mid-sentence ('...{last.text[-50:]}'): the file looks truncated",
                where=last.where,
            )
        items_of = {id(node.parent) for node in self.nodes if node.kind in {"item", "agenda"}}
        for node in self.nodes:
            if node.kind == "recommendation":
                if not node.text:
                    raise ReportParseError(
                        f"Recommendation {node.number} has no text", where=node.where
                    )
                if not _ENDS_SENTENCE.search(node.text):
                    raise ReportParseError(
                        f"Recommendation {node.number} ends mid-sentence ('...{node.text[-50:]}')",
                        where=node.where,
                    )
            elif node.kind == "item" and not _ENDS_SENTENCE.search(node.text):
                raise ReportParseError(
                    f"item ({node.letter}) of paragraph {node.parent.number} ends mid-sentence "
                    f"('...{node.text[-50:]}')",
                    where=node.where,
                )
            elif (
                node.kind == "paragraph"
                and node.text.endswith(":")
                and id(node) not in items_of
                and not self._introduces_what_follows(node)
            ):
                raise ReportParseError(
                    f"paragraph {node.number} announces a list ('...{node.text[-50:]}') "
                    "but no list follows it",
                    where=node.where,
                )


def introduces_recommendations(node: Node) -> bool:
    """A paragraph of the recommendations chapter that says the recommendations follow."""
    return (
        node.kind == "paragraph"
        and node.chapter is not None
        and node.chapter.is_recommendations_chapter
        and INTRODUCES_RECOMMENDATIONS.search(node.text) is not None
    )


def _strip_bullet(text: str) -> str:
    return _BULLET.sub("", text)


def _capitalised(text: str) -> bool:
    return bool(text) and (text[0].isupper() or text[0] in "\u201c\"'\u2018(")


def _next_letter(letters: list[str]) -> str:
    return chr(ord(letters[-1]) + 1) if letters else "a"


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"
