"""The chart component: status bars and trend lines, drawn server-side as inline SVG.

No JavaScript and no chart library: the page works without scripts and prints as it shows.
Every chart is followed by a table of the same figures, which is what screen readers read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .statuses import IMPLEMENTING_STATUSES, STATUS_COLOURS, STATUS_COLUMNS, STATUS_LABELS

BAR_HEIGHT = 18
BAR_GAP = 8
LABEL_WIDTH = 230
PLOT_WIDTH = 420
SHARE_WIDTH = 60
CHART_WIDTH = LABEL_WIDTH + PLOT_WIDTH + SHARE_WIDTH


@dataclass(frozen=True)
class Segment:
    status: str
    label: str
    colour: str
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    text_y: int
    segments: list[Segment]
    share: str


@dataclass(frozen=True)
class StackedBars:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    plot_width: int
    share_x: int


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def pairs(row: Mapping[str, Any]) -> int:
    """How many (State party x recommendation) pairs a figures row counts."""
    return sum(row[status] for status in STATUS_COLUMNS)


def stacked_bars(rows: Sequence[tuple[str, Mapping[str, Any]]]) -> StackedBars:
    """One horizontal bar per (label, COUNTS) row, split by status in proportion to the
    pairs it counts, with the share implementing (full or partial) at its end."""
    bars = []
    for index, (label, counts) in enumerate(rows):
        total = pairs(counts)
        y = index * (BAR_HEIGHT + BAR_GAP)
        x = float(LABEL_WIDTH)
        segments = []
        for status in STATUS_COLUMNS:
            width = PLOT_WIDTH * counts[status] / total if total else 0.0
            if width:
                segments.append(
                    Segment(
                        status=status,
                        label=str(STATUS_LABELS[status]),
                        colour=STATUS_COLOURS[status],
                        count=counts[status],
                        x=round(x, 2),
                        width=round(width, 2),
                    )
                )
            x += width
        bars.append(
            Bar(
                label=label if len(label) <= 34 else label[:33] + "…",
                y=y,
                text_y=y + BAR_HEIGHT - 5,
                segments=segments,
                share=percent(counts["share_implementing"]),
            )
        )
    return StackedBars(
        bars=bars,
        width=CHART_WIDTH,
        height=max(len(bars) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT),
        label_width=LABEL_WIDTH - 8,
        plot_width=PLOT_WIDTH,
        share_x=LABEL_WIDTH + PLOT_WIDTH + 6,
    )


TREND_WIDTH = 640
TREND_HEIGHT = 240
TREND_LEFT = 48
TREND_RIGHT = 16
TREND_TOP = 12
TREND_BOTTOM = 36


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float
    value: str
    when: str


@dataclass(frozen=True)
class TrendLine:
    name: str
    colour: str
    points: list[TrendPoint]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass(frozen=True)
class Trend:
    lines: list[TrendLine]
    gridlines: list[tuple[float, str]]
    first: str
    last: str
    width: int = TREND_WIDTH
    height: int = TREND_HEIGHT
    left: int = TREND_LEFT
    right: int = TREND_WIDTH - TREND_RIGHT
    bottom: int = TREND_HEIGHT - TREND_BOTTOM


def trend_chart(figures: Sequence[Any]) -> Trend | None:
    """Lines of the share reporting and the share implementing across snapshots, oldest
    first (`figures`: overall ComplianceFigure rows with their snapshot), or None with fewer
    than two snapshots, where a line would say nothing."""
    if len(figures) < 2:
        return None
    plot_width = TREND_WIDTH - TREND_LEFT - TREND_RIGHT
    plot_height = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM
    step = plot_width / (len(figures) - 1)

    def y_of(share: float) -> float:
        return round(TREND_TOP + plot_height * (1 - share), 2)

    def when(figure: Any) -> str:
        return timezone.localtime(figure.snapshot.computed_at).strftime("%Y-%m-%d")

    def line(name: object, colour: str, share_of: Callable[[Any], float]) -> TrendLine:
        return TrendLine(
            name=str(name),
            colour=colour,
            points=[
                TrendPoint(
                    x=round(TREND_LEFT + index * step, 2),
                    y=y_of(share_of(figure)),
                    value=percent(share_of(figure)),
                    when=when(figure),
                )
                for index, figure in enumerate(figures)
            ],
        )

    return Trend(
        lines=[
            line(_("Reported on (State party and recommendation)"), "#0072B2", reported_share),
            line(_("Implementing, fully or partly"), "#009E73", lambda f: f.share_implementing),
        ],
        gridlines=[(y_of(share), percent(share)) for share in (0, 0.25, 0.5, 0.75, 1)],
        first=when(figures[0]),
        last=when(figures[-1]),
    )


def reported_share(figure: Any) -> float:
    """The share of pairs with a validated report, of a figures row or ComplianceFigure."""
    counts = figure if isinstance(figure, dict) else figure.counts()
    total = pairs(counts)
    return counts["reported"] / total if total else 0.0


# --- Status bars as percentages, for the CSS-drawn bars of the public pages ---------------


def chart_rows(
    rows: list[dict[str, Any]],
    *,
    label_key: str = "name",
    url: Callable[[dict[str, Any]], str] | None = None,
) -> list[dict[str, Any]]:
    """Stacked-bar geometry for compliance rows (the COUNTS shape of compliance/selectors.py).

    Each row gets `segments` (status, label, count, x and width in percent of the bar, as
    strings so that no locale turns the decimal point into a comma inside SVG attributes),
    `cells` (the counts in legend order, for the table beside the chart) and `share_percent`.
    """
    shaped = []
    for row in rows:
        counts = [(s, int(row.get(s, 0) or 0)) for s in STATUS_COLUMNS]
        total = sum(n for _s, n in counts)
        x = 0.0
        segments = []
        for status, count in counts:
            width = 100.0 * count / total if total else 0.0
            if width:
                segments.append(
                    {
                        "status": status,
                        "label": STATUS_LABELS[status],
                        "count": count,
                        "x": f"{x:.3f}",
                        "width": f"{width:.3f}",
                    }
                )
            x += width
        shaped.append(
            {
                "label": row.get(label_key, ""),
                "url": url(row) if url else "",
                "segments": segments,
                "cells": [n for _s, n in counts],
                "total": total,
                "share_percent": round(100 * float(row.get("share_implementing") or 0)),
            }
        )
    return shaped


def status_tally_rows(
    tallies: Mapping[Any, Mapping[str, int]], *, label: Callable[[Any], str] = str
) -> list[dict[str, Any]]:
    """Rows for chart_rows() from tally_statuses(): per key, counts per status."""
    rows = []
    for key, counts in tallies.items():
        total = sum(counts.values())
        implementing = sum(counts[s] for s in IMPLEMENTING_STATUSES)
        rows.append(
            {
                "name": label(key),
                **counts,
                "share_implementing": implementing / total if total else 0,
            }
        )
    return rows
