"""The base classes of the API's views: conditional GETs, Link headers, read-only resources."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Model, QuerySet
from django.http import StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.response import Response

from core.api.csv import bom_requested, serialized_csv
from core.api.pagination import reader_of
from core.data_versions.selectors import data_versions
from core.spreadsheets import CSV_CONTENT_TYPE, download_filename

if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView
    from rest_framework.request import Request

    # The mixins below are mixed in before a DRF view; type-check them as one.
    _ViewBase = GenericAPIView[Any]
else:
    _ViewBase = object

# --- Conditional GETs --------------------------------------------------------------------


class ConditionalGetMixin(_ViewBase):
    """ETag and Last-Modified on every successful GET, and a 304 when the client's copy holds.

    The ETag is the digest of the rendered body (as Django's ConditionalGetMiddleware makes
    it), so it changes whenever anything in the representation changes: a renamed theme, a
    new report, another page size or format. Last-Modified is the newest `updated_at` of the
    objects shown (`self.last_modified`, set by the view as it reads them), so that clients
    that only keep a date can ask `If-Modified-Since`; when both are sent the ETag decides,
    as RFC 9110 says and `get_conditional_response` does.
    """

    last_modified: datetime | None = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.last_modified = None
        # A method the resource never takes is a 405 for everyone: checked before
        # authentication, which would otherwise answer an anonymous DELETE with a 401.
        method = request.method.lower()  # type: ignore[union-attr]  # always set on a request
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)  # type: ignore[arg-type]  # ditto
        super().initial(request, *args, **kwargs)

    def note_modified(self, objects: Iterable[Any], field: str = "updated_at") -> None:
        """Record the newest timestamp among `objects` (already fetched: no query)."""
        stamps: list[Any] = [getattr(obj, field, None) for obj in objects]
        stamps = [stamp for stamp in stamps if stamp is not None]
        if stamps:
            newest = max(stamps)
            if self.last_modified is None or newest > self.last_modified:
                self.last_modified = newest

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.streaming:
            # A whole-table CSV: an ETag would mean reading the table twice, so only
            # Last-Modified (and If-Modified-Since) applies to it.
            if self.last_modified is not None:
                response.headers["Last-Modified"] = http_date(self.last_modified.timestamp())
            return get_conditional_response(  # type: ignore[return-value]
                request,
                last_modified=parse_http_date_safe(response.headers.get("Last-Modified", "")),
                response=response,
            )
        response.render()
        if self.last_modified is not None:
            response.headers["Last-Modified"] = http_date(self.last_modified.timestamp())
        set_response_etag(response)
        last_modified = parse_http_date_safe(response.headers.get("Last-Modified", ""))
        # A 304 is a plain HttpResponse, which DRF's dispatch returns as it is.
        return get_conditional_response(  # type: ignore[return-value]
            request,
            etag=response.headers.get("ETag"),
            last_modified=last_modified,
            response=response,
        )


class LinkHeaderMixin(_ViewBase):
    """Next and previous pages of a JSON list in a Link header (RFC 8288), and its total in
    X-Total-Count. A CSV list is whole: it has no pages, and sets X-Total-Count itself."""

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
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


# Rows fetched per query of a CSV export (and per prefetch of their relations).
CSV_QUERY_CHUNK = 1000
# Formats that hold a whole list rather than a page.
WHOLE_TABLE_FORMATS = frozenset({"csv", "xlsx"})


class APIViewMixin(ConditionalGetMixin, LinkHeaderMixin):
    """Mixed into every API view of the project (before the DRF base class).

    Last-Modified: a detail's own `updated_at`; a list's, when its app's data last changed
    (core.data_versions: one read of a row per app, kept by every write, deletions included),
    so that a change anywhere in the list, even on another page, moves it without scanning
    the rows. It may move for a change the list does not show (another row of the app); a
    client then fetches once more. The ETag sees exactly the representation, and wins when a
    client sends both.
    """

    modified_field = "updated_at"

    # When any app's data last changed (core.data_versions), read with Last-Modified: the
    # version a list's cached count belongs to (core.api.pagination). None: count each time.
    data_version: datetime | None = None

    def read_versions(self, model: type[Model]) -> dict[str, datetime]:
        """Every app's data version (one query), for a resource whose rows (`model`) have
        `updated_at`; sets `data_version`, the newest of them. Empty for others (no query)."""
        if not any(f.name == self.modified_field for f in model._meta.get_fields()):
            return {}
        versions = data_versions()
        self.data_version = max(versions.values(), default=None)
        return versions

    def list_last_modified(
        self, queryset: QuerySet[Any], versions: dict[str, datetime]
    ) -> datetime | None:
        if not any(f.name == self.modified_field for f in queryset.model._meta.get_fields()):
            return None
        changed_at = versions.get(queryset.model._meta.app_label)
        if changed_at is not None:
            return changed_at
        # An app whose writes keep no version (not in DATA_VERSION_APPS): read the rows.
        return cast(
            "datetime | None",
            queryset.order_by().aggregate(newest=Max(self.modified_field))["newest"],
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        exporting = self.exporting_csv()
        queryset = self.get_queryset()
        versions = self.read_versions(queryset.model)
        page_key = None if exporting else self.page_cache_key()
        cached = self.cached_page(page_key)
        if cached is not None:
            return cached
        queryset = self.filter_queryset(queryset)
        self.last_modified = self.list_last_modified(queryset, versions)
        if exporting:
            return self.csv_export(queryset, count=queryset.count())  # type: ignore[return-value]
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.keep_page(page_key, self.get_paginated_response(serializer.data))

    def cached_page(self, page_key: str | None) -> Response | None:
        """The JSON page kept under `page_key` (page_cache_key), with the Last-Modified it
        was made with; None on a miss or with no key."""
        cached = cache.get(page_key) if page_key is not None else None
        if cached is None:
            return None
        data, self.last_modified = cached
        return Response(data)

    def keep_page(self, page_key: str | None, response: Response) -> Response:
        """`response`, its data and Last-Modified kept under `page_key` (when there is one)."""
        if page_key is not None:
            cache.set(
                page_key, (response.data, self.last_modified), settings.VERSIONED_CACHE_SECONDS
            )
        return response

    def versioned_page_key(self, model: type[Model]) -> str | None:
        """page_cache_key for an answer whose Last-Modified is not the data version (a
        record's, the status matrix's): the versions are read only when the page cache is
        on and the answer is JSON, since nothing else needs them."""
        if not settings.VERSIONED_CACHE_SECONDS or self.request.accepted_renderer.format != "json":
            return None
        self.read_versions(model)
        return self.page_cache_key()

    def page_cache_key(self) -> str | None:
        """Where a JSON page of this list (or a record) is kept under the data version: the
        full address (filters, page, size, host), the language, the reader and the version.
        None when there is no version or the cache is off. Only the page's data is kept: the
        answer is rendered, its ETag and Last-Modified set, on every request, as on a miss."""
        request = self.request
        if (
            self.data_version is None
            or not settings.VERSIONED_CACHE_SECONDS
            or request.accepted_renderer.format != "json"
        ):
            return None
        identity = (
            type(self).__name__,
            request.build_absolute_uri(),
            get_language(),
            reader_of(request),
        )
        digest = hashlib.sha256(repr(identity).encode()).hexdigest()
        return f"api-page:{digest}:{self.data_version.isoformat()}"

    def exporting_csv(self) -> bool:
        """Whether this list answers as CSV. A CSV (or XLSX, where a view offers it) holds
        every matching row, never a page, so `page` and `page_size` are then a 400 naming
        them. Also checks `bom`, whatever the format."""
        request = self.request
        bom_requested(request.query_params)
        format = request.accepted_renderer.format
        if format not in WHOLE_TABLE_FORMATS:
            return False
        paging = [name for name in ("page", "page_size") if request.query_params.get(name)]
        if paging:
            message = _(
                "CSV exports are whole: every matching row, never a page. Leave this parameter out."
            )
            raise exceptions.ValidationError({name: [message] for name in paging})
        return format == "csv"

    def csv_export(self, objects: Iterable[Any], *, count: int) -> StreamingHttpResponse:
        """Every row of `objects` as a streamed CSV, represented by the list's serializer.

        A queryset is read in chunks of CSV_QUERY_CHUNK rows with its select_related and
        prefetch_related honoured (prefetching runs once per chunk), so memory stays flat
        whatever the number of rows. `X-Total-Count` is `count`; the file is named after the
        resource and the filters.
        """
        if isinstance(objects, QuerySet):
            objects = objects.iterator(chunk_size=CSV_QUERY_CHUNK)
        stream = serialized_csv(
            self.get_serializer(many=True), objects, bom=bom_requested(self.request.query_params)
        )
        response = StreamingHttpResponse(stream, content_type=CSV_CONTENT_TYPE)
        response["X-Total-Count"] = str(count)
        filename = download_filename(
            [self.resource_name()],
            [
                (name, value)
                for name, value in self.request.query_params.items()
                if name not in ("format", "bom")
            ],
            "csv",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def resource_name(self) -> str:
        """The address under /api/v1/, as a file name: states-MEX-status, recommendations."""
        path = self.request.path
        prefix = "/api/v1/"
        if prefix in path:
            path = path.split(prefix, 1)[1]
        path = path.removesuffix(".csv").removesuffix(".xlsx")  # the `.csv` addresses
        return "-".join(part for part in path.split("/") if part) or "export"

    def get_serializer_context(self) -> dict[str, Any]:
        # Links in a representation name the resource itself, never the `.csv` address or
        # `?format=` the answer happens to be in.
        return {**super().get_serializer_context(), "format": None}

    def get_object(self) -> Any:
        obj = super().get_object()
        self.note_modified([obj], self.modified_field)
        return obj


class CachedRetrieveMixin(APIViewMixin):
    """A record's JSON kept under the data version as a list's pages are (page_cache_key:
    the address, language and reader), so a client polling a record between two writes is
    answered from the cache, with the Last-Modified it was made with. Mixed in before a
    view with DRF's `retrieve`."""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The serializer's model: building the resource's query (its annotations) is work a
        # cached answer does not need.
        serializer = self.get_serializer_class()
        assert issubclass(serializer, serializers.ModelSerializer), serializer
        page_key = self.versioned_page_key(serializer.Meta.model)
        cached = self.cached_page(page_key)
        if cached is not None:
            return cached
        return self.keep_page(page_key, super().retrieve(request, *args, **kwargs))  # type: ignore[misc]


class ReadOnlyViewSet(CachedRetrieveMixin, viewsets.ReadOnlyModelViewSet[Any]):
    """A published resource: anyone may list and read it; writing is a 405."""

    permission_classes = [permissions.AllowAny]
