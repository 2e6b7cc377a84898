"""Geometry of the compliance page's charts, drawn server-side as inline SVG.

No JavaScript and no chart library: the page works without scripts and prints as it shows.
Every chart is followed by a table of the same figures, which is what screen readers read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import STATUS_FIELDS

STATUS_LABELS = {
    "implemented": _("Implemented"),
    "partially_implemented": _("Partially implemented"),
    "in_progress": _("In progress"),
    "not_implemented": _("Not implemented"),
    "not_applicable": _("Not applicable"),
    "no_information": _("No information"),
}
# Colours that stay apart for the common colour-vision deficiencies (Okabe-Ito), from "doing
# it" to "nothing known"; the table beside each chart carries the same figures.
STATUS_COLOURS = {
    "implemented": "#009E73",
    "partially_implemented": "#56B4E9",
    "in_progress": "#F0E442",
    "not_implemented": "#D55E00",
    "not_applicable": "#999999",
    "no_information": "#E8E8E8",
}

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


def pairs(row: dict) -> int:
    """How many (State party x recommendation) pairs a figures row counts."""
    return sum(row[status] for status in STATUS_FIELDS)


def stacked_bars(rows: Sequence[tuple[str, dict]]) -> StackedBars:
    """One horizontal bar per (label, COUNTS) row, split by status in proportion to the
    pairs it counts, with the share implementing (full or partial) at its end."""
    bars = []
    for index, (label, counts) in enumerate(rows):
        total = pairs(counts)
        y = index * (BAR_HEIGHT + BAR_GAP)
        x = float(LABEL_WIDTH)
        segments = []
        for status in STATUS_FIELDS:
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


def trend_chart(figures: Sequence) -> Trend | None:
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

    def when(figure) -> str:
        return timezone.localtime(figure.snapshot.computed_at).strftime("%Y-%m-%d")

    def line(name, colour, share_of) -> TrendLine:
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


def reported_share(figure) -> float:
    """The share of pairs with a validated report, of a figures row or ComplianceFigure."""
    counts = figure if isinstance(figure, dict) else figure.counts()
    total = pairs(counts)
    return counts["reported"] / total if total else 0.0
