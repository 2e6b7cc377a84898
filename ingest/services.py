"""Importing a meeting report: its meeting, agenda, attendance, statements and recommendations.

Two ways in, one mechanism: ingest/loaders.py writes the reference data kept in `data/` (run
by `load_wgsom`), `report_import` writes what the report parser read from an uploaded report
(run by `import_report` and the staff import page). Both go through core/reference_data.py's
`upsert_reference`, so loading or importing the same thing twice changes nothing and records
staff edited are kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from core.data_files import DataFileError
from core.reference_data import LoadStats, ReferenceDataModel, differing_fields, upsert_reference
from core.translation import translated_values
from meetings.models import (
    AgendaItem,
    Document,
    Meeting,
    Organization,
    Participation,
    Statement,
    ordinal_in_language,
)
from recommendations import text_analysis
from recommendations.models import Recommendation, RecommendationText, Theme
from recommendations.services import recommendation_text_record
from recommendations.similarity import similar_to_texts
from states.models import RegionalGroup, State, StateAlias
from states.selectors import StatesByName, UnknownStateName
from states.services import state_alias_record

from .loaders import parsed_recommendations_upsert
from .report_parser import (
    LanguageVersion,
    Limits,
    ParsedReport,
    ReportParseError,
    ReportStatement,
    parse_language_version,
    parse_report,
)

if TYPE_CHECKING:
    from accounts.models import User

IMPORT_OUTCOMES = ("created", "updated", "overwritten", "kept", "unchanged")

# Attendance listed under these is an organization's, whatever its name.
_ORGANIZATION_CAPACITIES = {
    Participation.Capacity.ORGANIZATION_OBSERVER,
    Participation.Capacity.OTHER_ENTITY_OBSERVER,
}


@dataclass
class ImportChange:
    """What importing does (or, in a preview, would do) to one record."""

    model: str
    record: str
    # created | updated | overwritten (edited by staff, replaced with --update) |
    # kept (edited by staff, left as it is) | unchanged
    outcome: str
    # For updated, overwritten and kept: the fields whose values the report would change.
    fields: list[str] = field(default_factory=list)
    # A recommendation's label, so that pages can show each incoming one's outcome.
    label: str = ""


@dataclass
class ReportImportResult:
    meeting_ordinal: int
    meeting: str
    changes: list[ImportChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Filled in by the preview: each incoming recommendation's label -> the existing
    # recommendations whose text is closest to it, with a score between 0 and 1.
    near_duplicates: dict[str, list[tuple[Any, float]]] = field(default_factory=dict)
    # Filled in by the preview: the names standing where a State's would (attendance, chair,
    # statements) that are neither a State nor an organization on record, nor resolved
    # before. They are left out of the preview; the import needs each resolved.
    unresolved_names: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counted = Counter(change.outcome for change in self.changes)
        return {outcome: counted[outcome] for outcome in IMPORT_OUTCOMES}

    def counts_by_model(self) -> list[tuple[str, dict[str, int]]]:
        by_model: dict[str, Counter[str]] = {}
        for change in self.changes:
            by_model.setdefault(change.model, Counter())[change.outcome] += 1
        return [
            (model, {outcome: counted[outcome] for outcome in IMPORT_OUTCOMES})
            for model, counted in by_model.items()
        ]

    @property
    def changes_anything(self) -> bool:
        return any(c.outcome in {"created", "updated", "overwritten"} for c in self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "meeting": self.meeting_ordinal,
            "counts": self.counts(),
            "changes": [
                {
                    "model": change.model,
                    "record": change.record,
                    "outcome": change.outcome,
                    "fields": change.fields,
                }
                for change in self.changes
                if change.outcome != "unchanged"
            ],
            "warnings": self.warnings,
            "unresolved_names": self.unresolved_names,
        }


_M = TypeVar("_M", bound=ReferenceDataModel)


class _ImportWriter:
    """`upsert_reference` that also says what it did to each record, and honours `update`.

    A record whose values already match is left alone without touching its checksum: the
    importer fills fields the report does not give (a statement's summary, a meeting's
    sources) from the record itself, and must not thereby adopt a staff edit as the loaded
    version, which a later `load_wgsom` would then overwrite.
    """

    def __init__(self, *, update: bool) -> None:
        self.update = update
        self.changes: list[ImportChange] = []
        self.stats = LoadStats()

    def __call__(
        self,
        model: type[_M],
        *,
        lookup: dict[str, Any],
        values: dict[str, Any],
        stats: LoadStats | None = None,
    ) -> _M:
        existing = model.objects.filter(**lookup).first()
        record = _describe(model, lookup, values)
        label = str(model._meta.verbose_name)
        differing = differing_fields(existing, values) if existing is not None else []
        if existing is not None and not differing:
            self._record(model, label, record, "unchanged", [], stats, lookup)
            return existing
        one = LoadStats()
        obj = upsert_reference(
            model, lookup=lookup, values=values, stats=one, overwrite_edits=self.update
        )
        ((_, outcome),) = one.keys()
        if outcome.startswith("kept"):
            outcome = "kept"
        names = [str(model._meta.get_field(name).verbose_name) for name in differing]  # type: ignore[union-attr]  # concrete fields
        self._record(model, label, record, outcome, names, stats, lookup)
        return obj

    def _record(
        self,
        model: type[models.Model],
        label: str,
        record: str,
        outcome: str,
        names: list[str],
        stats: LoadStats | None,
        lookup: dict[str, Any],
    ) -> None:
        key = str(lookup.get("label", "")) if model._meta.model_name == "recommendation" else ""
        self.changes.append(ImportChange(label, record, outcome, names, key))
        self.stats.record(model, outcome)
        if stats is not None and stats is not self.stats:
            stats.record(model, outcome)


def _describe(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> str:
    if model is Meeting:
        return _("%(ordinal)s meeting") % {"ordinal": ordinal_in_language(lookup["ordinal"])}
    if model is AgendaItem:
        letter = lookup["sub_letter"]
        label = f"{lookup['number']} ({letter})" if letter else str(lookup["number"])
        return _("Agenda item %(label)s") % {"label": label}
    if model is Participation:
        who = lookup.get("state") or lookup.get("organization")
        return f"{who} ({Participation.Capacity(values['capacity']).label})"
    if model is Statement:
        who = values.get("speaker") or values.get("state") or values.get("organization")
        kind = Statement.Kind(lookup["kind"]).label
        return f"{kind} {lookup['order']}" + (f": {who}" if who else "")
    if model is Organization:
        return lookup["name"]  # type: ignore[no-any-return]  # an organization's name
    label = lookup.get("label", "")
    return _("Recommendation %(label)s") % {"label": label} if label else str(lookup)


def _import_ordinal(report: ParsedReport, meeting_ordinal: int | None, warnings: list[str]) -> int:
    parsed = report.meeting.ordinal
    if meeting_ordinal is not None:
        if meeting_ordinal < 1:
            raise ValidationError({"meeting": _("A meeting number is 1 or more.")})
        if parsed and parsed != meeting_ordinal:
            warnings.append(
                _("The report says it is the %(parsed)s meeting; imported as the %(given)s.")
                % {
                    "parsed": ordinal_in_language(parsed),
                    "given": ordinal_in_language(meeting_ordinal),
                }
            )
        return meeting_ordinal
    if parsed:
        return parsed
    if report.meeting.start_date:
        found = (
            Meeting.objects.filter(start_date=report.meeting.start_date)
            .values_list("ordinal", flat=True)
            .first()
        )
        if found:
            warnings.append(
                _(
                    "The report does not number the meeting; by its dates it is the "
                    "%(ordinal)s meeting."
                )
                % {"ordinal": ordinal_in_language(found)}
            )
            return found
    raise ValidationError(
        {
            "meeting": _(
                "The report does not say which meeting it is, and no meeting has its dates: "
                "give the meeting's number."
            )
        }
    )


def _organization_kind(name: str, capacity: str) -> str:
    if capacity == Participation.Capacity.OTHER_ENTITY_OBSERVER:
        return Organization.Kind.OTHER_ENTITY
    if name.startswith(("United Nations", "Department of", "Office of")) or "Committee" in name:
        return Organization.Kind.UN_ENTITY
    return Organization.Kind.INTERGOVERNMENTAL


# --- Planning: every name the report uses, resolved before anything is written -------------


@dataclass(frozen=True)
class _Attendee:
    capacity: str
    # A State's attendance names its State; an organization's its name, since an
    # organization new to the records is only written once the plan holds.
    state: State | None
    organization: str = ""


@dataclass(frozen=True)
class _StatementRow:
    statement: ReportStatement
    state: State | None
    group: RegionalGroup | None
    # The organization the statement is made for: the report's, or the name the report gives
    # in place of a State's when the Secretariat resolved it as an organization.
    organization: str = ""


@dataclass(frozen=True)
class _ImportPlan:
    chair_state: State | None
    attendance: list[_Attendee]
    statements: list[_StatementRow]
    # The organizations on record, by their name casefolded.
    organizations: dict[str, Organization]
    unresolved: list[str]


class UnresolvedNames(ValidationError):
    """The report names States (or organizations) the records do not know, and nobody has
    said what they stand for. `names` lists them in the report's order."""

    def __init__(self, names: list[str], others: dict[str, list[str]] | None = None) -> None:
        self.names = names
        super().__init__(
            {
                "names": _(
                    "the report names %(names)s, which the records do not know as a State or "
                    "an organization: say what each one is on the import preview, or with "
                    'import_report --alias "NAME=ISO3" (or NAME=organization, NAME=skip)'
                )
                % {"names": ", ".join(repr(name) for name in names)},
                **(others or {}),
            }
        )


