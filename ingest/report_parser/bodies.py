"""Which body a report is a report of, and whether it is one this product tracks.

UN documents carry their body in their symbol: the Working Group on the Smuggling of Migrants
publishes under CTOC/COP/WG.7/..., the Working Group on Trafficking in Persons under
CTOC/COP/WG.4/... (its report of 27-29 January 2010 is CTOC/COP/WG.4/2010/6). The symbol
decides; a copy without one (a text export, say) is judged by the body its first page names.
The other working groups' reports share the layout, the Conference and much of the wording, so
without this check one of them would be imported into the Working Group's meetings.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from .readers import PAGE_BREAK, Line
from .types import ReportParseError, ReportWarning

WORKING_GROUP_PREFIX = "CTOC/COP/WG.7"
WORKING_GROUP = "Working Group on the Smuggling of Migrants"
DEFAULT_TRACKED_PREFIXES = (WORKING_GROUP_PREFIX,)

# The bodies whose symbol series the documents in data/sources and the reports above show, so
# that a refusal can name the body of a report that gives its symbol but not its name.
KNOWN_BODIES = {
    WORKING_GROUP_PREFIX: WORKING_GROUP,
    "CTOC/COP/WG.4": "Working Group on Trafficking in Persons",
}

# Words that may join the capitalised words of a body's name ("Trafficking in Persons").
_JOINING = {"of", "in", "and", "the", "on", "for", "against", "by", "to"}
_START = re.compile(r"\bWorking\s+Group\s+(?=on\b|of\b)")
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Body:
    """What the report says about its body: its symbol, and the working groups its first page
    names with where each is named (the first is the report's own, as a rule)."""

    symbol: str = ""
    symbol_where: str = ""
    names: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return self.names[0][0] if self.names else ""

    @property
    def name_where(self) -> str:
        return self.names[0][1] if self.names else ""


def body_names(front: list[Line]) -> tuple[tuple[str, str], ...]:
    """The working groups the first page names, and where: "Working Group on Trafficking in
    Persons" from its heading or from "Report on the meeting of the Working Group on
    Trafficking in Persons held in ...", across a line break inside the name."""
    rows = [("" if line.text == PAGE_BREAK else line.text.strip(), line.where) for line in front]
    found: list[tuple[str, str]] = []
    for index, (text, where) in enumerate(rows):
        # The name may run onto the next lines of a wrapped title.
        following = [row for row, _ in rows[index + 1 : index + 3] if row]
        for match in _START.finditer(text):
            name = _name_from(text[match.start() :], following)
            if name not in [known for known, _ in found]:
                found.append((name, where))
    return tuple(found)


def _name_from(start: str, following: list[str]) -> str:
    words = start.split()[:3]  # "Working Group on" / "Working Group of"
    lines = [start.split()[3:], *[row.split() for row in following]]
    for number, tokens in enumerate(lines):
        for position, token in enumerate(tokens):
            word = token.rstrip(",.;:")
            if number and position == 0 and words[-1].lower() not in _JOINING:
                # A new line after a complete name: a venue line, a title.
                return _trimmed(words)
            if not (word[:1].isupper() or word in _JOINING) or not word:
                return _trimmed(words)
            words.append(word)
            if word != token:  # the name ended with punctuation
                return _trimmed(words)
    return _trimmed(words)


def _trimmed(words: list[str]) -> str:
    while words and words[-1] in _JOINING:
        words.pop()
    return " ".join(words)


def _key(name: str) -> str:
    return " ".join(word for word in name.casefold().split() if word != "the")


def symbol_series(symbol: str) -> str:
    """The part of a symbol that names the body: "CTOC/COP/WG.7" of "CTOC/COP/WG.7/2020/4"."""
    parts = symbol.split("/")
    for index, part in enumerate(parts):
        if re.fullmatch(r"\d{4}", part):
            return "/".join(parts[:index])
    return "/".join(parts[:-1]) if len(parts) > 2 else symbol


def is_tracked(symbol: str, prefixes: Collection[str]) -> bool:
    return any(
        symbol == prefix.rstrip("/") or symbol.startswith(prefix.rstrip("/") + "/")
        for prefix in prefixes
    )


def _tracked_names(prefixes: Collection[str]) -> str:
    """Each prefix with its body's name where known: "CTOC/COP/WG.7 (Working Group on ...)"."""
    shown = []
    for prefix in prefixes:
        name = KNOWN_BODIES.get(prefix.rstrip("/"))
        shown.append(f"{prefix} ({name})" if name else prefix)
    return ", ".join(shown)


def check_body(body: Body, *, tracked_prefixes: Collection[str]) -> list[ReportWarning]:
    """Refuse a report of a body not tracked (ReportParseError naming the body it found);
    return the warnings for a report whose symbol and name disagree or that gives neither.
    """
    tracked = f"this tracker imports reports of {_tracked_names(tracked_prefixes)} only"
    if body.symbol:
        series = symbol_series(body.symbol)
        of_series = KNOWN_BODIES.get(series, "")
        if not is_tracked(body.symbol, tracked_prefixes):
            named = body.name or of_series
            found = _the(named) if named else f"the body whose documents are numbered {series}/..."
            raise ReportParseError(
                f"the report's symbol {body.symbol} makes it a report of {found}; {tracked}",
                where=body.symbol_where,
            )
        if body.name and of_series and _key(body.name) != _key(of_series):
            return [
                ReportWarning(
                    body.name_where,
                    f"the first page names {_the(body.name)}, but the symbol {body.symbol} is "
                    f"that of {_the(of_series)}: read by its symbol",
                )
            ]
        return []
    if body.names:
        tracked_keys = {
            _key(KNOWN_BODIES[prefix.rstrip("/")])
            for prefix in tracked_prefixes
            if prefix.rstrip("/") in KNOWN_BODIES
        }
        if any(_key(name) in tracked_keys for name, _where in body.names):
            return []
        raise ReportParseError(
            f"the report names itself a report of {_the(body.name)} and prints no document "
            f"symbol; {tracked} (a report of another tracked body needs its symbol on the page)",
            where=body.name_where,
        )
    return [
        ReportWarning(
            "",
            "found neither a document symbol nor the name of a working group on the first "
            f"page: read as a report of {_the(WORKING_GROUP)}; check it is one",
        )
    ]


def _the(name: str) -> str:
    return f"the {name}" if name.startswith("Working Group") else name
