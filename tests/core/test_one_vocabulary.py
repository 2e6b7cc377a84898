"""One status vocabulary and one palette: core/statuses.py names every status, its label and
its colour; the palette block (:root) of static/css/site.css repeats the colours for the
stylesheets (tests/core/test_statuses.py holds it equal). No template, view, stylesheet or
script anywhere else may define a status colour (the same hex value, or one so near it reads
as the same colour) or write a status label out again (it takes STATUS_LABELS, the
`_status_badge.html` partial or the chart component instead). Translations (locale/) are the
labels' own home in other languages and are not scanned."""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.conf import settings

from core.statuses import STATUS_COLOURS, STATUS_LABELS, TREND_COLOURS

BASE_DIR = Path(settings.BASE_DIR)
HOME = BASE_DIR / "core" / "statuses.py"
SITE_CSS = BASE_DIR / "static" / "css" / "site.css"
SCANNED = {".py", ".html", ".txt", ".css", ".js"}
SKIPPED_DIRS = {
    "locale",
    "tests",
    "migrations",
    "vendor",
    "node_modules",
    "staticfiles",
    "__pycache__",
    "benchmarks",
    "docs",
    "data",
}
# Two colours closer than this (straight-line distance in RGB, 0 to 441) read as one.
NEAR = 16
HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def _rgb(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


PALETTE = {name: _rgb(colour) for name, colour in {**STATUS_COLOURS, **TREND_COLOURS}.items()}


def _near_a_status(colour: str) -> str | None:
    r, g, b = _rgb(colour)
    for name, (pr, pg, pb) in PALETTE.items():
        if ((r - pr) ** 2 + (g - pg) ** 2 + (b - pb) ** 2) ** 0.5 <= NEAR:
            return name
    return None


def _sources() -> list[Path]:
    found = []
    for folder, subfolders, files in os.walk(BASE_DIR):
        subfolders[:] = [d for d in subfolders if d not in SKIPPED_DIRS and not d.startswith(".")]
        found += [Path(folder, name) for name in files if Path(name).suffix in SCANNED]
    return sorted(found)


def _text_outside_the_palette_block(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path == SITE_CSS:
        # The :root block is the palette's copy for CSS, held equal by test_statuses.py.
        text = re.sub(r":root\s*\{.*?\}", "", text, count=1, flags=re.DOTALL)
    return text


def _label_patterns(suffix: str) -> dict[str, re.Pattern[str]]:
    """How a label would be written out again in a file of `suffix`: through gettext in
    Python, a translate tag or an element's text in a template, any string in CSS or JS.
    (Prose that mentions a status in quotes, as a docstring may, is not a definition.)"""
    patterns = {}
    for status, label in STATUS_LABELS.items():
        words = re.escape(str(getattr(label, "_proxy____args", [label])[0]))
        quoted = rf"""(["']){words}\1"""
        if suffix == ".py":
            call = r"\b(?:_|gettext|gettext_lazy|gettext_noop|pgettext|pgettext_lazy)\("
            pattern = rf"""{call}(?:\s*["'][^"']*["']\s*,)?\s*{quoted}"""
        elif suffix in {".html", ".txt"}:
            pattern = "|".join(
                (
                    rf"{{%\s*(?:translate|trans)\s+{quoted}",
                    rf">\s*{words}\s*<",
                    rf"{{%\s*blocktrans(?:late)?[^%]*%}}\s*{words}\s*{{%",
                )
            )
        else:
            pattern = quoted
        patterns[status] = re.compile(pattern)
    return patterns


def test_no_file_outside_core_statuses_defines_a_status_colour():
    copies = []
    for path in _sources():
        if path == HOME:
            continue
        for match in HEX.finditer(_text_outside_the_palette_block(path)):
            status = _near_a_status(match.group(0))
            if status:
                copies.append(f"{path.relative_to(BASE_DIR)}: {match.group(0)} ({status})")

    assert copies == []


def test_no_file_outside_core_statuses_writes_a_status_label():
    copies = []
    for path in _sources():
        if path == HOME:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for status, pattern in _label_patterns(path.suffix).items():
            if pattern.search(text):
                copies.append(f"{path.relative_to(BASE_DIR)}: {status}")

    assert copies == []


def test_the_scan_would_catch_a_copy():
    # The checks above are only as good as their patterns: a copied colour, a colour a shade
    # off and a copied label must all be caught.
    assert _near_a_status(STATUS_COLOURS["implemented"]) == "implemented"
    red, green, blue = (min(255, c + 6) for c in PALETTE["in_progress"])
    shade_off = f"#{red:02x}{green:02x}{blue:02x}"
    assert _near_a_status(shade_off) == "in_progress"
    assert _near_a_status("#ffffff") is None
    html, python = _label_patterns(".html"), _label_patterns(".py")
    assert html["partially_implemented"].search('{% translate "Partially implemented" %}')
    assert html["no_information"].search("<td>No information</td>")
    assert python["in_progress"].search('STATUS = _("In progress")')
    assert python["not_applicable"].search('pgettext("status", "Not applicable")')
    assert not html["implemented"].search('{% translate "Implemented, fully or partly" %}')
    assert not python["no_information"].search('"""A dash for "No information"."""')