# What a name standing where a State's would resolves to, besides a State.
_ORGANIZATION = StateAlias.Kind.ORGANIZATION.value
_SKIP = StateAlias.Kind.SKIP.value


class _NameResolver:
    """Finds the States and regional groups a report names.

    A name that is no State's is an organization's when the records know that organization
    or the Secretariat resolved it so, is ignored when it was resolved as a name to ignore,
    and is otherwise noted as unresolved (and ignored meanwhile, so that a preview still
    shows the rest). An unknown regional group is an error under its field.
    """

    def __init__(self, organizations: dict[str, Organization]) -> None:
        self.states = StatesByName()
        # By the name in each language: the English report's names, whatever language the
        # staff page runs in (a regional group's `name` reads in the active language).
        self.groups = {
            name.casefold(): group
            for group in RegionalGroup.objects.all()
            for name in translated_values(group, "name")
        }
        self.organizations = organizations
        self.errors: dict[str, list[str]] = {}
        self.unresolved: list[str] = []

    def state(self, name: str) -> State | str:
        """The State `name` stands for, or "organization" or "skip"."""
        try:
            return self.states.get(name)
        except UnknownStateName:
            pass
        resolved = self.states.resolved_as(name)
        if resolved is not None:
            return resolved
        if name.strip().casefold() in self.organizations:
            return _ORGANIZATION
        name = " ".join(name.split())
        if name.casefold() not in {known.casefold() for known in self.unresolved}:
            self.unresolved.append(name)
        return _SKIP

    def group(self, name: str, *, where: str) -> RegionalGroup | None:
        group = self.groups.get(name.casefold())
        if group is None:
            self.errors.setdefault("statements", []).append(
                _("%(where)s: unknown regional group %(name)r") % {"where": where, "name": name}
            )
        return group


