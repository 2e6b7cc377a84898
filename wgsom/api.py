"""What every endpoint of the REST API shares: paging, CSV, errors, conditional GETs, throttles.

The conventions here are the API's contract with its clients, so every resource follows them
(the compliance endpoints too):

- lists are paged by page number (`?page=`, `?page_size=` up to `API_MAX_PAGE_SIZE`) and
  answer `{"count", "next", "previous", "results"}`; `?format=csv` (or `Accept: text/csv`)
  gives the same page as a CSV table;
- every error is JSON, `{"detail": ..., "code": ...}`, with `"errors": {parameter or field:
  [messages]}` on a 400, whatever format was asked for;
- a GET answers with an ETag (of the exact representation) and, where the data has one, a
  Last-Modified; a conditional GET that matches gets a 304 with no body;
- anonymous clients and signed-in users are throttled at configurable rates; a 429 carries
  Retry-After.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample
from rest_framework import exceptions, renderers, serializers, status
from rest_framework.filters import OrderingFilter
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

# --- Paging ------------------------------------------------------------------------------


class StandardPagination(PageNumberPagination):
    """Page-number paging with the total `count`; `page_size` is capped, never refused.

    A `page_size` that is not a whole number of at least 1 is a 400 naming it (DRF would
    silently fall back to the default, and a client would not know its pages are smaller).
    """

    page_size_query_param = "page_size"
    page_size_query_description = _(
        "Number of results per page (default 50, at most API_MAX_PAGE_SIZE: 500 unless "
        "configured otherwise; a larger value is capped)."
    )
    page_query_description = _("Page number, from 1. A page past the last one is a 404.")

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        return settings.API_MAX_PAGE_SIZE

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["example"] = 50
        return parameters

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or int(raw) < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("Enter a whole number of at least 1.")]}
            )
        return min(int(raw), self.max_page_size)


# --- CSV ---------------------------------------------------------------------------------


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

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
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

    def get_filter_form(self, data, view, request):
        return None


# --- Errors ------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """The body of every error the API answers (documented on every operation)."""

    detail = serializers.CharField(help_text=_("What went wrong, in a sentence."))
    code = serializers.CharField(
        help_text=_(
            "A stable machine-readable code: invalid, not_authenticated, "
            "authentication_failed, permission_denied, not_found, method_not_allowed, "
            "not_acceptable, unsupported_media_type, throttled, parse_error, "
            "precondition_failed."
        )
    )
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text=_(
            "On a 400 only: each query parameter or field in error, with its messages "
            "(`non_field_errors` for errors of the request as a whole)."
        ),
    )


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus Django's ValidationError from the services, in one JSON shape.

    The response is always rendered as JSON: an error asked for as CSV or HTML would hide
    the message from the client that needs it most.
    """
    if isinstance(exc, DjangoValidationError):
        # The services name the field in error; their messages reach the client unchanged.
        if hasattr(exc, "error_dict"):
            detail: Any = exc.message_dict
        else:
            detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        # The services say why (permissions.ensure); the client hears it.
        exc = exceptions.PermissionDenied(*exc.args)
    # Imported here: rest_framework.views reads the settings that name this module.
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail
        if not isinstance(errors, dict):
            errors = {api_settings.NON_FIELD_ERRORS_KEY: errors}
        response.data = {"detail": str(_("Invalid input.")), "code": "invalid", "errors": errors}
    else:
        detail = exc.detail
        response.data = {
            "detail": str(detail),
            "code": getattr(detail, "code", None) or exc.default_code,
        }
    request = context.get("request")
    if request is not None:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = "application/json"
    return response


@csrf_exempt  # an API answer, to any method: CSRF does not apply to a 404
def not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """The 404 for a path under /api/v1/ that names no resource, in the API's JSON shape.

    Being a catch-all, this pattern stops CommonMiddleware's APPEND_SLASH from seeing an
    unresolved path, so it redirects a path missing only its final slash itself.
    """
    if settings.APPEND_SLASH and not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
    return JsonResponse(
        {"detail": str(_("No API resource at this address.")), "code": "not_found"},
        status=status.HTTP_404_NOT_FOUND,
    )


# --- Filtering -----------------------------------------------------------------------------


