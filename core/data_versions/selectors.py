"""Reading when an app's data last changed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max

from .models import DataVersion

T = TypeVar("T")


def data_changed_at(*names: str) -> datetime | None:
    """The latest change to the data of any of `names` (app labels): one query on the primary
    key. None when none of them has a version (an app not in DATA_VERSION_APPS)."""
    latest = DataVersion.objects.filter(name__in=names).aggregate(latest=Max("changed_at"))
    return cast("datetime | None", latest["latest"])


def data_versions() -> dict[str, datetime]:
    """Every app's latest change, by app label: one query (a handful of rows)."""
    return dict(DataVersion.objects.values_list("name", "changed_at"))


def cached_under_versions(key: str, names: Sequence[str], compute: Callable[[], T]) -> T:
    """`compute()`, kept in the cache under the data versions of `names` (app labels) for at
    most settings.VERSIONED_CACHE_SECONDS: an aggregate that every row of a large table feeds
    (counts by State, by theme) is then made once per change of the data it counts, for the
    price of one read of the versions. With the cache off (VERSIONED_CACHE_SECONDS = 0), or no
    version yet, `compute()` every time and the versions are not read."""
    seconds = settings.VERSIONED_CACHE_SECONDS
    if not seconds:
        return compute()
    changed_at = data_changed_at(*names)
    if changed_at is None:
        return compute()
    return cast("T", cache.get_or_set(f"{key}:{changed_at.isoformat()}", compute, seconds))