def _import_plan(report: ParsedReport, *, refuse_unresolved: bool) -> _ImportPlan:
    """The records the report's names stand for; ValidationError for an unknown regional
    group, and (UnresolvedNames, with the rest) for names nobody resolved if
    `refuse_unresolved`; otherwise those names are listed in the plan, for a preview."""
    organizations = {org.name.casefold(): org for org in Organization.objects.all()}
    names = _NameResolver(organizations)
    # Resolved in the order of the report, so that unresolved names are listed so too.
    chair = names.state(report.meeting.chair_state) if report.meeting.chair_state else None
    attendance = _resolve_attendance(report, names)
    statements = _resolve_statements(report, names)
    if names.unresolved and refuse_unresolved:
        raise UnresolvedNames(names.unresolved, names.errors)
    if names.errors:
        raise ValidationError(names.errors)
    return _ImportPlan(
        chair if isinstance(chair, State) else None,
        attendance,
        statements,
        organizations,
        names.unresolved,
    )


def _resolve_attendance(report: ParsedReport, names: _NameResolver) -> list[_Attendee]:
    attendance: list[_Attendee] = []
    for capacity, attending in report.attendance.items():
        for name in attending:
            if capacity in _ORGANIZATION_CAPACITIES or name.casefold() in names.organizations:
                attendance.append(_Attendee(capacity, None, name))
                continue
            state = names.state(name)
            if isinstance(state, State):
                attendance.append(_Attendee(capacity, state))
            elif state == _ORGANIZATION:
                attendance.append(_Attendee(capacity, None, name))
    return attendance


