"""Page-number paging with a bounded page size, as every list of the API answers."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator as DjangoPaginator
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class _CountedPaginator(DjangoPaginator):  # type: ignore[type-arg]
    """Django's Paginator, taking its count from `count_rows` when the view offers one, and
    from the cache under `cache_key` when it counted the same list since the data last
    changed."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *,
        count_rows: Callable[[], int | None] | None = None,
        cache_key: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self._count_rows = count_rows
        self._cache_key = cache_key

    @cached_property
    def count(self) -> int:
        if self._cache_key is not None:
            cached = cache.get(self._cache_key)
            if cached is not None:
                return int(cached)
        counted = self._count_rows() if self._count_rows is not None else None
        total = super().count if counted is None else counted
        if self._cache_key is not None:
            cache.set(self._cache_key, total, settings.VERSIONED_CACHE_SECONDS)
        return total


def count_cache_key(request: Request, version: datetime) -> str:
    """The cache key of a list's count: the address and its filters (not the page, its size
    or the format), who asks (what a reader may see differs), and the data version."""
    params = sorted(
        (name, value)
        for name, values in request.query_params.lists()
        for value in values
        if name not in _NOT_FILTERING
    )
    digest = hashlib.sha256(repr((request.path, params, reader_of(request))).encode()).hexdigest()
    return f"api-count:{digest}:{version.isoformat()}"


def reader_of(request: Request) -> tuple[Any, ...]:
    """Who asks, as far as what they may read differs: the account, whether it is the
    Secretariat's, and the State it reports for (anonymous readers are all alike)."""
    user = request.user
    return (
        getattr(user, "pk", None),
        getattr(user, "is_secretariat", False),
        getattr(user, "state_id", None),
    )


_NOT_FILTERING = frozenset({"page", "page_size", "format", "bom"})


class StandardPagination(PageNumberPagination):
    """Page-number paging with the total `count`; `page_size` is capped, never refused.

    A `page_size` that is not a whole number of at least 1 is a 400 naming it (DRF would
    silently fall back to the default, and a client would not know its pages are smaller).

    `count` is always exact. A view may count its rows more cheaply than COUNT(*) over its
    list query: a method `count_rows(queryset)` answering the number, or None to let the
    list query be counted (the recommendations filtered by theme alone are counted in the
    theme link table, without joining the recommendations). A view that knows the data
    version (`data_version`, APIViewMixin reads it with Last-Modified) has its counts cached
    under it: the next page, or the next client, of the same list costs no count until the
    data change (at most settings.VERSIONED_CACHE_SECONDS; 0 turns the cache off).
    """

    def paginate_queryset(
        self, queryset: Any, request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        count_rows = getattr(view, "count_rows", None)
        version = getattr(view, "data_version", None)
        # DRF makes the paginator itself: it gets the count this way.
        self.django_paginator_class = partial(  # type: ignore[assignment]
            _CountedPaginator,
            count_rows=partial(count_rows, queryset) if count_rows is not None else None,
            cache_key=(
                count_cache_key(request, version)
                if version is not None and settings.VERSIONED_CACHE_SECONDS
                else None
            ),
        )
        return super().paginate_queryset(queryset, request, view)

    page_size_query_param = "page_size"
    # Lazy translations, resolved when the schema is built (the stubs expect str).
    page_size_query_description = _(  # type: ignore[assignment]
        "Number of results per page (default 50, at most API_MAX_PAGE_SIZE: 500 unless "
        "configured otherwise; a larger value is capped)."
    )
    page_query_description = _("Page number, from 1. A page past the last one is a 404.")  # type: ignore[assignment]

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        return settings.API_MAX_PAGE_SIZE

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["example"] = 50
        return parameters

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """DRF's page, in OpenAPI 3.1 terms: `next` and `previous` are a URI or null."""
        page = super().get_paginated_response_schema(schema)
        for name, page_number in (("next", 3), ("previous", 1)):
            link = page["properties"][name]
            link.pop("nullable", None)
            link["type"] = ["string", "null"]
            link["example"] = (
                f"https://wgsom.example.org/api/v1/recommendations/?page={page_number}"
            )
        page["properties"]["count"]["example"] = 123
        page["required"] = ["count", "next", "previous", "results"]
        return page

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:
            return self.page_size
        if not raw.isdigit() or int(raw) < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("Enter a whole number of at least 1.")]}
            )
        return min(int(raw), self.max_page_size)
