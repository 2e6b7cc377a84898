"""Reads for the staff report import's job page."""

from __future__ import annotations

import datetime
from typing import Any

from meetings.models import Participation
from recommendations.models import Recommendation

from .models import ReportImportJob


def report_import_job_preview(job: ReportImportJob) -> dict[str, Any]:
    """The stored preview of a checked job as the page shows it: dates as dates, attendance
    under its capacities' names, and each incoming recommendation with the recommendations
    on record closest to it, read in one query (those deleted since are left out)."""
    preview = job.preview
    rows: list[dict[str, Any]] = preview.get("recommendations", [])
    wanted = {pk for row in rows for pk, _score in row.get("similar", [])}
    found = Recommendation.objects.select_related("meeting").in_bulk(wanted) if wanted else {}
    start, end = (_date(value) for value in preview.get("dates", [None, None]))
    return {
        "preview": preview,
        "rows": [
            {
                **row,
                "similar": [
                    (found[pk], score) for pk, score in row.get("similar", []) if pk in found
                ],
            }
            for row in rows
        ],
        "distributed": _date(preview.get("document", {}).get("distributed")),
        "start_date": start,
        "end_date": end,
        "attendance": [
            (Participation.Capacity(capacity).label, names)
            for capacity, names in preview.get("attendance", [])
        ],
    }


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