def _resolve_statements(report: ParsedReport, names: _NameResolver) -> list[_StatementRow]:
    rows: list[_StatementRow] = []
    for number, statement in enumerate(report.statements, start=1):
        where = _("statement %(number)s") % {"number": number}
        group = names.group(statement.on_behalf_of, where=where) if statement.on_behalf_of else None
        state = names.state(statement.state) if statement.state else None
        organization = statement.organization
        if state == _ORGANIZATION and not organization:
            organization = statement.state
        rows.append(
            _StatementRow(
                statement, state if isinstance(state, State) else None, group, organization
            )
        )
    return rows


# --- Writing -------------------------------------------------------------------------------


@transaction.atomic
def report_import(
    *,
    report: ParsedReport,
    meeting_ordinal: int | None = None,
    update: bool = False,
    aliases: Mapping[str, str] | None = None,
    by: User | None = None,
) -> ReportImportResult:
    """Write what a parsed meeting report holds, in one transaction.

    The meeting (created when new; otherwise only the values the report gives), its agenda
    items, the organizations and attendance, the statements, and the recommendations, all
    through `upsert_reference`: importing the same report again changes nothing, and a
    record staff edited since it was loaded or imported is kept as it is unless `update`.
    Records the report does not mention are never touched.

    `aliases` maps names the report uses to what they stand for (a State's code,
    "organization" or "skip"); they are recorded first, by `by`, through
    `state_alias_record`, and kept for later imports. Every name must then be known (States
    by their UN name, code, other names or a recorded alias; regional groups by name) before
    anything is written; otherwise ValidationError (UnresolvedNames for the names standing
    for States), with the field ("meeting", "names", "statements", "recommendations").
    """
    result = _report_import(
        report=report,
        meeting_ordinal=meeting_ordinal,
        update=update,
        aliases=aliases or {},
        by=by,
        refuse_unresolved=True,
    )
    audit_record(
        action=AuditAction.MEETING_REPORT_IMPORTED,
        actor=by,
        target=result.meeting,
        details={"meeting_ordinal": result.meeting_ordinal, "update": update, **result.counts()},
    )
    return result


