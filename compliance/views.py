"""The public implementation summary (the compliance app's page), the pages of each of its
dimensions, and its CSV download."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from core import charts
from core.spreadsheets import CSV_CONTENT_TYPE, csv_stream, keep_language
from meetings.models import ordinal_in_language

from .models import ComplianceFigure, ComplianceSnapshot, FigureDimension
from .selectors import (
    FLAT_COLUMNS,
    FLAT_DIMENSIONS,
    compliance_figures,
    figure_history,
    figure_rows,
    flat_figure_rows,
    kept_for_snapshot,
    live_figure_rows,
    snapshot_current,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Snapshots the trend shows: about two months of nightly changes, or years of quieter ones.
TREND_LIMIT = 60
# Rows a section of the summary shows; a longer dimension links to its own pages instead.
SECTION_ROWS = 50
# Rows a page of one dimension shows.
PAGE_ROWS = 50


@dataclass(frozen=True)
class Section:
    """One dimension of the figures as the summary shows it: its address under
    /implementation/by-<slug>/, its heading, and how a row is labelled and linked."""

    slug: str
    dimension: FigureDimension
    title: StrOrPromise
    page_title: StrOrPromise
    label: Callable[[dict[str, Any]], tuple[str, str | None]]
    # A bar per State party would make a chart longer than the page; the table says the same.
    drawn: bool = True
    # Rows shown on the summary before the section links to its own pages instead
    # (SECTION_ROWS unless given): every State of the world fits in the States' table, which
    # has no drawing.
    rows: int | None = None

    @property
    def shown(self) -> int:
        return self.rows or SECTION_ROWS

    @property
    def id(self) -> str:
        return f"by-{self.slug}"

    def chart(self, rows: Iterable[ComplianceFigure]) -> charts.StatusChart:
        return charts.status_chart((*self.label(row.identity), row.counts()) for row in rows)


def _recommendation(identity: dict[str, Any]) -> tuple[str, str | None]:
    label = gettext("Recommendation %(label)s (%(ordinal)s meeting)") % {
        "label": identity["label"],
        "ordinal": ordinal_in_language(identity["meeting"]),
    }
    return label, reverse("recommendations:detail", args=[identity["id"]])


def _meeting(identity: dict[str, Any]) -> tuple[str, str | None]:
    label = gettext("%(ordinal)s meeting (%(year)s)") % {
        "ordinal": ordinal_in_language(identity["ordinal"]),
        "year": identity["year"],
    }
    return label, reverse("meetings:detail", args=[identity["ordinal"]])


Dimension = ComplianceFigure.Dimension
SECTIONS = (
    Section(
        "theme",
        Dimension.THEME,
        _("By theme"),
        _("Implementation by theme"),
        lambda i: (i["name"], reverse("recommendations:theme_detail", args=[i["slug"]])),
    ),
    Section(
        "meeting", Dimension.MEETING, _("By meeting"), _("Implementation by meeting"), _meeting
    ),
    Section(
        "regional-group",
        Dimension.REGIONAL_GROUP,
        _("By regional group"),
        _("Implementation by regional group"),
        lambda i: (i["name"], None),
    ),
    Section(
        "recommendation",
        Dimension.RECOMMENDATION,
        _("By recommendation"),
        _("Implementation by recommendation"),
        _recommendation,
    ),
    Section(
        "state",
        Dimension.STATE,
        _("By State party"),
        _("Implementation by State party"),
        lambda i: (i["name"], reverse("states:detail", args=[i["code"]])),
        drawn=False,
        rows=250,
    ),
)
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}


def _rows_of(snapshot: ComplianceSnapshot | None) -> Callable[[str], Any]:
    """The rows of a dimension: the snapshot's, read a slice at a time, or (no snapshot yet)
    those of the figures computed live, computed once."""
    if snapshot is not None:
        return lambda dimension: figure_rows(snapshot=snapshot, dimension=dimension)
    live = compliance_figures()
    return lambda dimension: live_figure_rows(live, dimension)


def summary(request: HttpRequest) -> HttpResponse:
    """The latest snapshot as charts with their tables, and the trend across snapshots.

    Each section shows at most its first `rows` rows; a longer one (thousands of meetings or
    recommendations) links to its own pages and to its CSV. Nine queries, whatever the number
    of rows: the snapshot, its overall row, the number of recommendations, a slice of each of
    the five dimensions, the trend; four once the snapshot's sections have been rendered in
    the language (they are kept, see `_sections_html`). Reads only the database and the
    cache (never the broker), so it serves whether or not Redis is up. Without any snapshot
    yet, the figures are computed live.
    """
    snapshot = snapshot_current()
    rows_of = _rows_of(snapshot)
    overall = rows_of(Dimension.OVERALL)[0:1][0].counts()
    recommendations_counted = len(rows_of(Dimension.RECOMMENDATION))
    trend = list(figure_history()[:TREND_LIMIT])[::-1]
    context = {
        "snapshot": snapshot,
        "overall": overall,
        "overall_chart": charts.status_chart([(gettext("All States parties"), None, overall)]),
        "overall_header": Dimension.OVERALL.label,
        "overall_reported": charts.reported_share(overall),
        "overall_share": overall["share_implementing"],
        "recommendations_counted": recommendations_counted,
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
        "dimensions": Dimension.choices,
        "sections_html": _sections_html(snapshot, rows_of),
    }
    return render(request, "compliance/summary.html", context)


def _sections_html(
    snapshot: ComplianceSnapshot | None, rows_of: Callable[[str], Any]
) -> SafeString:
    """The summary's sections (a chart and table per dimension, hundreds of rows), rendered.
    A snapshot's rows never change once written, so its sections are rendered once per
    interface language and kept; the live figures (no snapshot yet) are rendered each time."""

    def render_sections() -> SafeString:
        sections = []
        for section in SECTIONS:
            rows = list(rows_of(section.dimension)[0 : section.shown + 1])
            sections.append(
                {
                    "id": section.id,
                    "slug": section.slug,
                    "dimension": section.dimension.value,
                    "title": section.title,
                    "row_header": section.dimension.label,
                    "chart": section.chart(rows[: section.shown]),
                    "table_only": not section.drawn,
                    "more": len(rows) > section.shown,
                    "shown": section.shown,
                }
            )
        return render_to_string("compliance/_summary_sections.html", {"sections": sections})

    if snapshot is None:
        return render_sections()
    return kept_for_snapshot(snapshot, f"summary-sections:{get_language()}", render_sections)


def summary_section(request: HttpRequest, section: str) -> HttpResponse:
    """One dimension of the latest snapshot, a page at a time (`?page=`), as a chart with
    its table. Three queries whatever the page: the snapshot, the number of rows (the last
    position) and the page's rows (a range of positions)."""
    chosen = SECTIONS_BY_SLUG.get(section)
    if chosen is None:
        raise Http404(gettext("The figures have no such dimension."))
    snapshot = snapshot_current()
    paginator = Paginator(_rows_of(snapshot)(chosen.dimension), PAGE_ROWS)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "snapshot": snapshot,
        "section": chosen,
        "title": chosen.page_title,
        "row_header": chosen.dimension.label,
        "chart": chosen.chart(page.object_list),
        "table_only": not chosen.drawn,
        "page_obj": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    }
    return render(request, "compliance/summary_section.html", context)


def summary_csv(request: HttpRequest) -> HttpResponseBase:
    """The latest snapshot's figures as one CSV table (a row per line of every dimension);
    `?dimension=` keeps one dimension (overall, recommendation, theme, meeting, state,
    regional_group).

    Streamed, with a byte-order mark (for Excel) and text neutralised against formula
    injection (core/spreadsheets.py); the rows are read from the database in chunks of plain
    values as they are sent, so memory stays flat however large the snapshot. The header is
    field names, the same in every interface language (the `name` values are in the interface
    language)."""
    dimension = request.GET.get("dimension", "")
    if dimension and dimension not in Dimension.values:
        return HttpResponseBadRequest(
            gettext("dimension: unknown value %(value)r; use one of %(choices)s.")
            % {"value": dimension, "choices": ", ".join(Dimension.values)},
            content_type="text/plain; charset=utf-8",
        )
    snapshot = snapshot_current()
    dimensions = [dimension] if dimension else FLAT_DIMENSIONS
    flat = flat_figure_rows(snapshot=snapshot, dimensions=dimensions)
    rows = ([row[column] for column in FLAT_COLUMNS] for row in flat)
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
