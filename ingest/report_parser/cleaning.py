"""From pages of raw lines to the report's running text, without what the page layout adds.

UN documents carry, on every page, things that are not part of the text: the document symbol
in the header ("CTOC/COP/WG.7/2020/4"), the job number and page counter in the footer
("V.20-04970 3/11"), a barcode ("*2004970*"), the "Distr.:" block, footnotes and their markers.
A paragraph, a recommendation or a list runs across page breaks, and words are hyphenated at
line ends. This module removes the former and records where the latter happen, so that the
structure reader sees one continuous text. Typographic quotes and dashes are kept as they are:
recommendation texts are stored verbatim.
"""

from __future__ import annotations

import datetime
import html
import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from .limits import check_time
from .readers import PAGE_BREAK, Line
from .types import ReportWarning

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTH = "|".join(MONTHS)
DATE = rf"(\d{{1,2}})\s+({MONTH})\s+(\d{{4}})"

_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u2002\u2003\u2004\u2005\t"), " ")
_SPACES |= dict.fromkeys(map(ord, "\u200b\ufeff\u200e\u200f"), None)
_SPACES |= dict.fromkeys(map(ord, "\u2010\u2011"), "-")
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}

# The document symbol alone on a line, as in the running header: "CTOC/COP/WG.7/2020/4".
SYMBOL_LINE = re.compile(r"^(?:United Nations\s+)?([A-Z]{1,6}(?:/[A-Za-z0-9.]+){2,})$")

# Lines that are page furniture wherever they appear.
_FURNITURE = [
    # Job number, with the page counter on either side, the "(E)" of the English version and
    # the processing dates of the first page: "V.20-04970 3/11", "2/11 V.20-04970",
    # "V.20-04970 (E) 240920 250920".
    re.compile(
        r"^(?:\d{1,3}/\d{1,3}\s+)?[A-Z]\.?\s?\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6}){0,2}"
        r"(?:\s+\d{1,3}/\d{1,3})?$"
    ),
    # A page counter alone: "3/11", "Page 3 of 11", "- 3 -".
    re.compile(r"^(?:Page\s+)?\d{1,3}\s*(?:/|of)\s*\d{1,3}$", re.IGNORECASE),
    re.compile(r"^-\s*\d{1,3}\s*-$"),
    # The barcode of the job number: "*2004970*".
    re.compile(r"^\*\d{7}\*$"),
    # The document symbol alone, as in the running header: "CTOC/COP/WG.7/2020/4".
    SYMBOL_LINE,
    re.compile(r"^United Nations$"),
    re.compile(r"^Original:\s*[A-Z][a-z]+(?:/[A-Z][a-z]+)*$"),
]
_DISTRIBUTION = re.compile(rf"^Distr\.?:\s*([A-Z][a-z]+)(?:\s+{DATE})?$")
_DATE_LINE = re.compile(rf"^{DATE}$")

# Lines that start a part of the report's structure; never taken for page furniture.
# A recommendation's heading in the languages a report's language version is read in
# (languages.py), so that headings at the top of several pages are not taken for running heads.
_HEADINGS = (
    r"(?:Recommendation|Recommandation|Recomendaci[oó]n|Рекомендация|التوصية)\s+\d+\b"
    r"|建议\s*\d+"
)
STRUCTURE = re.compile(
    rf"^(?:[-•]\s+)?(?:{_HEADINGS}|[IVX]{{1,5}}\.\s|[A-Z]\.\s|\d{{1,3}}\.\s|\([a-z]\)\s)"
)

_FOOTNOTE_START = re.compile(r"^(\d{1,2}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s+\S")
_SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_SUSPENDED = re.compile(r"^(?:and|or)\s+[A-Za-z]+-[A-Za-z]")
# Markdown markup, written so that no scan runs past the next opening delimiter.
_SUP_MARKER = re.compile(r"<sup>\s*\d+\s*</sup>")
_TAG = re.compile(r"</?(?:sup|sub|em|strong|b|i|u|span)[^<>]*>")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()\[\]]*\)")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)(?!\d+\*)([^*]+?)(?<=\S)\*(?![\w*])")
# A word hyphenated at the line's end; the look-behind starts a match only at a word's first
# letter, so a line of one long word is scanned once, not once per letter.
_TRAILING_HYPHENATED = re.compile(r"(?<![A-Za-z])[A-Za-z]+-$")


@dataclass
class Cleaned:
    lines: list[Line]
    distribution: str = ""
    distributed: datetime.date | None = None
    # The first document symbol printed alone on a line (the first page's, or a running head),
    # and where: it says which body the report belongs to.
    symbol: str = ""
    symbol_where: str = ""
    warnings: list[ReportWarning] = field(default_factory=list)


