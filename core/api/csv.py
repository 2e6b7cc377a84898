"""The API's CSV: columns declared by the serializer, rows flattened, whole lists streamed.

The columns of a CSV answer are the serializer's fields in their declared order, a nested
object flattened into dotted columns (`meeting.ordinal`). They come from the serializer, never
from the rows, so a CSV has the same header whether it holds no row or a million, and in every
interface language: the header is field names, which are never translated. The schema
describes CSV answers with the same `csv_columns`.

Cells: null is an empty cell, booleans are `true`/`false`, dates and date-times ISO 8601, a
list of values one cell joined with "; " (a list of objects, or an object, its JSON text),
and text is neutralised against formula injection (core/spreadsheets.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers

from core.spreadsheets import cell_text, csv_stream, keep_language, neutralise_formula

BOM_PARAMETER = "bom"
_BOM_VALUES = {"1": True, "true": True, "0": False, "false": False}


def _column_paths(serializer: serializers.BaseSerializer[Any]) -> list[tuple[str, ...]]:
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child  # type: ignore[assignment]  # always set by many=True
    paths: list[tuple[str, ...]] = []
    for name, field in serializer.fields.items():  # type: ignore[attr-defined]  # a Serializer
        if field.write_only:
            continue
        if isinstance(field, serializers.Serializer):
            # One nested object: its fields become dotted columns. A list of objects
            # (many=True) stays one cell, since it has no fixed number of columns.
            paths.extend((name, *inner) for inner in _column_paths(field))
        else:
            paths.append((name,))
    return paths


def csv_columns(serializer: serializers.BaseSerializer[Any]) -> list[str]:
    """The CSV header of what `serializer` represents (a ListSerializer: of one of its rows).

    Field names in the serializer's declared order, write-only fields left out, a nested
    serializer's fields as `outer.inner` (recursively), and a list (of values or of objects)
    as one column.
    """
    return [".".join(path) for path in _column_paths(serializer)]


def csv_cell(value: Any) -> str:
    """One cell's text (see the module docstring for the rules)."""
    if isinstance(value, list | tuple):
        if any(isinstance(item, Mapping | list | tuple) for item in value):
            return cell_text(json.dumps(value, ensure_ascii=False, default=str))
        # Joined first, neutralised once: only the cell's first character matters.
        joined = "; ".join(item if isinstance(item, str) else cell_text(item) for item in value)
        return str(neutralise_formula(joined))
    if isinstance(value, Mapping):
        return cell_text(json.dumps(value, ensure_ascii=False, default=str))
    return cell_text(value)


def csv_row(data: Any, columns: Sequence[str]) -> list[str]:
    """The cells of one serialized row under `columns` (from `csv_columns`): a dotted column
    reads into nested objects; what is missing, or under a null object, is an empty cell."""
    return _cells(data, [column.split(".") for column in columns])


def _cells(data: Any, paths: Sequence[Sequence[str]]) -> list[str]:
    cells = []
    for path in paths:
        value = data
        for part in path:
            value = value.get(part) if isinstance(value, Mapping) else None
        cells.append(csv_cell(value))
    return cells


def serialized_csv(
    serializer: serializers.BaseSerializer[Any],
    objects: Iterable[Any],
    *,
    bom: bool = False,
) -> Iterator[bytes]:
    """CSV bytes of `objects`, each represented by `serializer` (a ListSerializer: by its
    child), one at a time: memory stays that of one chunk of rows whatever their number.

    The stream runs after the view has returned, so it keeps the language the request was
    answered in (the header never changes with it, some values may).
    """
    child = cast(
        "serializers.BaseSerializer[Any]",
        serializer.child if isinstance(serializer, serializers.ListSerializer) else serializer,
    )
    columns = csv_columns(child)
    paths = [column.split(".") for column in columns]  # split once, not once per row
    rows = (_cells(child.to_representation(obj), paths) for obj in objects)
    return csv_stream(columns, keep_language(rows), bom=bom, convert=str)


def bom_requested(query_params: Mapping[str, Any]) -> bool:
    """`?bom=1` (or `true`): a CSV answer starts with a UTF-8 byte-order mark, which Excel
    needs to read accents right. `0`/`false` or no parameter: no mark. Anything else is a
    400 naming the parameter."""
    raw = query_params.get(BOM_PARAMETER)
    if not raw:  # absent, or empty, which the API reads as not given
        return False
    if raw not in _BOM_VALUES:
        raise exceptions.ValidationError(
            {BOM_PARAMETER: [_("Give 1 (or true) for a byte-order mark, 0 (or false) for none.")]}
        )
    return _BOM_VALUES[raw]
