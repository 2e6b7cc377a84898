"""Writes for meetings, their agendas, documents, attendance and statements."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from states.models import RegionalGroup
from states.selectors import StatesByName, UnknownStateName
from wgsom.data_files import DataFileError, parse_date, read_yaml, require
from wgsom.reference_data import LoadStats, upsert_reference

from .models import AgendaItem, Document, Meeting, Organization, Participation, Statement


def meeting_detail_files(data_dir: Path) -> list[Path]:
    """The files that describe one meeting in full (agenda, attendance, recommendations...)."""
    return sorted(data_dir.glob("meeting_*.yaml"))


@transaction.atomic
def reference_meetings_load(*, data_dir: Path, themes: dict[str, Any], stats: LoadStats) -> None:
    """Load the meetings, then each meeting's details, then the background papers.

    `themes` maps theme slugs to Theme records: background papers are filed under a theme.
    """
    states = StatesByName()
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
        )

    for path in meeting_detail_files(data_dir):
        _load_meeting_details(path, states=states, stats=stats)

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
                "meeting": _meeting(require(row, "meeting", where=where), where),
                "summary": row.get("summary") or "",
                "themes": [themes[theme_slug]],
            },
            stats=stats,
        )


def _load_meeting_details(path: Path, *, states: StatesByName, stats: LoadStats) -> None:
    data = read_yaml(path) or {}
    meeting = _meeting(require(data, "meeting", where=path.name), path.name)

    items_by_label = {}
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
                Participation, lookup=lookup, values={"capacity": capacity}, stats=stats
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
        )


def _meeting(ordinal: int, where: str) -> Meeting:
    try:
        return Meeting.objects.get(ordinal=ordinal)
    except Meeting.DoesNotExist:
        raise DataFileError(f"{where}: no meeting number {ordinal} in meetings.yaml") from None


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