def _report_import(
    *,
    report: ParsedReport,
    meeting_ordinal: int | None,
    update: bool,
    aliases: Mapping[str, str],
    by: User | None,
    refuse_unresolved: bool,
) -> ReportImportResult:
    for name, choice in aliases.items():
        state_alias_record(name=name, choice=choice, by=by)
    # What the import itself has to say; the parser's warnings stay on the report.
    warnings: list[str] = []
    ordinal = _import_ordinal(report, meeting_ordinal, warnings)
    plan = _import_plan(report, refuse_unresolved=refuse_unresolved)
    writer = _ImportWriter(update=update)
    meeting = _import_meeting(report, ordinal, plan.chair_state, writer)
    _check_meeting_dates(report, meeting, warnings)
    items = _import_agenda_items(report, meeting, writer)
    organizations = _import_organizations(plan, writer, warnings)
    _import_attendance(plan, meeting, organizations, writer)
    _import_statements(plan, meeting, items, organizations, writer)
    _import_recommendations(report, meeting, writer)
    return ReportImportResult(
        meeting_ordinal=ordinal,
        meeting=str(meeting),
        changes=writer.changes,
        warnings=warnings,
        unresolved_names=plan.unresolved,
    )


def _import_meeting(
    report: ParsedReport, ordinal: int, chair_state: State | None, writer: _ImportWriter
) -> Meeting:
    """The meeting, with what the report says about it; what it does not say stays."""
    parsed = report.meeting
    existing = Meeting.objects.select_related("chair_state").filter(ordinal=ordinal).first()
    year = parsed.year or (existing.year if existing else None)
    if year is None:
        raise ValidationError(
            {
                "meeting": _(
                    "The %(ordinal)s meeting is not on record and the report gives no dates for it."
                )
                % {"ordinal": ordinal_in_language(ordinal)}
            }
        )

    def kept(name: str, default: Any) -> Any:
        return getattr(existing, name) if existing else default

    return writer(
        Meeting,
        lookup={"ordinal": ordinal},
        values={
            "year": year,
            "start_date": parsed.start_date or kept("start_date", None),
            "end_date": parsed.end_date or kept("end_date", None),
            "venue": parsed.venue or kept("venue", ""),
            "format": parsed.format
            if parsed.format != Meeting.Format.UNKNOWN
            else kept("format", Meeting.Format.UNKNOWN),
            "chair": parsed.chair or kept("chair", ""),
            "chair_state": chair_state or kept("chair_state", None),
            "sources": kept("sources", "")
            or _("Imported from the report: %(source)s") % {"source": report.source_line},
        },
    )


def _check_meeting_dates(report: ParsedReport, meeting: Meeting, warnings: list[str]) -> None:
    if report.meeting.start_date and meeting.start_date != report.meeting.start_date:
        warnings.append(
            _("The report's dates differ from the %(ordinal)s meeting's dates on record.")
            % {"ordinal": ordinal_in_language(meeting.ordinal)}
        )


def _import_agenda_items(
    report: ParsedReport, meeting: Meeting, writer: _ImportWriter
) -> dict[str, AgendaItem]:
    """The meeting's agenda items by label, the report's written; a title it leaves out stays."""
    items = {item.label: item for item in AgendaItem.objects.filter(meeting=meeting)}
    for parsed in report.agenda_items:
        current = items.get(parsed.label)
        parent = items.get(str(parsed.number)) if parsed.sub_letter else None
        items[parsed.label] = writer(
            AgendaItem,
            lookup={"meeting": meeting, "number": parsed.number, "sub_letter": parsed.sub_letter},
            values={"title": parsed.title or (current.title if current else ""), "parent": parent},
        )
    return items


def _import_organizations(
    plan: _ImportPlan, writer: _ImportWriter, warnings: list[str]
) -> dict[str, Organization]:
    """Every organization by its name casefolded, those new to the records created with a
    guessed kind (and a warning to check it)."""
    organizations = dict(plan.organizations)
    named = [(a.capacity, a.organization) for a in plan.attendance if a.organization]
    named += [
        (Participation.Capacity.ORGANIZATION_OBSERVER, row.organization)
        for row in plan.statements
        if row.organization
    ]
    for capacity, name in named:
        if name.casefold() in organizations:
            continue
        kind = _organization_kind(name, capacity)
        organizations[name.casefold()] = writer(
            Organization, lookup={"name": name}, values={"kind": kind}
        )
        warnings.append(
            _("New organization %(name)r filed as %(kind)s; check its kind in the admin.")
            % {"name": name, "kind": Organization.Kind(kind).label}
        )
    return organizations


