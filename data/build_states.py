"""Build `data/states.csv` from the source files kept in `data/sources/`.

Run from the repository root: `.venv/bin/python data/build_states.py`. The script is not used at
run time; it exists so that every State's row can be traced back to its sources and rebuilt.

Rules (see data/README.md):

- One row per UN Member State (`un_regional_groups.csv`), plus the two non-member observer
  States (Holy See, State of Palestine) and the European Union.
- The Protocol status comes only from what the sources say, from the strongest source down:
  (a) the UN Treaty Collection participant table (partial excerpt), (b) the Austrian notice of
  deposits, (c) the UN News list of the first 40 parties, (d) the 2020 report's attendance
  (paragraphs 27-29), (e) the 2018 draft report addendum (paragraph 10). Where two sources
  disagree, the 2020 report (the later formal report) is preferred over the 2018 draft report,
  and the conflict is written in `protocol_status_source`. A State no source mentions is
  `unknown`.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent
SOURCES = DATA_DIR / "sources"
OUTPUT = DATA_DIR / "states.csv"

UN_GROUPS = SOURCES / "un_regional_groups.csv"
UNTC = SOURCES / "protocol_status_partial_albania_to_france.csv"
DEPOSITS = SOURCES / "protocol_deposits_subset_2001_2010.csv"
FIRST_40 = SOURCES / "protocol_first_40_parties_2003.txt"
REPORT_2020 = SOURCES / "001_c1765e406b4dbe95.txt"
REPORT_2018 = SOURCES / "004_26ecf3138e479f02.txt"

COLUMNS = [
    "code",
    "name",
    "kind",
    "regional_group",
    "regional_group_note",
    "protocol_status",
    "protocol_signature_date",
    "protocol_consent_date",
    "protocol_consent_kind",
    "protocol_status_source",
]

DEFAULT_GROUP_NOTE = "Single formal group in the current DGACM roster."
# The csv's note for the United States goes on to explain why its own (speech-analysis) mapping
# keeps the United States out of any group; this product follows official_listed_groups
# instead, so only the first sentence, which states the facts, is kept.
UNITED_STATES_GROUP_NOTE = (
    "DGACM says no formal group membership; attends WEOG as observer and is considered WEOG "
    "for elections."
)

NON_MEMBERS = [
    {"code": "VAT", "name": "Holy See", "kind": "observer_state"},
    {"code": "PSE", "name": "State of Palestine", "kind": "observer_state"},
    {"code": "EU", "name": "European Union", "kind": "regional_organization"},
]

CONSENT_KINDS = {
    "": "ratification",
    "a": "accession",
    "A": "acceptance",
    "AA": "approval",
    "d": "succession",
}

UNKNOWN_SOURCE = "Not stated in any source document."
# Said of a State whose status stays unknown although a source names something close to it.
UNKNOWN_NOTES = {
    "MNE": (
        'Not stated in any source document (the UN News 2003 list names "Serbia and '
        'Montenegro", recorded for Serbia as the continuing State).'
    ),
}
OUTCOMES = {
    "party": "party",
    "signatory": "signatory",
    "not_party": "neither party nor signatory",
}


@dataclass
class Evidence:
    """What the sources say about one State's participation in the Protocol."""

    untc_signature: datetime.date | None = None
    untc_consent: datetime.date | None = None
    untc_consent_kind: str = ""
    untc_text: str = ""
    deposit: datetime.date | None = None
    deposit_text: str = ""
    first_40_text: str = ""
    report_2020: str = ""  # party | signatory | not_party
    report_2020_text: str = ""
    report_2018: str = ""  # party
    report_2018_text: str = ""


