"""Build `data/states.csv` from the source files kept in `data/sources/`.

Run from the repository root: `.venv/bin/python data/build_states.py`. The script is not used at
run time; it exists so that every State's row can be traced back to its sources and rebuilt.

Rules (see data/README.md):

- One row per UN Member State (`un_regional_groups.csv`), plus the two non-member observer
  States (Holy See, State of Palestine) and the European Union.
- Each Member State's regional group is its official group in the roster; where the roster
  lists two, its analytical group. The roster's note is kept where it says more than "single
  formal group".

The Protocol status is not in `states.csv`: `load_wgsom` reads it, as it is, from
`sources/smuggling_protocol_participants.csv` (see data/README.md).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent
SOURCES = DATA_DIR / "sources"
OUTPUT = DATA_DIR / "states.csv"

UN_GROUPS = SOURCES / "un_regional_groups.csv"

COLUMNS = ["code", "name", "kind", "regional_group", "regional_group_note"]

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


def read_commented_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file whose first lines are `#` comments naming its source."""
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


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

    unknown_codes = set(aliases.values()) - {row["code"] for row in rows}
    if unknown_codes:
        sys.exit(f"state_aliases.yaml: unknown codes {sorted(unknown_codes)}")
    return rows


def main() -> None:
    rows = build()
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUTPUT.relative_to(DATA_DIR.parent)}")


if __name__ == "__main__":
    main()