def parse_day(day: str, month: str, year: str) -> datetime.date | None:
    try:
        return datetime.date(int(year), MONTHS.index(month) + 1, int(day))
    except ValueError:
        return None


def clean(pages: list[list[Line]], *, fmt: str) -> Cleaned:
    """The report's lines, in order, with page breaks as `Line(PAGE_BREAK)` markers."""
    result = Cleaned(lines=[])
    for page in pages:
        check_time()
        for line in page:
            line.text = _normalise(line.text, markdown=fmt == "text")
    footers: set[int] = set()
    for page in pages:
        for line in page:
            text = line.text.strip()
            if any(pattern.match(text) for pattern in _FURNITURE):
                if any(pattern.match(text) for pattern in _FURNITURE[:3]):
                    footers.add(id(line))
                symbol = SYMBOL_LINE.match(text)
                if symbol and not result.symbol:
                    result.symbol, result.symbol_where = symbol.group(1), line.where
                line.text, line.furniture = "", True
    # Text copied out of a PDF has no page breaks, but its page footers still mark them.
    paged = pages if len(pages) > 1 else _pages_at_footers(pages[0], footers)
    _remove_running_heads(paged)
    _remove_distribution([line for page in pages for line in page], result)
    for page in paged:
        _remove_footnotes(page, result)
    for number, page in enumerate(pages):
        if number:
            result.lines.append(Line(PAGE_BREAK, page[0].where if page else "", page=number + 1))
        result.lines.extend(page)
    _join_hyphenated(result)
    return result


def _normalise(text: str, *, markdown: bool) -> str:
    text = text.translate(_SPACES)
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    if markdown:
        # The plain-text copies of the reports are Markdown exports: headings, emphasis,
        # links and footnote references are markup, not text.
        text = html.unescape(text)
        text = re.sub(r"^\s*#{1,6}\s+", "", text)
        text = re.sub(r"\[\^\w+\]:.*$", "", text)
        text = re.sub(r"\[\^\w+\]", "", text)
        # Each pattern below stops its scan at the next opening delimiter ("<", "[", "*"), so
        # that a line of a thousand unclosed "[" or "<b" costs one pass, not one per
        # delimiter: these lines come from uploads.
        text = _SUP_MARKER.sub("", text)
        text = _TAG.sub("", text)
        text = _LINK.sub(r"\1", text)
        text = _BOLD.sub(r"\1", text)
        # (Not "*2004970*": that is the barcode of the job number, page furniture.)
        text = _EMPHASIS.sub(r"\1", text)
    # Superscript digits are footnote markers wherever they are glued to a word.
    text = re.sub(r"(?<=\S)[¹²³⁴⁵⁶⁷⁸⁹⁰]+", "", text)
    return text.rstrip()


def _remove_distribution(lines: list[Line], result: Cleaned) -> None:
    """Take the "Distr.: General / 23 September 2020" block out, keeping its first values."""
    for index, line in enumerate(lines):
        match = _DISTRIBUTION.match(line.text.strip())
        if not match:
            continue
        line.text = ""
        date = parse_day(*match.groups()[1:]) if match.group(2) else None
        following = next((later for later in lines[index + 1 :] if later.text.strip()), None)
        found = _DATE_LINE.match(following.text.strip()) if following else None
        if found and date is None:
            date = parse_day(*found.groups())
            following.text = ""
        if not result.distribution:
            result.distribution, result.distributed = match.group(1), date


def _pages_at_footers(lines: list[Line], footers: set[int]) -> list[list[Line]]:
    pages: list[list[Line]] = [[]]
    for line in lines:
        pages[-1].append(line)
        if id(line) in footers:
            pages.append([])
    return [page for page in pages if page]


def _remove_running_heads(pages: list[list[Line]]) -> None:
    """Lines repeated at the top or bottom of most pages are running heads or feet.

    Digits are ignored in the comparison, so that "Page 3" and "Page 4" are the same head. Only
    the first and last two lines of a page count, on at least three pages and most of them,
    and never a line that could be text: one that starts a part of the report, continues a
    sentence (lower case) or ends one.
    """
    pages = [page for page in pages if any(line.text.strip() for line in page)]
    if len(pages) < 3:
        return
    edges: list[list[Line]] = []
    for page in pages:
        content = [line for line in page if line.text.strip()]
        edges.append(content[:2] + content[-2:] if len(content) > 4 else content)
    edges = [[line for line in edge if not STRUCTURE.match(line.text.strip())] for edge in edges]
    counts: Counter[str] = Counter()
    for edge in edges:
        counts.update({_head_key(line.text) for line in edge})
    needed = max(3, math.ceil(len(pages) * 0.6))
    repeated = {
        key
        for key, count in counts.items()
        if count >= needed
        and len(key) <= 100
        and not STRUCTURE.match(key)
        and not key[:1].islower()
        and not re.search(r"[.;:,]$", key)
    }
    for edge in edges:
        for line in edge:
            if _head_key(line.text) in repeated:
                line.text, line.furniture = "", True


