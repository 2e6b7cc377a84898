"""The status vocabulary has one home, core/statuses.py; the copies that cannot import it (the
site's CSS, the compliance figure's columns) are held to it here, so none can drift."""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.conf import settings
from django.db import models

from compliance.apis import CountsSerializer, HistoryRowSerializer
from compliance.models import STATUS_FIELDS, ComplianceFigure
from core.statuses import (
    NO_INFORMATION,
    STATUS_COLOURS,
    STATUS_COLUMNS,
    STATUS_LABELS,
    TREND_COLOURS,
    ImplementationStatus,
)

BASE_DIR = Path(settings.BASE_DIR)
SITE_CSS = (BASE_DIR / "static" / "css" / "site.css").read_text(encoding="utf-8")
# Where a copy of a status colour could hide: the app code, templates, styles and scripts.
SOURCE_SUFFIXES = {".py", ".html", ".css", ".js"}
SKIPPED_DIRS = {"node_modules", "tests", "migrations", "vendor", "staticfiles", "__pycache__"}


def _root_properties() -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", SITE_CSS, re.DOTALL)
    assert root, "site.css declares no :root block"
    return {
        name: value.strip().lower()
        for name, value in re.findall(r"--([\w-]+)\s*:\s*([^;]+);", root.group(1))
    }


def _rule(selector: str) -> str | None:
    """The declarations of the rule for exactly `selector`, or None."""
    found = re.search(rf"(?m)^{re.escape(selector)}\s*\{{([^}}]*)\}}", SITE_CSS)
    return found.group(1) if found else None


def test_the_vocabulary_is_the_stored_statuses_then_no_information():
    assert (*ImplementationStatus.values, NO_INFORMATION) == STATUS_COLUMNS
    assert list(STATUS_LABELS) == list(STATUS_COLUMNS)
    assert list(STATUS_COLOURS) == list(STATUS_COLUMNS)


def test_every_status_colour_in_the_css_is_the_one_in_core_statuses():
    properties = _root_properties()

    assert {status: properties.get(status) for status in STATUS_COLUMNS} == {
        status: colour.lower() for status, colour in STATUS_COLOURS.items()
    }


def test_every_status_has_a_chart_fill_and_a_badge_in_the_css():
    for status in STATUS_COLUMNS:
        fill = _rule(f".fill-{status}")
        assert fill is not None, f"site.css has no .fill-{status}"
        assert f"fill: var(--{status})" in fill
        assert f"background: var(--{status})" in fill
        assert _rule(f".status-{status}") is not None, f"site.css has no .status-{status} badge"


def test_the_css_fills_no_status_outside_the_vocabulary():
    fills = set(re.findall(r"(?m)^\.fill-([\w-]+)\s*\{", SITE_CSS))

    assert fills == set(STATUS_COLUMNS)


def test_compliance_counts_every_status_in_a_field_of_its_name():
    counters = {
        field.name
        for field in ComplianceFigure._meta.concrete_fields
        if isinstance(field, models.PositiveIntegerField)
    }
    # The fields that count something other than a status.
    not_statuses = {"position", "reported", "states_parties"}

    assert STATUS_FIELDS == STATUS_COLUMNS
    assert counters - not_statuses == set(STATUS_COLUMNS)


def test_the_api_contract_names_every_status_as_a_count():
    # Written out, as a published contract should be; held to the vocabulary here.
    assert set(STATUS_COLUMNS) <= set(CountsSerializer().fields)
    assert set(STATUS_COLUMNS) <= set(HistoryRowSerializer.Meta.fields)


def test_the_trend_lines_take_their_colours_from_the_palette():
    assert TREND_COLOURS["implementing"] == STATUS_COLOURS[ImplementationStatus.IMPLEMENTED]
    # The reporting line must not look like a status it is not.
    assert TREND_COLOURS["reported"] not in STATUS_COLOURS.values()


def _sources() -> list[Path]:
    sources = []
    for folder, subfolders, files in os.walk(BASE_DIR):
        # Pruned in place, so the walk never enters the virtualenv or the tests.
        subfolders[:] = [d for d in subfolders if d not in SKIPPED_DIRS and not d.startswith(".")]
        sources += [Path(folder, name) for name in files if Path(name).suffix in SOURCE_SUFFIXES]
    return sources


def test_no_other_file_writes_a_status_colour_out_again():
    homes = {BASE_DIR / "core" / "statuses.py", BASE_DIR / "static" / "css" / "site.css"}
    colours = [colour.lower() for colour in STATUS_COLOURS.values()]
    copies = []
    for path in _sources():
        if path in homes:
            continue
        text = path.read_text(encoding="utf-8", errors="replace").lower()
        copies += [f"{path.relative_to(BASE_DIR)}: {c}" for c in colours if c in text]

    assert copies == []
