"""Reads of the directory of national authorities and contact points."""

from __future__ import annotations

from django.db.models import F, QuerySet

from .models import ContactPoint


def contact_point_directory() -> QuerySet[ContactPoint]:
    """Every entry with its State and regional group, ordered for listing by group, then
    State (one query; the page groups them with {% regroup %})."""
    return ContactPoint.objects.select_related("state__regional_group").order_by(
        F("state__regional_group__name").asc(nulls_last=True),
        "state__name",
        "kind",
        "authority",
        "pk",
    )