def _head_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()))


def _remove_footnotes(page: list[Line], result: Cleaned) -> None:
    """Footnotes at the foot of a page, and their markers glued to words above them.

    A trailing block counts as footnotes only when its first number also appears as a marker
    in the page's text ("Convention1"), so that a line that happens to start with a number
    ("1 June 2012, ...") is never taken for one.
    """
    content = [index for index, line in enumerate(page) if line.text.strip()]
    if len(content) < 2:
        return
    body_text = ""
    start = None
    for position in content[-15:]:
        match = _FOOTNOTE_START.match(page[position].text.strip())
        if not match:
            continue
        number = match.group(1).translate(_SUPERSCRIPTS)
        body_text = " ".join(page[index].text for index in content if index < position)
        if _marker(number).search(body_text):
            start = position
            break
    if start is None:
        return
    numbers = []
    for line in page[start:]:
        match = _FOOTNOTE_START.match(line.text.strip())
        if match:
            numbers.append(match.group(1).translate(_SUPERSCRIPTS))
        if line.text.strip():
            result.warnings.append(
                ReportWarning(line.where, f"footnote text left out: {line.text.strip()[:80]!r}")
            )
        line.text, line.furniture = "", True
    for line in page[:start]:
        for number in numbers:
            line.text = _marker(number).sub("", line.text)


def _marker(number: str) -> re.Pattern[str]:
    # A footnote marker is glued to the word or punctuation before it: "Convention1",
    # "crises,2", "“hotspots”3".
    return re.compile(rf"(?<=[a-z)\].,;:\u201d\u2019\"']){number}(?![\d/.-]?\d)(?=[\s,.;:)]|$)")


def _join_hyphenated(result: Cleaned) -> None:
    """Rejoin words hyphenated at line ends (across page breaks too).

    A soft hyphen always joins. A visible hyphen is kept when the hyphenated word appears
    elsewhere in the report ("awareness-raising"), dropped when the whole word does
    ("recom-mendations"); otherwise it is kept, since UN documents break lines after the
    hyphen of a compound far more often than they hyphenate words, and a warning says so.
    """
    lines = result.lines
    content = [
        index for index, line in enumerate(lines) if line.text.strip() and line.text != PAGE_BREAK
    ]
    words: Counter[str] = Counter()
    compounds: set[str] = set()
    for index in content:
        text = lines[index].text
        if text.endswith("-"):
            text = _TRAILING_HYPHENATED.sub("", text)
        for word in _WORD.findall(text):
            lowered = word.lower()
            if "-" in lowered:
                compounds.add(lowered)
            else:
                words[lowered] += 1
    for current, following in itertools.pairwise(content):
        line, after = lines[current], lines[following]
        text = line.text.rstrip()
        if text.endswith("\u00ad"):
            line.text = text.rstrip("\u00ad")
            line.glue = True
            continue
        left = re.search(r"(?<![A-Za-z-])([A-Za-z]+(?:-[A-Za-z]+)*)-$", text)
        next_text = after.text.lstrip()
        if not left or not next_text or STRUCTURE.match(next_text):
            continue
        if _SUSPENDED.match(next_text):
            # "gender- and age-sensitive": a hyphen left hanging before "and" or "or" and a
            # compound, not a word broken at the line end.
            continue
        line.glue = True
        if not next_text[0].islower():
            # "Counter-\nTerrorism", "COVID-\n19": a compound of capitalised words or numbers.
            line.text = text
            continue
        head = left.group(1).lower().rsplit("-", 1)[-1]
        tail = re.match(r"[a-z]+", next_text)
        tail_word = tail.group(0) if tail else ""
        if f"{head}-{tail_word}" in compounds:
            line.text = text
        elif head + tail_word in words:
            line.text = text[:-1]
        else:
            line.text = text
            result.warnings.append(
                ReportWarning(
                    line.where,
                    f"read '{head}-{tail_word}' at a line end as a hyphenated word; check it",
                )
            )
    for line in lines:
        line.text = line.text.replace("\u00ad", "")
