"""The implementation trend on a true time axis: a snapshot's x position is proportional to
its time, the axis is labelled with round dates written by the active language, and snapshots
of a single day are labelled by time under the date they share."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from core.charts import trend_chart
from core.statuses import STATUS_COLUMNS

VIENNA = ZoneInfo("Europe/Vienna")


def _figure(when: datetime.datetime, share: float = 0.5, reported: int = 5):
    counts = dict.fromkeys(STATUS_COLUMNS, 0)
    counts.update(implemented=reported, no_information=10 - reported, reported=reported)
    return SimpleNamespace(
        snapshot=SimpleNamespace(computed_at=when),
        share_implementing=share,
        counts=lambda: counts,
    )


def _at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=VIENNA)


@pytest.fixture(autouse=True)
def in_vienna():
    with timezone.override(VIENNA), translation.override("en"):
        yield


def test_x_positions_are_proportional_to_the_time_between_snapshots():
    # Days 0, 1 and 10: the second point sits a tenth of the way along, not half way.
    trend = trend_chart(
        [_figure(_at(2026, 11, 1, 3)), _figure(_at(2026, 11, 2, 3)), _figure(_at(2026, 11, 11, 3))]
    )

    for line in trend.lines:
        assert [point.x for point in line.points] == [0.0, 10.0, 100.0]


def test_y_positions_are_the_share_from_the_top():
    trend = trend_chart([_figure(_at(2026, 11, 1), share=0.25), _figure(_at(2026, 11, 5), 1.0)])

    implementing = trend.lines[1]
    assert [point.y for point in implementing.points] == [75.0, 0.0]


def test_ticks_are_round_dates_inside_the_span_written_with_date_format():
    trend = trend_chart([_figure(_at(2026, 11, 1, 3)), _figure(_at(2026, 11, 4, 3))])

    assert trend.tick_format == "DATE_FORMAT"
    assert [tick.when.date() for tick in trend.ticks] == [
        datetime.date(2026, 11, 2),
        datetime.date(2026, 11, 3),
        datetime.date(2026, 11, 4),
    ]
    # Local midnights, 21, 45 and 69 hours after the first snapshot of a 72-hour span.
    assert [tick.x for tick in trend.ticks] == [29.17, 62.5, 95.83]
    assert [tick.align for tick in trend.ticks] == ["middle", "middle", "end"]


def test_a_long_span_is_labelled_by_month_and_never_crowded():
    trend = trend_chart([_figure(_at(2025, 1, 15)), _figure(_at(2026, 12, 1))])

    assert 2 <= len(trend.ticks) <= 4
    assert all(tick.when.day == 1 for tick in trend.ticks)
    assert all(0 <= tick.x <= 100 for tick in trend.ticks)


def test_snapshots_of_one_day_are_labelled_by_time_not_by_the_same_date_twice():
    trend = trend_chart([_figure(_at(2026, 12, 1, 2)), _figure(_at(2026, 12, 1, 14))])

    assert trend.one_day
    assert trend.tick_format == "TIME_FORMAT"
    labels = [
        Template("{{ when|date:fmt }}").render(
            Context({"when": tick.when, "fmt": trend.tick_format})
        )
        for tick in trend.ticks
    ]
    assert labels == ["2 a.m.", "2 p.m."]


def test_a_single_snapshot_draws_no_axis():
    assert trend_chart([_figure(_at(2026, 12, 1))]) is None
    assert trend_chart([]) is None


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "Nov. 2, 2026"), ("fr", "2 novembre 2026")]
)
def test_the_tick_dates_are_localized(language, expected):
    trend = trend_chart([_figure(_at(2026, 11, 1, 3)), _figure(_at(2026, 11, 4, 3))])
    with translation.override(language):
        first_tick = Template("{{ when|date:fmt }}").render(
            Context({"when": trend.ticks[0].when, "fmt": trend.tick_format})
        )

    assert first_tick == expected
