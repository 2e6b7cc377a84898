"""Reading a WGSOM meeting report (plain text, .docx or .pdf) into plain data.

    report = parse_report(data, filename="report.pdf")
    report.recommendations[0].label, report.recommendations[0].text

The parser is pure: no models, no database. It either returns everything it found, with
warnings for what staff should check (numbering gaps, guesses), or raises `ReportParseError`
saying where and why; it never returns half a report. Writing what it found is
`ingest.services.report_import`'s job.

The stages, each in its own module: `readers` (bytes to pages of lines), `cleaning` (page
headers and footers, footnotes, hyphenation), `structure` (chapters, sections, sub-sections,
numbered paragraphs, recommendations, lists), `extract` (meeting, agenda, recommendations,
attendance, statements) and `bodies` (whose report it is: a report of a body this product does
not track is refused).

The parser is plain Python and reads no configuration: which bodies are tracked is passed as
`tracked_prefixes` (ingest.services passes the setting INGEST_TRACKED_SYMBOL_PREFIXES, so the
import command and the staff page refuse the same reports); without it, the Working Group's own
prefix (CTOC/COP/WG.7).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from pathlib import Path

from .bodies import (
    DEFAULT_TRACKED_PREFIXES,
    KNOWN_BODIES,
    Body,
    body_names,
    check_body,
    symbol_series,
)
from .cleaning import clean
from .extract import extract
from .languages import (
    LanguageRecommendation,
    LanguageVersion,
    parse_language_version,
)
from .limits import DEFAULT_LIMITS, Limits, time_budget
from .readers import FORMATS, read_pages
from .structure import Structure, read_structure
from .types import (
    CAPACITIES,
    ParsedReport,
    ReportAgendaItem,
    ReportMeeting,
    ReportParseError,
    ReportRecommendation,
    ReportStatement,
    ReportWarning,
)

__all__ = [
    "CAPACITIES",
    "DEFAULT_LIMITS",
    "DEFAULT_TRACKED_PREFIXES",
    "SUPPORTED_EXTENSIONS",
    "LanguageRecommendation",
    "LanguageVersion",
    "Limits",
    "ParsedReport",
    "ReportAgendaItem",
    "ReportMeeting",
    "ReportParseError",
    "ReportRecommendation",
    "ReportStatement",
    "ReportWarning",
    "parse_language_version",
    "parse_report",
    "parse_report_file",
    "parse_report_text",
]

SUPPORTED_EXTENSIONS = tuple(FORMATS)


def parse_report(
    data: bytes,
    *,
    filename: str,
    known_names: Collection[str] = (),
    tracked_prefixes: Collection[str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ParsedReport:
    """Everything the report in `data` says; the format comes from `filename`'s extension.

    A file past one of `limits` (lines, list numbers, unpacked size, time) is refused with
    ReportParseError naming the limit and the value.

    `known_names` (State and organization names) only helps split lists such as "..., Trinidad
    and Tobago and Uruguay"; the parser reads every report without it. `tracked_prefixes` are
    the symbol prefixes of the bodies whose reports are accepted (see the module's docstring);
    a report of another body raises ReportParseError naming the body.
    """
    with time_budget(limits.seconds):
        return _parse(
            data,
            filename=filename,
            known_names=known_names,
            tracked_prefixes=tracked_prefixes,
            limits=limits,
        )


def _parse(
    data: bytes,
    *,
    filename: str,
    known_names: Collection[str],
    tracked_prefixes: Collection[str] | None,
    limits: Limits,
) -> ParsedReport:
    fmt, pages = read_pages(data, filename=filename, limits=limits)
    cleaned = clean(pages, fmt=fmt)
    structure = read_structure(cleaned.lines)
    body = Body(
        symbol=cleaned.symbol, symbol_where=cleaned.symbol_where, names=body_names(structure.front)
    )
    # Before anything else is judged: another body's report is refused for being one, not
    # for whatever else it does differently.
    body_warnings = check_body(body, tracked_prefixes=_tracked(tracked_prefixes))
    report, warnings = extract(structure, known_names=known_names)
    report.symbol = cleaned.symbol
    report.body = body.name or KNOWN_BODIES.get(symbol_series(cleaned.symbol), "")
    report.distribution = cleaned.distribution
    report.distributed = cleaned.distributed
    report.source_format = fmt
    report.pages = len(pages)
    report.warnings = [*body_warnings, *cleaned.warnings, *structure.warnings, *warnings]
    _check(report, structure)
    return report


def parse_report_text(
    text: str,
    *,
    known_names: Collection[str] = (),
    tracked_prefixes: Collection[str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ParsedReport:
    return parse_report(
        text.encode("utf-8"),
        filename="report.txt",
        known_names=known_names,
        tracked_prefixes=tracked_prefixes,
        limits=limits,
    )


def parse_report_file(
    path: Path,
    *,
    known_names: Collection[str] = (),
    tracked_prefixes: Collection[str] | None = None,
) -> ParsedReport:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ReportParseError(f"cannot read {Path(path).name} ({exc.strerror})") from None
    return parse_report(
        data,
        filename=Path(path).name,
        known_names=known_names,
        tracked_prefixes=tracked_prefixes,
    )


def _tracked(prefixes: Collection[str] | None) -> Collection[str]:
    return DEFAULT_TRACKED_PREFIXES if prefixes is None else prefixes


def _check(report: ParsedReport, structure: Structure) -> None:
    if not (
        report.recommendations or report.agenda_items or report.attendance or report.statements
    ):
        where = structure.nodes[0].where if structure.nodes else ""
        raise ReportParseError(
            f"found {_found(structure)} but no recommendations, agenda, attendance or "
            "statements: this does not read as a meeting report in the UN layout (numbered "
            "chapters 'I. ...', sections 'A. ...', numbered paragraphs, 'Recommendation N' "
            "headings or recommendations as numbered paragraphs of a recommendations chapter)",
            where=where,
        )
    counts = Counter(recommendation.label for recommendation in report.recommendations)
    repeated = sorted(label for label, count in counts.items() if count > 1)
    if repeated:
        first = next(r for r in report.recommendations if r.label == repeated[0])
        raise ReportParseError(
            f"recommendation {repeated[0]} appears more than once", where=first.where
        )


def _found(structure: Structure) -> str:
    """What the structure holds, for a refusal: "chapters I 'Introduction' and II '...', 1
    section and 3 numbered paragraphs"."""
    chapters = [node for node in structure.nodes if node.kind == "chapter"]
    counts = {
        kind: sum(1 for node in structure.nodes if node.kind == kind)
        for kind in ("section", "paragraph")
    }
    parts = []
    if chapters:
        named = [f"{chapter.roman} '{chapter.title[:50]}'" for chapter in chapters[:4]]
        more = f" and {len(chapters) - 4} more" if len(chapters) > 4 else ""
        parts.append(("chapter " if len(chapters) == 1 else "chapters ") + ", ".join(named) + more)
    if counts["section"]:
        parts.append(f"{counts['section']} section" + ("s" if counts["section"] > 1 else ""))
    if counts["paragraph"]:
        parts.append(
            f"{counts['paragraph']} numbered paragraph" + ("s" if counts["paragraph"] > 1 else "")
        )
    if not parts:
        return "no numbered chapter, section or paragraph"
    return ", ".join(parts)
