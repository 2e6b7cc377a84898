"""Reading when an app's data last changed."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from django.db.models import Max

from .models import DataVersion


def data_changed_at(*names: str) -> datetime | None:
    """The latest change to the data of any of `names` (app labels): one query on the primary
    key. None when none of them has a version (an app not in DATA_VERSION_APPS)."""
    latest = DataVersion.objects.filter(name__in=names).aggregate(latest=Max("changed_at"))
    return cast("datetime | None", latest["latest"])


def data_versions() -> dict[str, datetime]:
    """Every app's latest change, by app label: one query (a handful of rows)."""
    return dict(DataVersion.objects.values_list("name", "changed_at"))
