"""CSV beside JSON for every list, and DRF's browsable pages without the filter form."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rest_framework import renderers
from rest_framework.renderers import BaseRenderer

from core.api.csv import csv_columns, csv_row
from core.spreadsheets import XLSX_CONTENT_TYPE, csv_stream

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted columns of a nested object with no serializer to name them: `{"meeting":
    {"ordinal": 7}}` -> `meeting.ordinal`."""
    if isinstance(value, dict):
        row: dict[str, Any] = {}
        for key, item in value.items():
            row.update(_flatten(item, f"{prefix}{key}."))
        return row
    return {prefix[:-1]: value}


class CSVRenderer(BaseRenderer):
    """What a non-list answer holds (a detail as one row, a small table) as CSV.

    Lists do not come here: the list views stream every matching row themselves
    (core/api/views.py). Columns are the serializer's (core/api/csv.py: `csv_columns`), read
    from the data's serializer, so that they do not depend on the values; data without one
    falls back to the keys met in the rows.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        rows: Iterable[Any]
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        serializer = getattr(rows, "serializer", None) or getattr(data, "serializer", None)
        rows = [row if isinstance(row, Mapping) else {"value": row} for row in rows]
        if serializer is not None:
            columns = csv_columns(serializer)
        else:
            columns = []
            for row in rows:
                for column in _flatten(row):
                    if column not in columns:
                        columns.append(column)
        lines = csv_stream(columns, (csv_row(row, columns) for row in rows), convert=str)
        return b"".join(lines)


class XLSXRenderer(BaseRenderer):
    """`?format=xlsx` where a view offers a workbook: the view builds the bytes (with
    core/spreadsheets.py), this only names the format for content negotiation."""

    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        return data if isinstance(data, bytes) else b""


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's HTML pages for people, without the filter form.

    The form submits every filter, empty ones too, and the API refuses an empty value; the
    filters are typed in the address instead, as the documentation at /api/v1/docs/ shows.
    """

    def get_filter_form(self, data: Any, view: APIView, request: Request) -> None:
        return None
