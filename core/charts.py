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
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .formatting import format_percent
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

    @property
    def share(self) -> float:
        """The share implementing as a fraction, for the `percent` filter."""
        return self.share_percent / 100


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
    """A share (0.16) in whole percent, as the active language writes it (core/formatting.py)."""
    return format_percent(share)


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


# At most this many dates under the trend: more would crowd one another on a phone.
TREND_MAX_TICKS = 4
# Day and month steps between ticks, the smallest that keeps within TREND_MAX_TICKS wins.
_DAY_STEPS = (1, 2, 7, 14)
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)


@dataclass(frozen=True)
class TrendPoint:
    """A snapshot on a line. `x` and `y` are percent of the plot (x from the first snapshot,
    y from the top), so the drawing stretches to any width without distorting time."""

    x: float
    y: float
    value: str
    when: datetime


@dataclass(frozen=True)
class TrendLine:
    name: str
    colour: str
    points: list[TrendPoint]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass(frozen=True)
class TrendTick:
    """A date under the time axis, at `x` percent of the plot; `align` keeps the first and last
    labels inside the plot ("start", "middle" or "end")."""

    x: float
    when: datetime
    align: str


@dataclass(frozen=True)
class Trend:
    """The trend on a true time axis: x positions proportional to the time between snapshots.
    `tick_format` is the Django format name the template's `date` filter writes ticks with
    (DATE_FORMAT, YEAR_MONTH_FORMAT, "Y", or TIME_FORMAT when every snapshot is of one day,
    which `first` then names)."""

    lines: list[TrendLine]
    gridlines: list[tuple[float, str]]
    ticks: list[TrendTick]
    tick_format: str
    first: datetime
    last: datetime

    @property
    def one_day(self) -> bool:
        return self.tick_format == "TIME_FORMAT"


def _add_months(moment: datetime, months: int) -> datetime:
    index = moment.month - 1 + months
    return moment.replace(year=moment.year + index // 12, month=index % 12 + 1)


def _time_ticks(first: datetime, last: datetime) -> tuple[list[datetime], str]:
    """Round moments between `first` and `last` (local midnights or first days of months) to
    label the axis with, and the format to write them in."""
    first, last = timezone.localtime(first), timezone.localtime(last)
    if first.date() == last.date():
        return [first, last], "TIME_FORMAT"
    midnight = first.replace(hour=0, minute=0, second=0, microsecond=0)
    days = (last.date() - first.date()).days
    for step in _DAY_STEPS:
        if days // step + 1 <= TREND_MAX_TICKS:
            start = midnight if midnight == first else midnight + timedelta(days=1)
            ticks = []
            while start <= last:
                ticks.append(start)
                start = timezone.localtime(start + timedelta(days=step))
                start = start.replace(hour=0, minute=0, second=0, microsecond=0)
            return (ticks if len(ticks) >= 2 else [first, last]), "DATE_FORMAT"
    month_start = midnight.replace(day=1)
    months = (last.year - first.year) * 12 + last.month - first.month
    for step in _MONTH_STEPS:
        if months // step + 1 <= TREND_MAX_TICKS:
            # Steps of a year or more start in January; shorter ones on a multiple of the step.
            start = month_start if month_start == first else _add_months(month_start, 1)
            while (start.month - 1) % min(step, 12):
                start = _add_months(start, 1)
            ticks = []
            while start <= last:
                ticks.append(start)
                start = _add_months(start, step)
            fmt = "Y" if step >= 12 else "YEAR_MONTH_FORMAT"
            return (ticks if ticks else [first, last]), fmt
    return [first, last], "Y"


def trend_chart(figures: Sequence[Any]) -> Trend | None:
    """Lines of the share reporting and the share implementing across snapshots, oldest
    first (`figures`: overall ComplianceFigure rows with their snapshot), on a time axis, or
    None with fewer than two snapshots, where a line would say nothing (the page says so)."""
    if len(figures) < 2:
        return None
    first = figures[0].snapshot.computed_at
    last = figures[-1].snapshot.computed_at
    span = (last - first).total_seconds()

    def x_of(moment: datetime) -> float:
        # Snapshots of one instant (a test's, or a forced recompute) share the middle.
        return round(100 * (moment - first).total_seconds() / span, 2) if span else 50.0

    def y_of(share: float) -> float:
        return round(100 * (1 - float(share)), 2)

    def line(name: object, colour: str, share_of: Callable[[Any], float]) -> TrendLine:
        return TrendLine(
            name=str(name),
            colour=colour,
            points=[
                TrendPoint(
                    x=x_of(figure.snapshot.computed_at),
                    y=y_of(share_of(figure)),
                    value=percent(share_of(figure)),
                    when=figure.snapshot.computed_at,
                )
                for figure in figures
            ],
        )

    moments, tick_format = _time_ticks(first, last)
    ticks = []
    for moment in moments:
        x = x_of(moment)
        align = "start" if x < 12 else "end" if x > 88 else "middle"
        ticks.append(TrendTick(x=x, when=moment, align=align))
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
        ticks=ticks,
        tick_format=tick_format,
        first=first,
        last=last,
    )


def reported_share(figure: Any) -> float:
    """The share of pairs with a validated report, of a figures row or ComplianceFigure."""
    counts = figure if isinstance(figure, dict) else figure.counts()
    total = pairs(counts)
    return counts["reported"] / total if total else 0.0
