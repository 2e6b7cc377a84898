"""The chart component: status bars and trend lines, drawn server-side as inline SVG.

No JavaScript and no chart library: the page works without scripts and prints as it shows.
Every chart is followed by a table of the same figures, which is what screen readers read.

Status bars have one path: `status_chart()` shapes the rows and `templates/_status_chart.html`
draws them, on every page that shows statuses as bars. Both the bars and the trend lines take
their colours from core/statuses.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .statuses import (
    IMPLEMENTING_STATUSES,
    NO_INFORMATION,
    STATUS_COLUMNS,
    STATUS_LABELS,
    TREND_COLOURS,
    status_legend,
)


@dataclass(frozen=True)
class Segment:
    """One status's part of a bar. `x` and `width` are percent of the bar, as strings so that
    no locale turns the decimal point into a comma inside SVG attributes."""

    status: str
    label: str | Promise
    count: int
    x: str
    width: str


@dataclass(frozen=True)
class StatusBar:
    """One row of a status chart: the bar's segments and, for the table of the same figures,
    the count of every status in legend order (`cells`)."""

    label: str
    url: str
    segments: list[Segment]
    cells: list[int]
    total: int
    reported: int
    share_percent: int


@dataclass(frozen=True)
class StatusChart:
    """What `templates/_status_chart.html` draws: one bar per row, and its legend."""

    bars: list[StatusBar]

    @property
    def legend(self) -> list[dict[str, Any]]:
        return status_legend()

    def __bool__(self) -> bool:
        return bool(self.bars)


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def pairs(row: Mapping[str, Any]) -> int:
    """How many (State party x recommendation) pairs a figures row counts."""
    return sum(row[status] for status in STATUS_COLUMNS)


def share_percent(counts: Mapping[str, Any]) -> int | None:
    """The share implementing (fully or partly) of what `counts` counts, in whole percent; None
    when it counts nothing, where 0 % would claim a rate there is no ground for."""
    total = sum(int(counts.get(status) or 0) for status in STATUS_COLUMNS)
    if not total:
        return None
    implementing = sum(int(counts.get(status) or 0) for status in IMPLEMENTING_STATUSES)
    return round(100 * implementing / total)


# A row of a status chart: its label, the page it links to (or None), and its counts.
ChartRow = tuple[str | Promise, str | None, Mapping[str, Any]]


def status_chart(rows: Iterable[ChartRow]) -> StatusChart:
    """The one stacked status-bar chart: a bar per (label, link or None, counts) row, split by
    status in proportion to what the row counts, with the share implementing (fully or partly).

    `counts` maps statuses to counts: a COUNTS row of compliance/selectors.py or a tally of
    reporting's tally_statuses(); a status it leaves out counts zero. The share is computed
    from the counts rather than read from them, so a tally and a compliance row of the same
    figures show the same percentage.
    """
    bars = []
    for label, url, counts in rows:
        cells = [int(counts.get(status) or 0) for status in STATUS_COLUMNS]
        by_status = dict(zip(STATUS_COLUMNS, cells, strict=True))
        total = sum(cells)
        x = 0.0
        segments = []
        for status, count in by_status.items():
            width = 100.0 * count / total if total else 0.0
            if width:
                segments.append(
                    Segment(
                        status=status,
                        label=STATUS_LABELS[status],
                        count=count,
                        x=f"{x:.3f}",
                        width=f"{width:.3f}",
                    )
                )
            x += width
        bars.append(
            StatusBar(
                label=str(label),
                url=url or "",
                segments=segments,
                cells=cells,
                total=total,
                reported=total - by_status[NO_INFORMATION],
                share_percent=share_percent(by_status) or 0,
            )
        )
    return StatusChart(bars=bars)


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
            line(
                _("Reported on (State party and recommendation)"),
                TREND_COLOURS["reported"],
                reported_share,
            ),
            line(
                _("Implementing, fully or partly"),
                TREND_COLOURS["implementing"],
                lambda f: f.share_implementing,
            ),
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
