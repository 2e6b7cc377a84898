"""The base classes of the API's views and its schema generator (see wgsom/api.py).

Apart from wgsom/api.py because these import DRF's views, and DRF's views import the classes
the settings name in wgsom/api.py (renderers, paging, filters): one module would import itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Max
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, permissions, viewsets

from .api import ErrorSerializer

# --- Conditional GETs --------------------------------------------------------------------


class ConditionalGetMixin:
    """ETag and Last-Modified on every successful GET, and a 304 when the client's copy holds.

    The ETag is the digest of the rendered body (as Django's ConditionalGetMiddleware makes
    it), so it changes whenever anything in the representation changes: a renamed theme, a
    new report, another page size or format. Last-Modified is the newest `updated_at` of the
    objects shown (`self.last_modified`, set by the view as it reads them), so that clients
    that only keep a date can ask `If-Modified-Since`; when both are sent the ETag decides,
    as RFC 9110 says and `get_conditional_response` does.
    """

    last_modified: datetime | None = None

    def initial(self, request, *args, **kwargs):
        self.last_modified = None
        # A method the resource never takes is a 405 for everyone: checked before
        # authentication, which would otherwise answer an anonymous DELETE with a 401.
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def note_modified(self, objects: Iterable[Any], field: str = "updated_at") -> None:
        """Record the newest timestamp among `objects` (already fetched: no query)."""
        stamps = [getattr(obj, field, None) for obj in objects]
        stamps = [stamp for stamp in stamps if stamp is not None]
        if stamps:
            newest = max(stamps)
            if self.last_modified is None or newest > self.last_modified:
                self.last_modified = newest

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        if self.last_modified is not None:
            response.headers["Last-Modified"] = http_date(self.last_modified.timestamp())
        set_response_etag(response)
        last_modified = parse_http_date_safe(response.headers.get("Last-Modified", ""))
        return get_conditional_response(
            request,
            etag=response.headers.get("ETag"),
            last_modified=last_modified,
            response=response,
        )


class LinkHeaderMixin:
    """Next and previous pages in a Link header (RFC 8288), for CSV bodies that cannot say."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if isinstance(data, dict) and "results" in data:
            links = [
                f'<{data[rel]}>; rel="{name}"'
                for rel, name in (("next", "next"), ("previous", "prev"))
                if data.get(rel)
            ]
            if links:
                response.headers["Link"] = ", ".join(links)
            response.headers["X-Total-Count"] = str(data.get("count", ""))
        return response


class APIViewMixin(ConditionalGetMixin, LinkHeaderMixin):
    """Mixed into every API view of the project (before the DRF base class).

    Last-Modified: a detail's own `updated_at`; a list's newest `updated_at` among all the
    rows that match its filters (one aggregate query), so that a change anywhere in the list,
    even on another page, moves it. A deletion does not; the ETag sees everything, and wins
    when a client sends both.
    """

    modified_field = "updated_at"

    def list_last_modified(self, queryset):
        if not any(f.name == self.modified_field for f in queryset.model._meta.get_fields()):
            return None
        return queryset.order_by().aggregate(newest=Max(self.modified_field))["newest"]

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        self.last_modified = self.list_last_modified(queryset)
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def get_object(self):
        obj = super().get_object()
        self.note_modified([obj], self.modified_field)
        return obj


class ReadOnlyViewSet(APIViewMixin, viewsets.ReadOnlyModelViewSet):
    """A published resource: anyone may list and read it; writing is a 405."""

    permission_classes = [permissions.AllowAny]


# --- Schema --------------------------------------------------------------------------------

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

    def _get_response_bodies(self, direction="response"):
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

    def _get_format_parameters(self):
        parameters = super()._get_format_parameters()
        for parameter in parameters:
            parameter.setdefault(
                "description",
                "The representation: json (the default) or csv (lists: the rows of the page; "
                "Accept: text/csv works too). Errors are always JSON.",
            )
        return parameters

    def get_auth(self):
        """drf-spectacular marks reads as open to anonymous clients only for the exact
        AllowAny or IsAuthenticatedOrReadOnly classes; their subclasses open them too."""
        auths = super().get_auth()
        if {} not in auths and self.method in permissions.SAFE_METHODS:
            open_classes = (permissions.AllowAny, permissions.IsAuthenticatedOrReadOnly)
            if any(isinstance(p, open_classes) for p in self.view.get_permissions()):
                auths.append({})
        return auths

    def _get_filter_parameters(self):
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
