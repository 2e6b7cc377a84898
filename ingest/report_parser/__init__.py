"""Reading a WGSOM meeting report (plain text, .docx or .pdf) into plain data.

    report = parse_report(data, filename="report.pdf")
    report.recommendations[0].label, report.recommendations[0].text

The parser is pure: no models, no database, no settings. It either returns everything it
found, with warnings for what staff should check (numbering gaps, guesses), or raises
`ReportParseError` saying where and why; it never returns half a report. Writing what it found
is `meetings.services.report_import`'s job.

The stages, each in its own module: `readers` (bytes to pages of lines), `cleaning` (page
headers and footers, footnotes, hyphenation), `structure` (chapters, sections, numbered
paragraphs, recommendations, lists) and `extract` (meeting, agenda, recommendations,
attendance, statements).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from .cleaning import clean
from .extract import extract
from .readers import FORMATS, read_pages
from .structure import read_structure
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
    "SUPPORTED_EXTENSIONS",
    "ParsedReport",
    "ReportAgendaItem",
    "ReportMeeting",
    "ReportParseError",
    "ReportRecommendation",
    "ReportStatement",
    "ReportWarning",
    "parse_report",
    "parse_report_file",
    "parse_report_text",
]

SUPPORTED_EXTENSIONS = tuple(FORMATS)


def parse_report(data: bytes, *, filename: str, known_names: Collection[str] = ()) -> ParsedReport:
    """Everything the report in `data` says; the format comes from `filename`'s extension.

    `known_names` (State and organization names) only helps split lists such as "..., Trinidad
    and Tobago and Uruguay"; the parser reads every report without it.
    """
    fmt, pages = read_pages(data, filename=filename)
    cleaned = clean(pages, fmt=fmt)
    structure = read_structure(cleaned.lines)
    report, warnings = extract(structure, known_names=known_names)
    report.distribution = cleaned.distribution
    report.distributed = cleaned.distributed
    report.source_format = fmt
    report.pages = len(pages)
    report.warnings = [*cleaned.warnings, *structure.warnings, *warnings]
    _check(report)
    return report


def parse_report_text(text: str, *, known_names: Collection[str] = ()) -> ParsedReport:
    return parse_report(text.encode("utf-8"), filename="report.txt", known_names=known_names)


def parse_report_file(path: Path, *, known_names: Collection[str] = ()) -> ParsedReport:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ReportParseError(f"cannot read {Path(path).name} ({exc.strerror})") from None
    return parse_report(data, filename=Path(path).name, known_names=known_names)


def _check(report: ParsedReport) -> None:
    if not (
        report.recommendations or report.agenda_items or report.attendance or report.statements
    ):
        raise ReportParseError(
            "found no recommendations, agenda, attendance or statements: this does not read "
            "as a meeting report in the UN layout (numbered chapters 'I. ...', sections "
            "'A. ...', numbered paragraphs, 'Recommendation N' headings)"
        )
    labels = [recommendation.label for recommendation in report.recommendations]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        first = next(r for r in report.recommendations if r.label == repeated[0])
        raise ReportParseError(
            f"recommendation {repeated[0]} appears more than once", where=first.where
        )
