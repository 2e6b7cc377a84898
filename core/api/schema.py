"""The OpenAPI schema: the errors every operation documents, and response examples."""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import permissions

from .csv import csv_columns
from .errors import ErrorSerializer


def example(name: str, value: Any, *, summary: str = "") -> OpenApiExample:
    """A response example for a serializer (wrapped in a page automatically on lists)."""
    return OpenApiExample(name, value=value, summary=summary or name, response_only=True)


_ERROR_DESCRIPTIONS = {
    "400": _("Invalid query parameter or field; `errors` names each one."),
    "401": _("No credentials, or a token that is not valid."),
    "403": _("Signed in, but not allowed to do this."),
    "404": _("Nothing at this address, or a page past the last one."),
    "429": _("Too many requests; retry after the number of seconds in Retry-After."),
}


_EXPORT_MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_CONTENT_DISPOSITION = {
    "schema": {"type": "string"},
    "description": "attachment, with a file name that names the filters.",
}


class APIAutoSchema(AutoSchema):
    """drf-spectacular's schema, documenting the errors every operation can answer.

    Every operation may be throttled (429). Lists take query parameters (400); an address
    with a parameter may name nothing (404); writes need credentials (401/403) and valid
    fields (400).
    """

    def get_paginated_name(self, serializer_name: str) -> str:
        # `MeetingList` (the list's own serializer) pages as `PaginatedMeetingList`, not
        # drf-spectacular's `PaginatedMeetingListList`.
        return f"Paginated{serializer_name.removesuffix('List')}List"

    def _error_codes(self) -> list[str]:
        # Any request may be throttled (429), carry an unknown parameter (400) or a token
        # that is not valid (401), or name nothing (404: an unknown key, a page past the
        # last, an unknown `format`).
        codes = ["400", "401", "404", "429"]
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes.append("403")
        return codes

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if self.export_format() and direction == "response":
            responses["200"] = self._export_response()
        for code in self._error_codes():
            if code not in responses:
                # Errors are JSON whatever was asked for, CSV exports included.
                response = self._get_response_for_code(
                    ErrorSerializer, code, media_types=["application/json"], direction=direction
                )
                response["description"] = str(_ERROR_DESCRIPTIONS[code])
                if code == "429":
                    response["headers"] = {
                        "Retry-After": {
                            "schema": {"type": "integer"},
                            "description": "Seconds to wait before the next request.",
                        }
                    }
                responses[code] = response
        if self.method == "GET" and "200" in responses:
            responses["200"].setdefault("headers", {}).update(
                {
                    "ETag": {
                        "schema": {"type": "string"},
                        "description": "Send it back in If-None-Match to get a 304.",
                    },
                }
            )
            responses["304"] = {"description": str(_("Not modified since the ETag or date."))}
        return responses

    # --- Exports: their own operations, described as CSV or XLSX ------------------------------

    def export_format(self) -> str | None:
        """ "csv" or "xlsx" for the export address of a list (`recommendations.csv`,
        `status-matrix.xlsx`: see wgsom/api_urls.py), None for every other operation, which
        is described as JSON only, so that a generated client never meets a body in another
        format where it expects JSON."""
        suffix = self.path.rsplit(".", 1)[-1] if "." in self.path else ""
        return suffix if suffix in _EXPORT_MEDIA_TYPES else None

    def is_csv_export(self) -> bool:
        return self.export_format() == "csv"

    def map_renderers(self, attribute: str) -> list[Any]:
        renderers = super().map_renderers(attribute)
        exports = (
            _EXPORT_MEDIA_TYPES
            if attribute == "media_type"
            else {f: f for f in _EXPORT_MEDIA_TYPES}
        )
        wanted = self.export_format()
        if wanted:
            return [exports[wanted]]
        return [renderer for renderer in renderers if renderer not in exports.values()]

    def _get_format_parameters(self) -> list[dict[str, Any]]:
        # `?format=csv` still works on every list, for people typing addresses; the contract
        # offers the export address instead, which has one representation. What the
        # operation does take is the language of names and texts (core/middleware.py).
        return [
            {
                "name": "lang",
                "in": "query",
                "required": False,
                "description": str(
                    _(
                        "The language of names and texts (Accept-Language works too). Field "
                        "names, codes and CSV column headers are the same in every language; a "
                        "recommendation's text_language says which language its text is in."
                    )
                ),
                "schema": {"type": "string", "enum": [code for code, _name in settings.LANGUAGES]},
            }
        ]

    def _get_pagination_parameters(self) -> list[dict[str, Any]]:
        if not self.export_format():
            return super()._get_pagination_parameters()
        if not self.is_csv_export():
            return []
        return [
            {
                "name": "bom",
                "in": "query",
                "required": False,
                "description": str(
                    _("1 (or true) starts the file with a UTF-8 byte-order mark, for Excel.")
                ),
                "schema": {"type": "string", "enum": ["1", "0", "true", "false"]},
            }
        ]

    def get_operation_id(self) -> str:
        operation_id = super().get_operation_id()
        wanted = self.export_format()
        if wanted:
            base = operation_id.replace(f".{wanted}", "").removesuffix("_list")
            return f"{base}_export_{wanted}"
        return operation_id

    # drf-spectacular's signature, not the one DRF's own inspector (in the stubs) has.
    def get_description(self) -> str:  # type: ignore[override]
        description = super().get_description()
        if self.is_csv_export():
            return str(
                _(
                    "Every row that matches the filters, as CSV (UTF-8, comma-separated, a "
                    "header row; `bom=1` adds a byte-order mark for Excel), streamed whole: "
                    "no paging, the total in X-Total-Count. The columns are those of the "
                    "JSON list, nested fields joined by a dot (`meeting.ordinal`), the same "
                    "in every language."
                )
            )
        if self.export_format():
            return str(_("The same selection as an Excel workbook, with an About sheet."))
        return description

    def get_tags(self) -> list[str]:
        return [tag.split(".")[0] for tag in super().get_tags()]

    def get_summary(self) -> str | None:
        summary = super().get_summary()
        wanted = self.export_format()
        if wanted and summary:
            return f"{summary} ({wanted.upper()})"
        return summary

    def _export_response(self) -> dict[str, Any]:
        if not self.is_csv_export():
            return {
                "description": str(_("The workbook.")),
                "headers": {"Content-Disposition": _CONTENT_DISPOSITION},
                "content": {
                    _EXPORT_MEDIA_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}}
                },
            }
        serializer = force_instance(self.get_response_serializers())
        columns = csv_columns(serializer)
        header = ",".join(columns)
        # The header row, exactly; a validator reading the body as text checks the columns.
        pattern = "^\ufeff?" + header.replace(".", "\\.") + "\r\n"
        return {
            "description": str(_("The rows, as CSV.")),
            "headers": {
                "X-Total-Count": {
                    "schema": {"type": "integer"},
                    "description": "How many rows the file holds.",
                },
                "Content-Disposition": _CONTENT_DISPOSITION,
            },
            "content": {
                "text/csv": {
                    "schema": {
                        "type": "string",
                        "description": "Columns: " + ", ".join(columns),
                        "pattern": pattern,
                    },
                    "example": header + "\r\n",
                }
            },
        }

    def get_auth(self) -> list[dict[str, Any]]:
        """drf-spectacular marks reads as open to anonymous clients only for the exact
        AllowAny or IsAuthenticatedOrReadOnly classes; their subclasses open them too."""
        auths = super().get_auth()
        if {} not in auths and self.method in permissions.SAFE_METHODS:
            open_classes = (permissions.AllowAny, permissions.IsAuthenticatedOrReadOnly)
            if any(isinstance(p, open_classes) for p in self.view.get_permissions()):
                auths.append({})
        return auths

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        """Parameters of the filters, with the example each FilterSet gives (`examples`)."""
        parameters = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        examples = getattr(filterset_class, "parameter_examples", {})
        filters = getattr(filterset_class, "base_filters", {})
        for parameter in parameters:
            name = parameter["name"]
            if name in examples:
                parameter["example"] = examples[name]
            if not parameter.get("description") and name in filters:
                # drf-spectacular drops the help text of a filter whose type is overridden.
                parameter["description"] = str(filters[name].extra.get("help_text", ""))
        return parameters


def id_parameter(what: str, example_id: int) -> OpenApiParameter:
    return OpenApiParameter(
        "id",
        int,
        OpenApiParameter.PATH,
        description=f"The {what}'s id.",
        examples=[OpenApiExample("An id", value=example_id)],
    )


_NULL_ENUM = "#/components/schemas/NullEnum"


def inline_null(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular's last hook: a nullable enum reads `oneOf: [Enum, {type: null}]`.

    drf-spectacular refers to a component `NullEnum` holding `{type: null}`; a generated
    client turns it into a class of its own where the language has `None`.
    """

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("$ref") == _NULL_ENUM:
                return {"type": "null"}
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    result = inline(result)
    result.get("components", {}).get("schemas", {}).pop("NullEnum", None)
    return result


def empty_query_values_allowed(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Every optional query parameter says `allowEmptyValue: true`, because the API reads
    `?search=` as "not given" (a form that submits its empty fields gets what it meant)."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result
