"""Writes for States and regional groups."""

from __future__ import annotations

from pathlib import Path

import pycountry
from django.db import transaction

from core.data_files import DataFileError, parse_date, read_csv, read_yaml, require
from core.reference_data import LoadStats, upsert_reference
from states.models import RegionalGroup, State

# The European Union has no alpha-3 code; ISO 3166-1 reserves "EU" for it exceptionally.
EUROPEAN_UNION_CODE = "EU"


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
    """Load the regional groups and every State from `regional_groups.yaml` and `states.csv`.

    Names that documents use besides the UN name come from `state_aliases.yaml`, so that the
    meeting data (and later imports) can name States as their documents do.
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

    for line, row in enumerate(read_csv(data_dir / "states.csv"), start=2):
        where = f"states.csv, line {line}"
        code = require(row, "code", where=where)
        iso3, iso2 = _iso_codes(code, where=where)
        group_slug = row.get("regional_group", "")
        if group_slug and group_slug not in groups:
            raise DataFileError(f"{where}: unknown regional group {group_slug!r}")
        values = {
            "iso3": iso3,
            "iso2": iso2,
            "name": require(row, "name", where=where),
            "other_names": sorted(aliases.get(code, [])),
            "kind": require(row, "kind", where=where),
            "regional_group": groups.get(group_slug),
            "regional_group_note": row.get("regional_group_note", ""),
            "protocol_status": require(row, "protocol_status", where=where),
            "protocol_signature_date": parse_date(row.get("protocol_signature_date"), where=where),
            "protocol_consent_date": parse_date(row.get("protocol_consent_date"), where=where),
            "protocol_consent_kind": row.get("protocol_consent_kind", ""),
            "protocol_status_source": row.get("protocol_status_source", ""),
        }
        _check_choice(values["kind"], State.Kind, "kind", where)
        _check_choice(values["protocol_status"], State.ProtocolStatus, "protocol_status", where)
        if values["protocol_consent_kind"]:
            _check_choice(
                values["protocol_consent_kind"], State.ConsentKind, "protocol_consent_kind", where
            )
        upsert_reference(State, lookup={"code": code}, values=values, stats=stats)

    unknown_aliases = set(aliases) - set(State.objects.values_list("code", flat=True))
    if unknown_aliases:
        raise DataFileError(f"state_aliases.yaml: unknown codes {sorted(unknown_aliases)}")


def _check_choice(value: str, choices, field: str, where: str) -> None:
    if value not in choices.values:
        raise DataFileError(f"{where}: {field} {value!r} is not one of {choices.values}")
