"""The OpenAPI schema: the errors every operation documents, and response examples."""

from __future__ import annotations

from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import permissions

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


class APIAutoSchema(AutoSchema):
    """drf-spectacular's schema, documenting the errors every operation can answer.

    Every operation may be throttled (429). Lists take query parameters (400); an address
    with a parameter may name nothing (404); writes need credentials (401/403) and valid
    fields (400).
    """

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
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
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

    def _get_format_parameters(self) -> list[dict[str, Any]]:
        parameters = super()._get_format_parameters()
        for parameter in parameters:
            parameter.setdefault(
                "description",
                "The representation: json (the default) or csv (lists: the rows of the page; "
                "Accept: text/csv works too). Errors are always JSON.",
            )
        return parameters

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
