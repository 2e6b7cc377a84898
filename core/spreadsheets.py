"""Tables for spreadsheet programs: streamed CSV and styled XLSX, safe to open.

Every CSV and XLSX the project writes (the API's CSV, the site's downloads, the compliance
table, the status matrix) goes through these helpers, for three reasons:

- Formula injection (OWASP "CSV Injection"): a cell whose text begins with `=`, `+`, `-`, `@`,
  a tab or a carriage return is run as a formula by Excel, LibreOffice and Google Sheets.
  Report descriptions and other texts come from outside the Secretariat, so such a text is
  prefixed with a single quote (`'=1+1`), which spreadsheet programs show as text. Only text
  is touched: a real number (-3) stays a number.
- One way of writing values: empty cells for nulls, `true`/`false` for booleans, ISO 8601 for
  dates, so that a column keeps one type whatever the rows hold.
- Constant memory: CSV is produced row by row as bytes for a `StreamingHttpResponse`.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# Rows written per chunk of a CSV stream: big enough that the per-chunk overhead is nothing,
# small enough that a chunk stays a few hundred kilobytes.
CSV_ROWS_PER_CHUNK = 500

# Widest column, in characters, an XLSX download opens with (long texts wrap past it).
MAX_COLUMN_WIDTH = 60


def neutralise_formula(value: Any) -> Any:
    """`value` made safe for a spreadsheet cell: text that a spreadsheet program would run as
    a formula is prefixed with a single quote; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell_text(value: Any) -> str:
    """One scalar as CSV text: "" for None, true/false, ISO 8601 dates, numbers as Python
    writes them, and text neutralised (see `neutralise_formula`)."""
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: a bool is an int
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.time):  # a datetime is a date
        return value.isoformat()
    return str(neutralise_formula(str(value)))


def keep_language(rows: Iterable[Any]) -> Iterator[Any]:
    """`rows`, read in the language active now. A streamed response is read after its view
    has returned, when the request's language may no longer be active; the values that are
    translated (status labels, theme names) must still be in the one the page was in."""
    language = translation.get_language()

    def read() -> Iterator[Any]:
        with translation.override(language):
            yield from rows

    return read()


class _Echo:
    """A file-like object whose write returns what it was given: csv.writer then hands
    back each formatted line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_stream(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    bom: bool = False,
    convert: Any = cell_text,
) -> Iterator[bytes]:
    """CSV bytes for a `StreamingHttpResponse`: the header line (after a UTF-8 byte-order
    mark when `bom`, which Excel needs to read UTF-8), then the rows in chunks. Each cell
    goes through `convert` (by default `cell_text`). Nothing is read from `rows` before the
    response starts sending, and only one chunk is held at a time."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield ((BOM if bom else "") + str(writer.writerow(list(header)))).encode("utf-8")
    chunk: list[str] = []
    for row in rows:
        chunk.append(str(writer.writerow([convert(cell) for cell in row])))
        if len(chunk) >= CSV_ROWS_PER_CHUNK:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    if chunk:
        yield "".join(chunk).encode("utf-8")


def download_filename(
    names: Sequence[str], filters: Iterable[tuple[str, Any]], extension: str
) -> str:
    """A file name that says what a download holds: `names` then each filter as
    name-value, slugified (ASCII, so that every browser and file system keeps it) and capped
    at 150 characters: `wgsom-recommendations-theme-prevention-meeting-7.csv`."""
    parts = [slugify(str(name)) for name in names]
    parts += [slugify(f"{name}-{value}") for name, value in filters if value not in (None, "")]
    stem = "-".join(part for part in parts if part)[:150].strip("-") or "export"
    return f"{stem}.{extension}"


def _xlsx_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        # XLSX has no time zones: write the instant as ISO text rather than lose its offset.
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value
    # Characters XML 1.0 cannot hold would make openpyxl refuse the whole workbook.
    return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _write_row(sheet: Any, row_number: int, values: Sequence[Any], font: Font | None) -> None:
    for column, raw in enumerate(values, start=1):
        value = _xlsx_value(raw)
        cell = sheet.cell(row=row_number, column=column, value=value)
        if isinstance(value, str):
            # Text stays text: openpyxl would otherwise read "#N/A" as an error value.
            cell.data_type = "s"
        if font is not None:
            cell.font = font


def xlsx_table(
    *,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    about: Sequence[tuple[str, Any]],
    about_title: str = "About",
) -> bytes:
    """An XLSX workbook: the table on a first sheet (bold, frozen header row with an
    autofilter, columns as wide as their content up to MAX_COLUMN_WIDTH) and an "About"
    sheet of (what, value) lines saying what the file holds. Every text cell is written as a
    string and neutralised (see `neutralise_formula`)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # the longest name XLSX allows
    bold = Font(bold=True)
    _write_row(sheet, 1, header, bold)
    widths = [len(str(name)) for name in header]
    count = 0
    for count, row in enumerate(rows, start=1):
        _write_row(sheet, count + 1, row, None)
        for index, value in enumerate(row[: len(widths)]):
            longest = max((len(line) for line in str(value or "").splitlines()), default=0)
            widths[index] = max(widths[index], longest)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(len(header), 1))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"

    info = workbook.create_sheet(about_title[:31])
    wrap = Alignment(wrap_text=True, vertical="top")
    for line, (what, value) in enumerate(about, start=1):
        _write_row(info, line, [what, value], None)
        info.cell(row=line, column=1).font = bold
        info.cell(row=line, column=2).alignment = wrap
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 100

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