def _import_attendance(
    plan: _ImportPlan,
    meeting: Meeting,
    organizations: dict[str, Organization],
    writer: _ImportWriter,
) -> None:
    for attendee in plan.attendance:
        if attendee.state is not None:
            lookup: dict[str, Any] = {"meeting": meeting, "state": attendee.state}
        else:
            organization = organizations[attendee.organization.casefold()]
            lookup = {"meeting": meeting, "organization": organization}
        writer(Participation, lookup=lookup, values={"capacity": attendee.capacity})


def _import_statements(
    plan: _ImportPlan,
    meeting: Meeting,
    items: dict[str, AgendaItem],
    organizations: dict[str, Organization],
    writer: _ImportWriter,
) -> None:
    """The statements, numbered in the report's order; ValidationError for one that names an
    agenda item neither the report nor the records hold."""
    for order, row in enumerate(plan.statements, start=1):
        lookup = {"meeting": meeting, "kind": row.statement.kind, "order": order}
        current = Statement.objects.filter(**lookup).first()
        missing = [label for label in row.statement.agenda_items if label not in items]
        if missing:
            raise ValidationError(
                {
                    "statements": _("statement %(order)s: unknown agenda items %(labels)s")
                    % {"order": order, "labels": ", ".join(missing)}
                }
            )
        values = _statement_values(row, current, items, organizations)
        writer(Statement, lookup=lookup, values=values)


def _statement_values(
    row: _StatementRow,
    current: Statement | None,
    items: dict[str, AgendaItem],
    organizations: dict[str, Organization],
) -> dict[str, Any]:
    statement = row.statement
    return {
        "state": row.state,
        "organization": organizations[row.organization.casefold()] if row.organization else None,
        "speaker": statement.speaker,
        "speaker_title": statement.speaker_title,
        "on_behalf_of": row.group,
        # The report has no summaries; one staff wrote stays.
        "summary": current.summary if current else "",
        "agenda_items": [items[label] for label in statement.agenda_items],
    }


def _import_recommendations(report: ParsedReport, meeting: Meeting, writer: _ImportWriter) -> None:
    """The recommendations, written as `load_wgsom` writes those of the reports in `data/`."""
    try:
        rules = text_analysis.load_theme_rules(settings.WGSOM_DATA_DIR / "theme_rules.yaml")
        parsed_recommendations_upsert(
            report=report,
            meeting=meeting,
            where=_("the report"),
            themes={theme.slug: theme for theme in Theme.objects.all()},
            rules=rules,
            stats=writer.stats,
            upsert=writer,
        )
    except (DataFileError, OSError, ValueError) as exc:
        raise ValidationError({"recommendations": str(exc)}) from None


class _Rollback(Exception):
    def __init__(self, result: ReportImportResult) -> None:
        self.result = result


