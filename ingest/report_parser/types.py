"""What the report parser finds, as plain data: no models, no database.

Every type converts to and from plain JSON-ready dicts (`to_dict` / `from_dict`), because the
same shape is printed by `import_report --format json`, documented in the README and carried
between the upload and the confirm step of the staff import page.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field, fields
from typing import Any

# Attendance capacities, in the order reports list them (the values of
# meetings.models.ParticipationCapacity; repeated here so that the parser needs no Django).
CAPACITIES = (
    "party",
    "signatory_observer",
    "non_party_observer",
    "organization_observer",
    "other_entity_observer",
)


class ReportParseError(ValueError):
    """The report cannot be read: says where (line, page or paragraph) and why.

    Raised instead of returning a partial result, so that nothing is ever half imported.
    """

    def __init__(self, message: str, *, where: str = "") -> None:
        self.message = " ".join(message.split())
        self.where = where
        super().__init__(f"{where}: {self.message}" if where else self.message)


@dataclass(frozen=True)
class ReportWarning:
    """Something the parser read but staff should check (a numbering gap, a guess)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class ReportMeeting:
    ordinal: int | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    venue: str = ""
    # One of meetings.models.MeetingFormat's values; "unknown" when the report does not say.
    format: str = "unknown"
    chair: str = ""
    chair_state: str = ""

    @property
    def year(self) -> int | None:
        return self.start_date.year if self.start_date else None


@dataclass
class ReportAgendaItem:
    number: int
    sub_letter: str = ""
    # Blank where the report refers to the item without giving its title.
    title: str = ""

    @property
    def label(self) -> str:
        return f"{self.number} ({self.sub_letter})" if self.sub_letter else str(self.number)


@dataclass
class ReportRecommendation:
    label: str
    text: str
    section: str = ""
    section_title: str = ""
    # The numbered sub-heading the recommendation comes under ("2", "Victims of trafficking"),
    # numbered afresh in each section; blank where the report has none.
    subsection: str = ""
    subsection_title: str = ""
    # Label of the agenda item the section follows ("2"), None where the report does not say.
    agenda_item: str | None = None
    chapeau: str = ""
    where: str = ""


@dataclass
class ReportStatement:
    # One of meetings.models.StatementKind's values: panel, national, observer, secretariat.
    kind: str
    agenda_items: list[str] = field(default_factory=list)
    state: str = ""
    organization: str = ""
    speaker: str = ""
    speaker_title: str = ""
    # The regional group as the report names it, without "the Group of": "African States".
    on_behalf_of: str = ""


@dataclass
class ParsedReport:
    """Everything read from one report, in the order of the report."""

    title: str = ""
    # The document symbol ("CTOC/COP/WG.7/2020/4") where the pages print it, and the body the
    # report names itself a report of ("Working Group on the Smuggling of Migrants").
    symbol: str = ""
    body: str = ""
    # "General", "Limited", ... and the date under it.
    distribution: str = ""
    distributed: datetime.date | None = None
    # "adopted" for a report, "draft" for a draft report (the recommendations' status).
    status: str = "adopted"
    meeting: ReportMeeting = field(default_factory=ReportMeeting)
    agenda_items: list[ReportAgendaItem] = field(default_factory=list)
    recommendations: list[ReportRecommendation] = field(default_factory=list)
    attendance: dict[str, list[str]] = field(default_factory=dict)
    statements: list[ReportStatement] = field(default_factory=list)
    warnings: list[ReportWarning] = field(default_factory=list)
    # Where the text came from: "text", "docx" or "pdf", and how many pages it had.
    source_format: str = "text"
    pages: int = 1

    @property
    def source_line(self) -> str:
        """How a recommendation names its source document: "<title> (23 September 2020)"."""
        if self.distributed:
            return f"{self.title} ({self.distributed:%d %B %Y})"
        return self.title

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape documented in the README ("Importing a meeting report")."""
        return {
            "document": {
                "title": self.title,
                "symbol": self.symbol,
                "body": self.body,
                "distribution": self.distribution,
                "distributed": _iso(self.distributed),
                "status": self.status,
                "format": self.source_format,
                "pages": self.pages,
            },
            "meeting": {
                "ordinal": self.meeting.ordinal,
                "year": self.meeting.year,
                "start_date": _iso(self.meeting.start_date),
                "end_date": _iso(self.meeting.end_date),
                "venue": self.meeting.venue,
                "format": self.meeting.format,
                "chair": self.meeting.chair,
                "chair_state": self.meeting.chair_state,
            },
            "agenda_items": [{"label": item.label, **asdict(item)} for item in self.agenda_items],
            "recommendations": [asdict(item) for item in self.recommendations],
            "attendance": {
                capacity: list(self.attendance.get(capacity, [])) for capacity in CAPACITIES
            },
            "statements": [asdict(item) for item in self.statements],
            "warnings": [asdict(item) for item in self.warnings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedReport:
        """The inverse of `to_dict`; raises ReportParseError on a malformed dict."""
        try:
            document = data["document"]
            meeting = data["meeting"]
            return cls(
                title=str(document["title"]),
                # Absent from the previews signed before reports carried them.
                symbol=str(document.get("symbol", "")),
                body=str(document.get("body", "")),
                distribution=str(document["distribution"]),
                distributed=_date(document["distributed"]),
                status=str(document["status"]),
                source_format=str(document["format"]),
                pages=int(document["pages"]),
                meeting=ReportMeeting(
                    ordinal=meeting["ordinal"],
                    start_date=_date(meeting["start_date"]),
                    end_date=_date(meeting["end_date"]),
                    venue=meeting["venue"],
                    format=meeting["format"],
                    chair=meeting["chair"],
                    chair_state=meeting["chair_state"],
                ),
                agenda_items=[_build(ReportAgendaItem, row) for row in data["agenda_items"]],
                recommendations=[
                    _build(ReportRecommendation, row) for row in data["recommendations"]
                ],
                attendance={
                    capacity: [str(name) for name in names]
                    for capacity, names in data["attendance"].items()
                    if names
                },
                statements=[_build(ReportStatement, row) for row in data["statements"]],
                warnings=[_build(ReportWarning, row) for row in data["warnings"]],
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ReportParseError(f"the parsed report is malformed ({exc!r})") from None


def _build(cls: type, row: dict[str, Any]) -> Any:
    names = {item.name for item in fields(cls)}
    return cls(**{key: value for key, value in row.items() if key in names})


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