def refuse_empty_parameters(request) -> None:
    """`?meeting=` is a 400 naming it: an empty value is most often a client's bug (a variable
    that was not set), and reading it as "no filter" would answer with everything."""
    empty = sorted(
        name for name in request.query_params if not any(request.query_params.getlist(name))
    )
    if empty:
        raise exceptions.ValidationError(
            {name: [_("Give a value, or leave the parameter out.")] for name in empty}
        )


class StrictContentNegotiation(DefaultContentNegotiation):
    """`?format=` must name one of the formats (json, csv, api): otherwise a 400 naming it.

    DRF answers an unknown format with a bare 404, and ignores an empty one.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        name = self.settings.URL_FORMAT_OVERRIDE
        if name and name in request.query_params:
            wanted = request.query_params.get(name)
            formats = [renderer.format for renderer in renderers]
            if wanted not in formats:
                raise exceptions.ValidationError(
                    {name: [_("Ask for one of: %(formats)s.") % {"formats": ", ".join(formats)}]}
                )
        return super().select_renderer(request, renderers, format_suffix)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, refusing query parameters it does not know with a 400 naming them.

    A misspelt filter (`?thme=prevention`) would otherwise be ignored and answer the whole
    list with a 200, which a client cannot tell from a filter that matched everything.
    """

    always_allowed = frozenset({"page", "page_size", "format", "ordering"})

    def filter_queryset(self, request, queryset, view):
        refuse_empty_parameters(request)
        filterset_class = self.get_filterset_class(view, queryset)
        known = set(self.always_allowed)
        if filterset_class is not None:
            known.update(filterset_class.base_filters)
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise exceptions.ValidationError(
                {name: [_("Unknown query parameter.")] for name in unknown}
            )
        return super().filter_queryset(request, queryset, view)


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` over the view's `ordering_fields` only; anything else is a 400 naming it
    (DRF would drop it silently and answer in another order than asked)."""

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        allowed = {
            name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
        }
        asked = [term.strip() for term in raw.split(",") if term.strip()]
        wrong = [term for term in asked if term.lstrip("-") not in allowed]
        if not asked or wrong:
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        _("Order by one or more of: %(fields)s (a leading - reverses).")
                        % {"fields": ", ".join(sorted(allowed))}
                    ]
                }
            )
        return asked

    def get_schema_operation_parameters(self, view):
        fields = list(getattr(view, "ordering_fields", None) or [])
        if not fields:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("Sort by a field; a leading - sorts descending. Comma-separate several.")
                ),
                "schema": {
                    "type": "string",
                    "enum": [variant for f in fields for variant in (f, f"-{f}")],
                },
                "example": f"-{fields[0]}",
            }
        ]


# --- Throttling ----------------------------------------------------------------------------

_RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


def valid_rate(rate: str | None) -> bool:
    """A DRF rate ("60/minute"), or None for no limit."""
    return rate is None or bool(_RATE.match(rate))


class _SettingsRate:
    """Read the rate at request time, so that a settings change (and a test) takes effect.

    DRF reads `DEFAULT_THROTTLE_RATES` once, when the throttle module is imported.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonymousThrottle(_SettingsRate, AnonRateThrottle):
    """Anonymous clients, counted per IP address (`API_THROTTLE_ANON`)."""


class SignedInThrottle(_SettingsRate, UserRateThrottle):
    """Signed-in users and tokens, counted per user (`API_THROTTLE_USER`)."""


# --- Schema examples ----------------------------------------------------------------------


def example(name: str, value: Any, *, summary: str = "") -> OpenApiExample:
    """A response example for a serializer (wrapped in a page automatically on lists)."""
    return OpenApiExample(name, value=value, summary=summary or name, response_only=True)


# --- The view base classes, importable from here too ----------------------------------------

_VIEW_CLASSES = {"APIViewMixin", "ConditionalGetMixin", "LinkHeaderMixin", "ReadOnlyViewSet"}


def __getattr__(name: str):
    # The view base classes live in wgsom/api_views.py (they import DRF's views, which import
    # this module's classes through the settings); `from wgsom.api import APIViewMixin` still
    # works, resolved on first use, once this module is fully imported (PEP 562).
    if name in _VIEW_CLASSES:
        from . import api_views

        return getattr(api_views, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