def report_import_preview(
    *,
    report: ParsedReport,
    meeting_ordinal: int | None = None,
    update: bool = False,
    aliases: Mapping[str, str] | None = None,
    by: User | None = None,
    similar_started: Callable[[], None] | None = None,
) -> ReportImportResult:
    """What `report_import` would do, without keeping any of it (the aliases included).

    The import runs for real inside a transaction that is then rolled back, so the preview
    cannot drift from what confirming does. Names nobody has resolved do not stop it: they
    are left out and listed in `unresolved_names`, so that staff see the recommendations and
    the names to resolve together. Also finds, for each incoming recommendation, the
    recommendations already on record whose text is closest to it (near-duplicates), leaving
    out the record the import would update. `similar_started`, when given, is called once
    the dry run is rolled back and the search for near-duplicates begins (a job's progress).
    """

    try:
        with transaction.atomic():
            raise _Rollback(
                _report_import(
                    report=report,
                    meeting_ordinal=meeting_ordinal,
                    update=update,
                    aliases=aliases or {},
                    by=by,
                    refuse_unresolved=False,
                )
            )
    except _Rollback as rollback:
        result = rollback.result
    if similar_started is not None:
        similar_started()
    labels = [recommendation.label for recommendation in report.recommendations]
    same = set(
        Recommendation.objects.filter(meeting__ordinal=result.meeting_ordinal, label__in=labels)
        .exclude(status=Recommendation.Status.PROPOSED)
        .values_list("pk", flat=True)
    )
    matches = similar_to_texts(
        [recommendation.text for recommendation in report.recommendations],
        limit=3,
        exclude=same,
    )
    result.near_duplicates = dict(zip(labels, matches, strict=True))
    return result


def report_read(*, data: bytes, filename: str) -> ParsedReport:
    """Parse an uploaded report, helped by the State and organization names on record.

    The names only help split lists such as "..., Trinidad and Tobago and Uruguay"; raises
    the parser's ReportParseError (where and why) on a file it cannot read.
    """

    names: list[str] = list(Organization.objects.values_list("name", flat=True))
    for name, other_names in State.objects.values_list("name", "other_names"):
        names.append(name)
        names.extend(other_names or [])
    return parse_report(
        data,
        filename=filename,
        known_names=names,
        tracked_prefixes=settings.INGEST_TRACKED_SYMBOL_PREFIXES,
        limits=parser_limits(),
    )


def parser_limits() -> Limits:
    """The parser's limits from the settings, so that the staff page, `import_report` and
    `load_wgsom` refuse the same files (see docs/import.md, "Limits")."""
    return Limits(
        max_lines=settings.INGEST_MAX_LINES,
        max_list_number=settings.INGEST_MAX_LIST_NUMBER,
        max_unzipped_bytes=settings.IMPORT_MAX_UNZIPPED_BYTES,
        max_zip_ratio=settings.IMPORT_MAX_ZIP_RATIO,
        seconds=settings.INGEST_PARSE_SECONDS,
    )


def report_check_size(*, size: int) -> None:
    """Refuse (ReportParseError) a report file larger than REPORT_IMPORT_MAX_UPLOAD_BYTES,
    before it is read: the staff page and the command share this limit."""
    limit = settings.REPORT_IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        raise ReportParseError(f"the file is {size:,} bytes; the limit is {limit:,} bytes")


# --- Language versions of a report --------------------------------------------------------


@dataclass
class LanguageImportResult:
    """What importing a report's version in another language did (or, dry, would do)."""

    language: str
    meeting_ordinal: int
    source: str
    # Labels matched to a recommendation on record, with what happened to its text:
    # created | updated | unchanged.
    matched: dict[str, str] = field(default_factory=dict)
    # Labels of the report no recommendation of the meeting has, and labels on record the
    # report lacks.
    unmatched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "meeting": self.meeting_ordinal,
            "source": self.source,
            "matched": self.matched,
            "unmatched": self.unmatched,
            "missing": self.missing,
        }


def report_language_read(*, data: bytes, filename: str, language: str) -> LanguageVersion:
    """Parse an uploaded report's version in `language` (its recommendations by number);
    raises the parser's ReportParseError (where and why)."""
    return parse_language_version(
        data, filename=filename, language=language, limits=parser_limits()
    )


