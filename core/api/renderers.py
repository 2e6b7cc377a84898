"""CSV beside JSON for every list, and DRF's browsable pages without the filter form."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rest_framework import renderers
from rest_framework.renderers import BaseRenderer

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """One CSV row from a nested object: `{"meeting": {"ordinal": 7}}` -> `meeting.ordinal`."""
    if isinstance(value, dict):
        row: dict[str, Any] = {}
        for key, item in value.items():
            row.update(_flatten(item, f"{prefix}{key}."))
        return row
    if isinstance(value, list):
        # Lists of scalars (theme slugs, say) read best in one cell; lists of objects keep
        # their JSON-ish text rather than exploding into an unbounded number of columns.
        text = "; ".join(
            str(item) if not isinstance(item, dict | list) else repr(item) for item in value
        )
        return {prefix[:-1]: text}
    return {prefix[:-1]: "" if value is None else value}


class CSVRenderer(BaseRenderer):
    """The rows of a list (the current page of it) as CSV, one column per flattened field.

    Columns follow the serializer's field order. Paging metadata is in the Link header that the
    list views add, since a CSV body has nowhere to put it.
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
        flat = [_flatten(row) if isinstance(row, dict) else {"value": row} for row in rows]
        columns: list[str] = []
        for row in flat:
            for column in row:
                if column not in columns:
                    columns.append(column)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(flat)
        return buffer.getvalue().encode(self.charset)


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's HTML pages for people, without the filter form.

    The form submits every filter, empty ones too, and the API refuses an empty value; the
    filters are typed in the address instead, as the documentation at /api/v1/docs/ shows.
    """

    def get_filter_form(self, data: Any, view: APIView, request: Request) -> None:
        return None