def read_commented_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file whose first lines are `#` comments naming its source."""
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


class Names:
    """Resolves a name as a source writes it to a code, through the UN names and the aliases."""

    def __init__(self, un_names: dict[str, str], aliases: dict[str, str]) -> None:
        self.codes = {name.casefold(): code for name, code in {**un_names, **aliases}.items()}

    def __contains__(self, name: str) -> bool:
        return name.casefold() in self.codes

    def code(self, name: str, *, source: str) -> str:
        try:
            return self.codes[name.strip().casefold()]
        except KeyError:
            sys.exit(f"{source}: unknown State name {name!r}; add it to state_aliases.yaml")


def split_name_list(text: str, names: Names) -> list[str]:
    """Split "A, B, C and D." into names; a last name containing " and " is kept if known."""
    parts = text.strip().rstrip(".").split(", ")
    last = parts[-1]
    if " and " in last and last not in names:
        parts[-1:] = last.rsplit(" and ", 1)
    return [part.strip() for part in parts]


def paragraph_list(text: str, number: int) -> str:
    """The list of names after the colon of numbered paragraph `number` of a report."""
    match = re.search(rf"^{number}\. [^:\n]*: (.*)$", text, re.MULTILINE)
    if match is None:
        sys.exit(f"paragraph {number} not found")
    return match.group(1)


def as_written(name: str, un_name: str) -> str:
    return "" if name == un_name else f' (as "{name}")'


def collect_evidence(names: Names, un_name_of: dict[str, str]) -> dict[str, Evidence]:
    evidence: dict[str, Evidence] = {}

    def of(code: str) -> Evidence:
        return evidence.setdefault(code, Evidence())

    # (a) UN Treaty Collection participant table, Albania to France.
    for row in read_commented_csv(UNTC):
        written = row["participant"]
        name = re.sub(r"\s+\d+$", "", written)  # "Denmark 1": footnote marker 1
        code = names.code(name, source=UNTC.name)
        item = of(code)
        parts = []
        if row["signature"]:
            item.untc_signature = datetime.datetime.strptime(row["signature"], "%d %b %Y").date()
            parts.append(f"signature {row['signature']}")
        consent = row["ratification_acceptance_approval_accession_succession"]
        if consent:
            match = re.fullmatch(r"(\d{1,2} \w{3} \d{4})(?: (a|A|AA|d))?", consent)
            if match is None:
                sys.exit(f"{UNTC.name}: cannot read {consent!r}")
            item.untc_consent = datetime.datetime.strptime(match.group(1), "%d %b %Y").date()
            item.untc_consent_kind = CONSENT_KINDS[match.group(2) or ""]
            parts.append(f"{item.untc_consent_kind} {match.group(1)}")
        else:
            parts.append("no ratification, acceptance, approval, accession or succession")
        marker = ' (footnote marker "1" on the page)' if written != name else ""
        item.untc_text = (
            "UN Treaty Collection participant table (partial excerpt)"
            f"{as_written(name, un_name_of[code])}{marker}: {', '.join(parts)}"
        )

    # (b) Austrian notice of deposits, 2001-2010.
    for row in read_commented_csv(DEPOSITS):
        name = row["state_as_written"]
        code = names.code(name, source=DEPOSITS.name)
        item = of(code)
        item.deposit = datetime.datetime.strptime(row["date_of_deposit"], "%d %B %Y").date()
        item.deposit_text = (
            "Austrian notice of deposits (BGBl III, machine translation)"
            f"{as_written(name, un_name_of[code])}: instrument deposited {row['date_of_deposit']}"
        )

    # (c) UN News, November 2003: the first 40 parties.
    first_40_line = next(
        line
        for line in FIRST_40.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    first_40 = split_name_list(first_40_line, names)
    if len(first_40) != 40:
        sys.exit(f"{FIRST_40.name}: {len(first_40)} names, expected 40")
    for name in first_40:
        code = names.code(name, source=FIRST_40.name)
        text = f"UN News 2003: among the first 40 parties{as_written(name, un_name_of[code])}"
        if name == "Serbia and Montenegro":
            text += ", recorded for Serbia as the continuing State"
        of(code).first_40_text = text

    # (d) 2020 report, attendance: paragraphs 27 (parties), 28 (signatories), 29 (neither).
    report_2020 = REPORT_2020.read_text(encoding="utf-8")
    for number, status, wording, expected in (
        (27, "party", "party represented at the meeting", 74),
        (28, "signatory", "signatory represented by an observer", 2),
        (29, "not_party", "not a party or signatory, represented by an observer", 14),
    ):
        listed = split_name_list(paragraph_list(report_2020, number), names)
        if len(listed) != expected:
            sys.exit(f"{REPORT_2020.name} paragraph {number}: {len(listed)} names")
        for name in listed:
            code = names.code(name, source=REPORT_2020.name)
            item = of(code)
            item.report_2020 = status
            item.report_2020_text = (
                f"2020 WGSOM report (para. {number}){as_written(name, un_name_of[code])}: {wording}"
            )

    # (e) 2018 draft report addendum, paragraph 10: parties that made statements.
    report_2018 = REPORT_2018.read_text(encoding="utf-8")
    listed = split_name_list(paragraph_list(report_2018, 10), names)
    if len(listed) != 14:
        sys.exit(f"{REPORT_2018.name} paragraph 10: {len(listed)} names")
    for name in listed:
        code = names.code(name, source=REPORT_2018.name)
        item = of(code)
        item.report_2018 = "party"
        item.report_2018_text = (
            f"2018 WGSOM draft report addendum (para. 10){as_written(name, un_name_of[code])}: "
            "party making a statement"
        )
    return evidence


def resolve(item: Evidence | None) -> dict[str, str]:
    """Status, dates and source text for one State, from the strongest source that speaks."""
    blank = {
        "protocol_status": "unknown",
        "protocol_signature_date": "",
        "protocol_consent_date": "",
        "protocol_consent_kind": "",
        "protocol_status_source": UNKNOWN_SOURCE,
    }
    if item is None:
        return blank

    claims: list[tuple[str, str]] = []  # (source label, status), strongest first
    if item.untc_text:
        status = "party" if item.untc_consent else "signatory"
        claims.append(("UN Treaty Collection table", status))
    if item.deposit_text:
        claims.append(("Austrian notice of deposits", "party"))
    if item.first_40_text:
        claims.append(("UN News 2003 list", "party"))
    if item.report_2020:
        claims.append(("2020 report", item.report_2020))
    if item.report_2018:
        claims.append(("2018 draft report addendum", item.report_2018))

    # The claims are ordered strongest first, so the 2020 report outranks the 2018 draft.
    label, status = claims[0]
    conflicts = [
        f"CONFLICT: the {other} says {OUTCOMES[claim]}, the {label} says {OUTCOMES[status]}; "
        f"the {label} is preferred"
        + (" (the later formal report)" if other == "2018 draft report addendum" else "")
        for other, claim in claims[1:]
        if claim != status
    ]
    if item.untc_consent and item.deposit and item.untc_consent != item.deposit:
        conflicts.append("CONFLICT: the deposit date differs from the UN Treaty Collection date")

    signature = item.untc_signature
    consent, kind = item.untc_consent, item.untc_consent_kind
    if consent is None and item.deposit is not None:
        consent, kind = item.deposit, "deposit"

    texts = [
        item.untc_text,
        item.deposit_text,
        item.first_40_text,
        item.report_2020_text,
        item.report_2018_text,
        *conflicts,
    ]
    return {
        "protocol_status": status,
        "protocol_signature_date": signature.isoformat() if signature else "",
        "protocol_consent_date": consent.isoformat() if consent else "",
        "protocol_consent_kind": kind,
        "protocol_status_source": "; ".join(text for text in texts if text),
    }


def build() -> list[dict[str, str]]:
    groups = yaml.safe_load((DATA_DIR / "regional_groups.yaml").read_text(encoding="utf-8"))
    slug_of_group = {group["name"]: group["slug"] for group in groups}
    aliases = yaml.safe_load((DATA_DIR / "state_aliases.yaml").read_text(encoding="utf-8"))

    rows = []
    for source in read_commented_csv(UN_GROUPS):
        listed = source["official_listed_groups"].split(";")
        group = source["analytical_group"] if len(listed) > 1 else listed[0]
        note = source["assignment_note"]
        if source["iso3"] == "USA":
            note = UNITED_STATES_GROUP_NOTE
        rows.append(
            {
                "code": source["iso3"],
                "name": source["country"],
                "kind": "member_state",
                "regional_group": slug_of_group[group],
                "regional_group_note": "" if note == DEFAULT_GROUP_NOTE else note,
            }
        )
    if len(rows) != 193:
        sys.exit(f"{UN_GROUPS.name}: {len(rows)} Member States, expected 193")
    rows.extend({**row, "regional_group": "", "regional_group_note": ""} for row in NON_MEMBERS)

    un_name_of = {row["code"]: row["name"] for row in rows}
    names = Names({row["name"]: row["code"] for row in rows}, aliases)
    unknown_codes = set(aliases.values()) - set(un_name_of)
    if unknown_codes:
        sys.exit(f"state_aliases.yaml: unknown codes {sorted(unknown_codes)}")
    evidence = collect_evidence(names, un_name_of)
    for row in rows:
        row.update(resolve(evidence.get(row["code"])))
        if row["protocol_status"] == "unknown" and row["code"] in UNKNOWN_NOTES:
            row["protocol_status_source"] = UNKNOWN_NOTES[row["code"]]
    return rows


def main() -> None:
    rows = build()
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["protocol_status"]] = counts.get(row["protocol_status"], 0) + 1
    print(f"wrote {len(rows)} rows to {OUTPUT.relative_to(DATA_DIR.parent)}: {counts}")
    for row in rows:
        if "CONFLICT" in row["protocol_status_source"]:
            print(f"  {row['code']}: {row['protocol_status_source']}")


if __name__ == "__main__":
    main()
