"""Writes for States, regional groups and the Protocol's participation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pycountry
from django.db import transaction

from core.data_files import DataFileError, parse_date, read_csv, read_yaml, require
from core.reference_data import KnownRecords, LoadStats, upsert_reference
from states.models import ProtocolDepositaryCount, RegionalGroup, State

# The European Union has no alpha-3 code; ISO 3166-1 reserves "EU" for it exceptionally.
EUROPEAN_UNION_CODE = "EU"

# Every participant's status, dates, kind of consent and sources, kept byte for byte as
# published (see data/README.md), and the depositary's own count.
PROTOCOL_PARTICIPANTS = "sources/smuggling_protocol_participants.csv"
PROTOCOL_DEPOSITARY = "protocol_depositary.yaml"
# The participants file codes the European Union "EUU" (no other file there codes it).
_PARTICIPANT_CODES = {"EUU": EUROPEAN_UNION_CODE}
# Addresses in the file's source column are separated so.
SOURCE_SEPARATOR = " ; "


def _iso_codes(code: str, *, where: str) -> tuple[str | None, str]:
    """(alpha-3, alpha-2) for a State's code, from pycountry's ISO 3166 tables."""
    if code == EUROPEAN_UNION_CODE:
        return None, EUROPEAN_UNION_CODE
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise DataFileError(f"{where}: {code!r} is not an ISO 3166-1 alpha-3 code")
    return country.alpha_3, country.alpha_2


@transaction.atomic
def reference_states_load(*, data_dir: Path, stats: LoadStats) -> None:
    """Load the regional groups, every State, and its participation in the Protocol.

    Who the States are comes from `regional_groups.yaml` and `states.csv`; names that documents
    use besides the UN name from `state_aliases.yaml`, so that the meeting data (and later
    imports) can name States as their documents do. Each State's status towards the Protocol,
    its signature, the date and kind of its consent and the addresses of the sources come, as
    they are written, from the participants file; the depositary's count from its own file.
    A State the Secretariat corrected in the admin is kept as it is (upsert_reference).
    """
    groups = {}
    for index, row in enumerate(read_yaml(data_dir / "regional_groups.yaml") or []):
        where = f"regional_groups.yaml, entry {index + 1}"
        slug = require(row, "slug", where=where)
        groups[slug] = upsert_reference(
            RegionalGroup,
            lookup={"slug": slug},
            values={
                "name": require(row, "name", where=where),
                "abbreviation": require(row, "abbreviation", where=where),
            },
            stats=stats,
        )

    aliases: dict[str, list[str]] = {}
    for name, code in (read_yaml(data_dir / "state_aliases.yaml") or {}).items():
        aliases.setdefault(code, []).append(name)

    participation = protocol_participation(data_dir=data_dir)
    known = KnownRecords(State, "code")
    codes = []
    for line, row in enumerate(read_csv(data_dir / "states.csv"), start=2):
        where = f"states.csv, line {line}"
        code = require(row, "code", where=where)
        iso3, iso2 = _iso_codes(code, where=where)
        group_slug = row.get("regional_group", "")
        if group_slug and group_slug not in groups:
            raise DataFileError(f"{where}: unknown regional group {group_slug!r}")
        if code not in participation:
            raise DataFileError(f"{PROTOCOL_PARTICIPANTS}: no row for {code} ({where})")
        values = {
            "iso3": iso3,
            "iso2": iso2,
            "name": require(row, "name", where=where),
            "other_names": sorted(aliases.get(code, [])),
            "kind": require(row, "kind", where=where),
            "regional_group": groups.get(group_slug),
            "regional_group_note": row.get("regional_group_note", ""),
            **participation[code],
        }
        _check_choice(values["kind"], State.Kind, "kind", where)
        upsert_reference(State, lookup={"code": code}, values=values, stats=stats, known=known)
        codes.append(code)

    unknown = sorted(set(participation) - set(codes))
    if unknown:
        raise DataFileError(f"{PROTOCOL_PARTICIPANTS}: codes not in states.csv: {unknown}")
    unknown_aliases = set(aliases) - set(State.objects.values_list("code", flat=True))
    if unknown_aliases:
        raise DataFileError(f"state_aliases.yaml: unknown codes {sorted(unknown_aliases)}")
    reference_protocol_depositary_load(data_dir=data_dir, stats=stats)


def protocol_participation(*, data_dir: Path) -> dict[str, dict[str, Any]]:
    """Each State's participation in the Protocol, by code, as the participants file writes it.

    Nothing is inferred: a status, date or kind the file leaves blank stays blank (a State the
    sources do not settle is "unknown"), and only a party may have consented.
    """
    name = PROTOCOL_PARTICIPANTS
    found: dict[str, dict[str, Any]] = {}
    for line, row in enumerate(read_csv(data_dir / name), start=2):
        where = f"{name}, line {line}"
        written = require(row, "iso3", where=where)
        code = _PARTICIPANT_CODES.get(written, written)
        if code in found:
            raise DataFileError(f"{where}: a second row for {written}")
        values = {
            "protocol_status": require(row, "status", where=where),
            "protocol_signature_date": parse_date(row.get("signature_date"), where=where),
            "protocol_consent_date": parse_date(row.get("consent_date"), where=where),
            "protocol_consent_kind": row.get("consent_kind") or "",
            "protocol_status_source": require(row, "source", where=where),
            "protocol_status_note": row.get("note") or "",
        }
        _check_choice(values["protocol_status"], State.ProtocolStatus, "status", where)
        if values["protocol_consent_kind"]:
            _check_choice(values["protocol_consent_kind"], State.ConsentKind, "consent_kind", where)
        consented = values["protocol_consent_date"] or values["protocol_consent_kind"]
        if consented and values["protocol_status"] != State.ProtocolStatus.PARTY:
            raise DataFileError(f"{where}: {written} has consented but is not a party")
        if not values["protocol_status_source"].strip():
            raise DataFileError(f"{where}: {written} has no source")
        found[code] = values
    return found


def reference_protocol_depositary_load(*, data_dir: Path, stats: LoadStats) -> None:
    """The depositary's counts of parties and signatories, each with its date and page."""
    name = PROTOCOL_DEPOSITARY
    for index, row in enumerate(read_yaml(data_dir / name) or [], start=1):
        where = f"{name}, entry {index}"
        as_of = parse_date(require(row, "as_of", where=where), where=where)
        if as_of is None:
            raise DataFileError(f"{where}: 'as_of' has no date")
        upsert_reference(
            ProtocolDepositaryCount,
            lookup={"as_of": as_of},
            values={
                "parties": _count(require(row, "parties", where=where), where=where),
                "signatories": _count(require(row, "signatories", where=where), where=where),
                "url": require(row, "url", where=where),
                "source": require(row, "source", where=where),
            },
            stats=stats,
        )


def _check_choice(value: str, choices: Any, field: str, where: str) -> None:
    if value not in choices.values:
        raise DataFileError(f"{where}: {field} {value!r} is not one of {choices.values}")


def _count(value: object, *, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DataFileError(f"{where}: {value!r} is not a count")
    return value
