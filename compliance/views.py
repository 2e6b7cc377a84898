"""The public implementation summary (the compliance app's page) and its CSV download."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from core import charts
from core.spreadsheets import CSV_CONTENT_TYPE, csv_stream, keep_language
from meetings.models import ordinal_in_language

from .models import ComplianceFigure, ComplianceSnapshot, FigureDimension
from .selectors import (
    FLAT_COLUMNS,
    compliance_figures,
    figure_history,
    flat_rows,
    snapshot_figures,
    snapshot_latest,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Snapshots the trend shows: about two months of nightly changes, or years of quieter ones.
TREND_LIMIT = 60


def _section(
    key: str,
    title: StrOrPromise,
    dimension: FigureDimension,
    rows: Iterable[tuple[str, str | None, Mapping[str, Any]]],
    *,
    drawn: bool = True,
) -> dict[str, Any]:
    return {
        "id": f"by-{key}",
        "title": title,
        "row_header": dimension.label,
        "chart": charts.status_chart(rows),
        "table_only": not drawn,
    }


def _sections(figures: dict[str, Any]) -> list[dict[str, Any]]:
    recommendation_label = gettext("Recommendation %(label)s (%(ordinal)s meeting)")
    meeting_label = gettext("%(ordinal)s meeting (%(year)s)")
    Dimension = ComplianceFigure.Dimension
    return [
        _section(
            "theme",
            _("By theme"),
            Dimension.THEME,
            (
                (row["name"], reverse("recommendations:theme_detail", args=[row["slug"]]), row)
                for row in figures["by_theme"]
            ),
        ),
        _section(
            "meeting",
            _("By meeting"),
            Dimension.MEETING,
            (
                (
                    meeting_label
                    % {"ordinal": ordinal_in_language(row["ordinal"]), "year": row["year"]},
                    reverse("meetings:detail", args=[row["ordinal"]]),
                    row,
                )
                for row in figures["by_meeting"]
            ),
        ),
        _section(
            "regional-group",
            _("By regional group"),
            Dimension.REGIONAL_GROUP,
            ((row["name"], None, row) for row in figures["by_regional_group"]),
        ),
        _section(
            "recommendation",
            _("By recommendation"),
            Dimension.RECOMMENDATION,
            (
                (
                    recommendation_label
                    % {"label": row["label"], "ordinal": ordinal_in_language(row["meeting"])},
                    reverse("recommendations:detail", args=[row["id"]]),
                    row,
                )
                for row in figures["by_recommendation"]
            ),
        ),
        # A bar per State party would make a chart longer than the page; the table sorts
        # them by name and says the same.
        _section(
            "state",
            _("By State party"),
            Dimension.STATE,
            (
                (row["name"], reverse("states:detail", args=[row["code"]]), row)
                for row in figures["by_state"]
            ),
            drawn=False,
        ),
    ]


def summary(request: HttpRequest) -> HttpResponse:
    """The latest snapshot as charts with their tables, and the trend across snapshots.

    Reads only the database (never the broker), so it serves whether or not Redis is up.
    Without any snapshot yet, the figures are computed live.
    """
    snapshot = snapshot_latest()
    figures = snapshot_figures(snapshot) if snapshot is not None else compliance_figures()
    trend = list(figure_history()[:TREND_LIMIT])[::-1]
    overall = figures["overall"]
    context = {
        "snapshot": snapshot,
        "overall": overall,
        "overall_chart": charts.status_chart([(gettext("All States parties"), None, overall)]),
        "overall_header": ComplianceFigure.Dimension.OVERALL.label,
        "overall_reported": charts.reported_share(overall),
        "overall_share": overall["share_implementing"],
        "recommendations_counted": len(figures["by_recommendation"]),
        "sections": _sections(figures),
        "trend": trend,
        "trend_chart": charts.trend_chart(trend),
        "trend_rows": [
            {
                "figure": figure,
                "reported": charts.reported_share(figure),
                "share": figure.share_implementing,
            }
            for figure in reversed(trend)
        ],
        "dimensions": ComplianceFigure.Dimension.choices,
    }
    return render(request, "compliance/summary.html", context)


def summary_csv(request: HttpRequest) -> HttpResponseBase:
    """The latest snapshot's figures as one CSV table (a row per line of every dimension);
    `?dimension=` keeps one dimension (overall, recommendation, theme, meeting, state,
    regional_group).

    Streamed, with a byte-order mark (for Excel) and text neutralised against formula
    injection (core/spreadsheets.py); the header is field names, the same in every interface
    language (the `name` values are in the interface language)."""
    dimension = request.GET.get("dimension", "")
    if dimension and dimension not in ComplianceFigure.Dimension.values:
        return HttpResponseBadRequest(
            gettext("dimension: unknown value %(value)r; use one of %(choices)s.")
            % {"value": dimension, "choices": ", ".join(ComplianceFigure.Dimension.values)},
            content_type="text/plain; charset=utf-8",
        )
    snapshot = snapshot_latest()
    figures = snapshot_figures(snapshot) if snapshot is not None else compliance_figures()
    rows = (
        [row[column] for column in FLAT_COLUMNS]
        for row in flat_rows(figures)
        if not dimension or row["dimension"] == dimension
    )
    response = StreamingHttpResponse(
        csv_stream(FLAT_COLUMNS, keep_language(rows), bom=True), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{_csv_name(snapshot, dimension)}"'
    return response


def _csv_name(snapshot: ComplianceSnapshot | None, dimension: str) -> str:
    parts = ["wgsom-implementation"]
    if snapshot is None:
        parts.append(f"live-{timezone.localdate():%Y-%m-%d}")
    else:
        parts.append(f"{snapshot.sequence}-{timezone.localtime(snapshot.computed_at):%Y-%m-%d}")
    if dimension:
        parts.append(dimension)
    return "-".join(parts) + ".csv"


class LegacyImplementationRedirect(RedirectView):
    """Any /compliance/<rest> address (the pages' name before "implementation") to the same
    page under /implementation/, permanently and with its query string; the old CSV name
    compliance.csv goes to implementation.csv in the same single hop."""

    permanent = True

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str | None:
        rest = kwargs.get("rest", "")
        if rest == "compliance.csv":
            rest = "implementation.csv"
        # Built here rather than by RedirectView's "%"-formatting, which a "%" in the path breaks.
        url = reverse("compliance:summary") + escape_uri_path(rest)
        query = self.request.META.get("QUERY_STRING", "")
        return f"{url}?{query}" if query else url