def _language_meeting(version: LanguageVersion, meeting_ordinal: int | None) -> Meeting:
    if meeting_ordinal is not None:
        meeting = Meeting.objects.filter(ordinal=meeting_ordinal).first()
        if meeting is None:
            raise ValidationError(
                {
                    "meeting": _(
                        "The %(ordinal)s meeting is not on record: import its English report first."
                    )
                    % {"ordinal": ordinal_in_language(meeting_ordinal)}
                }
            )
        return meeting
    # The language versions of a report share its symbol: a document on record with it, or
    # recommendations whose source names it, say which meeting it is.
    if version.symbol:
        document = Document.objects.filter(symbol=version.symbol).select_related("meeting").first()
        if document is not None and document.meeting is not None:
            return document.meeting
        found = (
            Recommendation.objects.filter(source__contains=version.symbol)
            .select_related("meeting")
            .first()
        )
        if found is not None:
            return found.meeting
    raise ValidationError(
        {
            "meeting": _(
                "No recommendation on record comes from %(symbol)s: give the meeting's number."
            )
            % {"symbol": version.symbol or _("a report without a symbol")}
        }
    )


@transaction.atomic
def report_language_import(
    *,
    version: LanguageVersion,
    meeting_ordinal: int | None = None,
    source: str = "",
    by: User | None = None,
    dry_run: bool = False,
) -> LanguageImportResult:
    """Record the official texts a report's version in another language gives, each matched
    by its number to the recommendation of the same label of the meeting (adopted or draft;
    proposals are not in reports), through `recommendation_text_record`.

    All or nothing: a report whose number of recommendations differs from the meeting's, or
    whose labels do not all match, is refused with the labels matched and unmatched
    (ValidationError on "recommendations"); English texts are never touched. `source` is the
    document the texts come from: by default the report's symbol (the language versions of a
    UN document share it). `dry_run` reports what would be written, and writes nothing.
    """
    meeting = _language_meeting(version, meeting_ordinal)
    source = source.strip() or version.symbol
    if not source:
        raise ValidationError(
            {
                "source": _(
                    "The report prints no symbol: give the document it is (its symbol or address)."
                )
            }
        )
    on_record = {
        recommendation.label: recommendation
        for recommendation in Recommendation.objects.filter(meeting=meeting).exclude(
            status=Recommendation.Status.PROPOSED
        )
    }
    result = LanguageImportResult(
        language=version.language, meeting_ordinal=meeting.ordinal, source=source
    )
    labels = [recommendation.label for recommendation in version.recommendations]
    result.unmatched = [label for label in labels if label not in on_record]
    result.missing = [label for label in on_record if label not in labels]
    if len(labels) != len(on_record) or result.unmatched:
        raise ValidationError(
            {
                "recommendations": _(
                    "the report holds %(found)s recommendations and the %(ordinal)s meeting "
                    "%(expected)s (matched: %(matched)s; not on record: %(unmatched)s; not in "
                    "the report: %(missing)s)"
                )
                % {
                    "found": len(labels),
                    "ordinal": ordinal_in_language(meeting.ordinal),
                    "expected": len(on_record),
                    "matched": ", ".join(label for label in labels if label in on_record) or "-",
                    "unmatched": ", ".join(result.unmatched) or "-",
                    "missing": ", ".join(result.missing) or "-",
                }
            }
        )
    current = {
        text.recommendation_id: text
        for text in RecommendationText.objects.filter(
            recommendation__meeting=meeting, language=version.language
        )
    }
    for parsed in version.recommendations:
        recommendation = on_record[parsed.label]
        before = current.get(recommendation.pk)
        if before is not None and before.text == parsed.text and before.source == source:
            result.matched[parsed.label] = "unchanged"
            continue
        result.matched[parsed.label] = "updated" if before is not None else "created"
        if not dry_run:
            recommendation_text_record(
                recommendation=recommendation,
                language=version.language,
                text=parsed.text,
                source=source,
                chapeau=before.chapeau if before is not None else "",
                section_title=before.section_title if before is not None else "",
                by=by,
            )
    return result


def validation_error_line(error: ValidationError) -> str:
    """A ValidationError as one readable line: "meeting: ...; attendance: ..."."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(str(message) for message in messages)}"
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
