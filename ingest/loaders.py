"""Writes of the reference data: themes, recommendations and proposals from the data files.

The loading half of the services, kept apart from the reporting workflow in services.py.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from core.data_files import DataFileError, parse_date, read_yaml, require
from core.reference_data import KnownRecords, LoadStats, translations_fill, upsert_reference
from ingest.report_parser import (
    ParsedReport,
    ReportParseError,
    ReportRecommendation,
    parse_report_file,
)
from ingest.state_loaders import reference_states_load
from meetings.models import (
    AgendaItem,
    Document,
    Meeting,
    Organization,
    Participation,
    Statement,
)
from recommendations import text_analysis
from recommendations.models import Recommendation, Theme
from recommendations.services import search_words_collected
from states.models import RegionalGroup
from states.selectors import StatesByName, UnknownStateName


@transaction.atomic
def reference_data_load(*, data_dir: Path) -> LoadStats:
    """Load all the WGSOM reference data kept in `data_dir`, in one transaction.

    Order matters: meetings name States, background papers name themes, recommendations name
    meetings and agenda items. Records staff edited are kept (see wgsom/reference_data.py).
    """
    stats = LoadStats()
    # The search words of every saved text are written once, at the end, not once per record.
    with search_words_collected():
        reference_states_load(data_dir=data_dir, stats=stats)
        themes = reference_themes_load(data_dir=data_dir, stats=stats)
        reference_translations_load(data_dir=data_dir, stats=stats)
        reference_meetings_load(data_dir=data_dir, themes=themes, stats=stats)
        reference_recommendations_load(data_dir=data_dir, themes=themes, stats=stats)
    return stats


def meeting_detail_files(data_dir: Path) -> list[Path]:
    """The files that describe one meeting in full (agenda, attendance, statements, and the
    report whose recommendations ingest.loaders reads)."""
    return sorted(data_dir.glob("meeting_*.yaml"))


@transaction.atomic
def reference_meetings_load(*, data_dir: Path, themes: dict[str, Any], stats: LoadStats) -> None:
    """Load the meetings, then each meeting's details, then the background papers.

    `themes` maps theme slugs to Theme records: background papers are filed under a theme.
    """
    states = StatesByName()
    meetings = KnownRecords(Meeting, "ordinal")
    for index, row in enumerate(read_yaml(data_dir / "meetings.yaml") or []):
        where = f"meetings.yaml, entry {index + 1}"
        chair_state = row.get("chair_state")
        upsert_reference(
            Meeting,
            lookup={"ordinal": require(row, "ordinal", where=where)},
            values={
                "year": require(row, "year", where=where),
                "start_date": parse_date(row.get("start_date"), where=where),
                "end_date": parse_date(row.get("end_date"), where=where),
                "venue": row.get("venue") or "",
                "format": row.get("format") or Meeting.Format.UNKNOWN,
                "chair": row.get("chair") or "",
                "chair_state": _state(states, chair_state, where) if chair_state else None,
                "sources": row.get("sources") or "",
            },
            stats=stats,
            known=meetings,
        )

    documents = KnownRecords(Document, "symbol", prefetch=("themes",))
    for path in meeting_detail_files(data_dir):
        _load_meeting_details(
            path, states=states, meetings=meetings, documents=documents, stats=stats
        )

    for index, row in enumerate(read_yaml(data_dir / "background_papers.yaml") or []):
        where = f"background_papers.yaml, entry {index + 1}"
        theme_slug = require(row, "theme", where=where)
        if theme_slug not in themes:
            raise DataFileError(f"{where}: unknown theme {theme_slug!r}")
        upsert_reference(
            Document,
            lookup={"symbol": require(row, "symbol", where=where)},
            values={
                "title": require(row, "title", where=where),
                "kind": Document.Kind.BACKGROUND_PAPER,
                "meeting": _meeting(meetings, require(row, "meeting", where=where), where),
                "summary": row.get("summary") or "",
                "themes": [themes[theme_slug]],
            },
            stats=stats,
            known=documents,
        )


def _load_meeting_details(
    path: Path,
    *,
    states: StatesByName,
    meetings: KnownRecords[Meeting],
    documents: KnownRecords[Document],
    stats: LoadStats,
) -> None:
    data = read_yaml(path) or {}
    meeting = _meeting(meetings, require(data, "meeting", where=path.name), path.name)

    items_by_label: dict[str, AgendaItem] = {}
    for index, row in enumerate(data.get("agenda") or []):
        where = f"{path.name}, agenda entry {index + 1}"
        number = require(row, "number", where=where)
        letter = row.get("sub_letter") or ""
        parent = items_by_label.get(str(number)) if letter else None
        if letter and parent is None:
            raise DataFileError(f"{where}: sub-item {number} ({letter}) comes before item {number}")
        item = upsert_reference(
            AgendaItem,
            lookup={"meeting": meeting, "number": number, "sub_letter": letter},
            values={"title": row.get("title") or "", "parent": parent},
            stats=stats,
        )
        items_by_label[item.label] = item

    organizations = {}
    for index, row in enumerate(data.get("organizations") or []):
        where = f"{path.name}, organization {index + 1}"
        name = require(row, "name", where=where)
        organizations[name] = upsert_reference(
            Organization,
            lookup={"name": name},
            values={"kind": require(row, "kind", where=where)},
            stats=stats,
        )

    for index, row in enumerate(data.get("documents") or []):
        where = f"{path.name}, document {index + 1}"
        upsert_reference(
            Document,
            lookup={"symbol": require(row, "symbol", where=where)},
            values={
                "title": require(row, "title", where=where),
                "kind": require(row, "kind", where=where),
                "meeting": meeting,
            },
            stats=stats,
            known=documents,
        )

    participations = KnownRecords(
        Participation, "meeting", "state", "organization", meeting=meeting
    )
    for capacity, names in (data.get("attendance") or {}).items():
        if capacity not in Participation.Capacity.values:
            raise DataFileError(f"{path.name}: unknown attendance capacity {capacity!r}")
        for name in names:
            where = f"{path.name}, attendance ({capacity}) {name!r}"
            if name in organizations:
                lookup = {"meeting": meeting, "organization": organizations[name]}
            else:
                lookup = {"meeting": meeting, "state": _state(states, name, where)}
            upsert_reference(
                Participation,
                lookup=lookup,
                values={"capacity": capacity},
                stats=stats,
                known=participations,
            )

    statements = KnownRecords(
        Statement, "meeting", "kind", "order", prefetch=("agenda_items",), meeting=meeting
    )
    for order, row in enumerate(data.get("statements") or [], start=1):
        where = f"{path.name}, statement {order}"
        labels = row.get("agenda_items") or []
        missing = [label for label in labels if str(label) not in items_by_label]
        if missing:
            raise DataFileError(f"{where}: unknown agenda items {missing}")
        organization = row.get("organization")
        if organization and organization not in organizations:
            raise DataFileError(f"{where}: unknown organization {organization!r}")
        # A statement the report does not list names the document it is recorded from.
        document = row.get("source")
        if document and not (path.parent / "sources" / document).is_file():
            raise DataFileError(f"{where}: no source document {document!r} in sources/")
        group = row.get("on_behalf_of")
        upsert_reference(
            Statement,
            lookup={"meeting": meeting, "kind": require(row, "kind", where=where), "order": order},
            values={
                "state": _state(states, row["state"], where) if row.get("state") else None,
                "organization": organizations.get(organization) if organization else None,
                "speaker": row.get("speaker") or "",
                "speaker_title": row.get("speaker_title") or "",
                "on_behalf_of": _group(group, where) if group else None,
                "summary": row.get("summary") or "",
                "agenda_items": [items_by_label[str(label)] for label in labels],
            },
            stats=stats,
            known=statements,
        )


def _meeting(meetings: KnownRecords[Meeting], ordinal: int, where: str) -> Meeting:
    meeting = meetings.get({"ordinal": ordinal})
    if meeting is None:
        raise DataFileError(f"{where}: no meeting number {ordinal} in meetings.yaml")
    return meeting


def _state(states: StatesByName, name: str, where: str):
    try:
        return states.get(name)
    except UnknownStateName:
        raise DataFileError(
            f"{where}: unknown State {name!r} (add it to states.csv or state_aliases.yaml)"
        ) from None


def _group(slug: str, where: str) -> RegionalGroup:
    try:
        return RegionalGroup.objects.get(slug=slug)
    except RegionalGroup.DoesNotExist:
        raise DataFileError(f"{where}: unknown regional group {slug!r}") from None


# --- Themes and recommendations (read from the meeting reports, as an upload is) ------------


def reference_themes_load(*, data_dir: Path, stats: LoadStats) -> dict[str, Theme]:
    themes = {}
    for index, row in enumerate(read_yaml(data_dir / "themes.yaml") or []):
        where = f"themes.yaml, entry {index + 1}"
        slug = require(row, "slug", where=where)
        themes[slug] = upsert_reference(
            Theme,
            lookup={"slug": slug},
            values={
                "name": require(row, "name", where=where),
                "key_topics": list(row.get("key_topics") or []),
                "order": row.get("order") or index + 1,
            },
            stats=stats,
        )
    return themes


TRANSLATIONS_FILE = "content_translations.yaml"


def reference_translations_load(*, data_dir: Path, stats: LoadStats) -> None:
    """The names of regional groups and themes in the other UN languages
    (`content_translations.yaml`), each written only where its column is still empty, so that
    the Secretariat's own wording, entered in the admin, is kept (core/reference_data.py
    `translations_fill`). A data folder without the file loads no translations."""
    path = data_dir / TRANSLATIONS_FILE
    if not path.exists():
        return
    data = read_yaml(path) or {}
    for key, model in (("regional_groups", RegionalGroup), ("themes", Theme)):
        section = data.get(key) or {}
        require(section, "source", where=f"{TRANSLATIONS_FILE}, {key}")
        for slug, names in (section.get("entries") or {}).items():
            where = f"{TRANSLATIONS_FILE}, {key}, {slug}"
            unknown = set(names) - set(settings.MODELTRANSLATION_LANGUAGES)
            if unknown:
                raise DataFileError(f"{where}: unknown languages {sorted(unknown)}")
            try:
                translations_fill(
                    model, lookup={"slug": slug}, field="name", values=names, stats=stats
                )
            except model.DoesNotExist:
                raise DataFileError(
                    f"{where}: no {model._meta.verbose_name} has this slug"
                ) from None


def reference_recommendations_load(
    *, data_dir: Path, themes: dict[str, Theme], stats: LoadStats
) -> None:
    """Load the recommendations of each meeting's report, then the proposals made by States.

    A meeting file names its report (`report: file: sources/...`); the recommendations are read
    from that report by the report parser (ingest/report_parser), the same way an uploaded
    report is imported, so that report text has one way in.

    Addressee, strength of language, legal references and themes are detected from the text
    (recommendations/text_analysis.py, rules in data/theme_rules.yaml), so that the rule is
    written down once and tested on every recommendation.
    """
    try:
        rules = text_analysis.load_theme_rules(data_dir / "theme_rules.yaml")
    except (OSError, ValueError) as exc:
        raise DataFileError(f"theme_rules.yaml: {exc}") from None
    # Adopted and draft recommendations have no proposer: their lookups leave it out.
    known = KnownRecords(Recommendation, "meeting", "label", "proposer", prefetch=("themes",))
    upsert = functools.partial(upsert_reference, known=known)
    for path in meeting_detail_files(data_dir):
        data = read_yaml(path) or {}
        if "recommendations" in data:
            raise DataFileError(
                f"{path.name}: a 'recommendations' list is no longer read; recommendations "
                "come from the report named under report: file:"
            )
        report_file = (data.get("report") or {}).get("file")
        if not report_file:
            continue
        meeting = Meeting.objects.get(ordinal=require(data, "meeting", where=path.name))
        status = require(data, "recommendation_status", where=path.name)
        report = _parse_reference_report(data_dir / report_file, where=path.name)
        if report.status != status:
            raise DataFileError(
                f"{path.name}: recommendation_status is {status!r} but {report_file} reads as "
                f"{report.status!r}"
            )
        parsed_recommendations_upsert(
            report=report,
            meeting=meeting,
            where=report_file,
            themes=themes,
            rules=rules,
            stats=stats,
            upsert=upsert,
        )

    states = StatesByName()
    for path in sorted(data_dir.glob("proposals_*.yaml")):
        data = read_yaml(path) or {}
        meeting = Meeting.objects.get(ordinal=require(data, "meeting", where=path.name))
        try:
            proposer = states.get(require(data, "proposer", where=path.name))
        except UnknownStateName as exc:
            raise DataFileError(f"{path.name}: unknown proposer {exc}") from None
        for order, row in enumerate(data.get("proposals") or [], start=1):
            where = f"{path.name}, proposal {order}"
            adopted_label = row.get("adopted_as")
            adopted_as = None
            if adopted_label:
                adopted_as = Recommendation.objects.filter(
                    meeting=meeting, label=str(adopted_label), status=Recommendation.Status.ADOPTED
                ).first()
                if adopted_as is None:
                    raise DataFileError(f"{where}: no adopted recommendation {adopted_label!r}")
            _upsert_recommendation(
                row,
                where=where,
                lookup={
                    "meeting": meeting,
                    "proposer": proposer,
                    "label": str(require(row, "label", where=where)),
                },
                values={
                    "status": Recommendation.Status.PROPOSED,
                    "order": order,
                    "source": data.get("source") or "",
                    "adopted_as": adopted_as,
                },
                themes=themes,
                rules=rules,
                stats=stats,
                upsert=upsert,
            )


def _parse_reference_report(path: Path, *, where: str) -> ParsedReport:
    try:
        return parse_report_file(path)
    except ReportParseError as exc:
        raise DataFileError(f"{where}: {path.name}: {exc}") from None


def parsed_recommendations_upsert(
    *,
    report: ParsedReport,
    meeting: Meeting,
    where: str,
    themes: dict[str, Theme],
    rules: dict,
    stats: LoadStats,
    upsert: Callable[..., Any] = upsert_reference,
) -> list[Recommendation]:
    """Write the recommendations a parsed meeting report holds, in the report's order.

    The one way report text comes in: `load_wgsom` calls this for the reports kept in `data/`,
    `import_report` and the staff import page for an uploaded one (passing their own `upsert`,
    which also reports each record's outcome). The agenda items must exist already.
    """
    source = report.source_line
    agenda_items = {
        (item.number, item.sub_letter): item for item in AgendaItem.objects.filter(meeting=meeting)
    }
    written = []
    for order, parsed in enumerate(report.recommendations, start=1):
        at = f"{where}, recommendation {parsed.label}"
        written.append(
            _upsert_recommendation(
                {"text": parsed.text},
                where=at,
                lookup={"meeting": meeting, "label": parsed.label},
                values={
                    "status": report.status,
                    "order": order,
                    "section": parsed.section,
                    "section_title": _section_title(parsed),
                    "chapeau": parsed.chapeau,
                    "agenda_item": _agenda_item(agenda_items, meeting, parsed.agenda_item, at)
                    if parsed.agenda_item
                    else None,
                    "source": source,
                    "proposer": None,
                },
                themes=themes,
                rules=rules,
                stats=stats,
                upsert=upsert,
            )
        )
    return written


def _section_title(parsed: ReportRecommendation) -> str:
    """The section's title, followed by the numbered sub-heading the recommendation comes under
    ("Implementation of the Protocol ... — 2. Victims of trafficking"): a recommendation has
    no field of its own for the sub-section, and its title says what the recommendation is on
    (themes are tagged from it too)."""
    if not parsed.subsection:
        return parsed.section_title
    subsection = f"{parsed.subsection}. {parsed.subsection_title}"
    return f"{parsed.section_title} — {subsection}" if parsed.section_title else subsection


def _upsert_recommendation(
    row: dict[str, Any],
    *,
    where: str,
    lookup: dict[str, Any],
    values: dict[str, Any],
    themes: dict[str, Theme],
    rules: dict,
    stats: LoadStats,
    upsert: Callable[..., Any] = upsert_reference,
) -> Recommendation:
    text = require(row, "text", where=where)
    chapeau = values.get("chapeau", "")
    try:
        theme_slugs = text_analysis.themes_for(
            text=text, section_title=values.get("section_title", ""), rules=rules
        )
        analysed = {
            "addressee": text_analysis.detect_addressee(text, chapeau),
            "strength": text_analysis.detect_strength(text, chapeau),
            "legal_references": text_analysis.detect_legal_references(text),
        }
    except ValueError as exc:
        raise DataFileError(f"{where}: {exc}") from None
    unknown = [slug for slug in theme_slugs if slug not in themes]
    if unknown:
        raise DataFileError(f"{where}: theme rule names unknown themes {unknown}")
    return upsert(
        Recommendation,
        lookup=lookup,
        values={
            **values,
            **analysed,
            "text": text,
            "themes": [themes[slug] for slug in theme_slugs],
        },
        stats=stats,
    )


def _agenda_item(
    items: dict[tuple[int, str], AgendaItem], meeting: Meeting, label: str, where: str
) -> AgendaItem:
    """The item of `items` (a meeting's, by number and letter) a label such as "2 (a)" names."""
    number, _, rest = str(label).partition(" ")
    letter = rest.strip("()")
    try:
        return items[(int(number), letter)]
    except (KeyError, ValueError):
        raise DataFileError(f"{where}: no agenda item {label!r} in meeting {meeting}") from None
