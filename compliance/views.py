"""The public compliance summaries page and its CSV download."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import charts
from meetings.models import ordinal_en

from .models import STATUS_FIELDS, ComplianceFigure, ComplianceSnapshot
from .selectors import (
    FLAT_COLUMNS,
    compliance_figures,
    figure_history,
    flat_rows,
    snapshot_figures,
    snapshot_latest,
)

# Snapshots the trend shows: about two months of nightly changes, or years of quieter ones.
TREND_LIMIT = 60


def _table_row(label: str, url: str | None, counts: dict) -> dict:
    return {
        "label": label,
        "url": url,
        "counts": [counts[status] for status in STATUS_FIELDS],
        "reported": counts["reported"],
        "states_parties": counts["states_parties"],
        "pairs": charts.pairs(counts),
        "share": charts.percent(counts["share_implementing"]),
    }


def _section(key: str, title, rows: list[tuple[str, str | None, dict]], *, chart: bool) -> dict:
    return {
        "id": f"by-{key}",
        "title": title,
        "chart": charts.stacked_bars([(label, counts) for label, _url, counts in rows])
        if chart and rows
        else None,
        "rows": [_table_row(label, url, counts) for label, url, counts in rows],
    }


def _sections(figures: dict) -> list[dict]:
    recommendation_label = gettext("Recommendation %(label)s (%(ordinal)s meeting)")
    meeting_label = gettext("%(ordinal)s meeting (%(year)s)")
    return [
        _section(
            "theme",
            _("By theme"),
            [
                (row["name"], reverse("recommendations:theme_detail", args=[row["slug"]]), row)
                for row in figures["by_theme"]
            ],
            chart=True,
        ),
        _section(
            "meeting",
            _("By meeting"),
            [
                (
                    meeting_label % {"ordinal": ordinal_en(row["ordinal"]), "year": row["year"]},
                    reverse("meetings:detail", args=[row["ordinal"]]),
                    row,
                )
                for row in figures["by_meeting"]
            ],
            chart=True,
        ),
        _section(
            "regional-group",
            _("By regional group"),
            [(row["name"], None, row) for row in figures["by_regional_group"]],
            chart=True,
        ),
        _section(
            "recommendation",
            _("By recommendation"),
            [
                (
                    recommendation_label
                    % {"label": row["label"], "ordinal": ordinal_en(row["meeting"])},
                    reverse("recommendations:detail", args=[row["id"]]),
                    row,
                )
                for row in figures["by_recommendation"]
            ],
            chart=True,
        ),
        # A bar per State party would make a chart longer than the page; the table sorts
        # them by name and says the same.
        _section(
            "state",
            _("By State party"),
            [
                (row["name"], reverse("states:detail", args=[row["code"]]), row)
                for row in figures["by_state"]
            ],
            chart=False,
        ),
    ]


def summary(request: HttpRequest) -> HttpResponse:
    """The latest snapshot as tables and charts, and the trend across snapshots.

    Reads only the database (never the broker), so it serves whether or not Redis is up.
    Without any snapshot yet, the figures are computed live.
    """
    snapshot = snapshot_latest()
    figures = snapshot_figures(snapshot) if snapshot is not None else compliance_figures()
    trend = list(figure_history()[:TREND_LIMIT])[::-1]
    context = {
        "snapshot": snapshot,
        "overall": _table_row(gettext("All States parties"), None, figures["overall"]),
        "overall_reported": charts.percent(charts.reported_share(figures["overall"])),
        "recommendations_counted": len(figures["by_recommendation"]),
        "statuses": [(charts.STATUS_LABELS[s], charts.STATUS_COLOURS[s]) for s in STATUS_FIELDS],
        "sections": _sections(figures),
        "trend": trend,
        "trend_chart": charts.trend_chart(trend),
        "trend_rows": [
            {
                "figure": figure,
                "reported": charts.percent(charts.reported_share(figure)),
                "share": charts.percent(figure.share_implementing),
            }
            for figure in reversed(trend)
        ],
        "dimensions": ComplianceFigure.Dimension.choices,
    }
    return render(request, "compliance/summary.html", context)


def summary_csv(request: HttpRequest) -> HttpResponse:
    """The latest snapshot's figures as one CSV table (a row per line of every dimension);
    `?dimension=` keeps one dimension (overall, recommendation, theme, meeting, state,
    regional_group)."""
    dimension = request.GET.get("dimension", "")
    if dimension and dimension not in ComplianceFigure.Dimension.values:
        return HttpResponseBadRequest(
            gettext("dimension: unknown value %(value)r; use one of %(choices)s.")
            % {"value": dimension, "choices": ", ".join(ComplianceFigure.Dimension.values)},
            content_type="text/plain; charset=utf-8",
        )
    snapshot = snapshot_latest()
    figures = snapshot_figures(snapshot) if snapshot is not None else compliance_figures()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_csv_name(snapshot, dimension)}"'
    writer = csv.DictWriter(response, fieldnames=FLAT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(
        row for row in flat_rows(figures) if not dimension or row["dimension"] == dimension
    )
    return response


def _csv_name(snapshot: ComplianceSnapshot | None, dimension: str) -> str:
    parts = ["wgsom-compliance"]
    if snapshot is None:
        parts.append(f"live-{timezone.localdate():%Y-%m-%d}")
    else:
        parts.append(f"{snapshot.sequence}-{timezone.localtime(snapshot.computed_at):%Y-%m-%d}")
    if dimension:
        parts.append(dimension)
    return "-".join(parts) + ".csv"
