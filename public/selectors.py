"""Reads that only the public pages make, across apps."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from compliance.models import ComplianceFigure, ComplianceSnapshot
from compliance.selectors import (
    compliance_figures,
    figure_row_latest,
    figure_rows_latest,
    live_figure_rows,
    rows_implementing_somewhere,
    snapshot_current,
)
from core.data_versions.models import DataVersion
from core.data_versions.selectors import cached_under_versions
from core.statuses import NO_INFORMATION, STATUS_COLUMNS
from meetings.models import Meeting
from recommendations.models import Recommendation, Theme
from reporting.models import CurrentStatus
from states.models import State


def headline_figures() -> dict[str, int]:
    """The counts the home page leads with, in two queries whatever the data size (three
    when the recommendations changed since their counts were last made).

    `states_reported`: States with at least one validated report. How many adopted
    recommendations are implemented somewhere comes from the latest snapshot
    (`home_implementation`), not from a look at every recommendation's statuses. The
    recommendations counted by status (every row of the table: 22 ms at 125,000) are kept
    in the cache under the recommendations' data version, read with the other counts.
    """
    # A State with a validated report has a current one: a row of CurrentStatus.
    reported = CurrentStatus.objects.filter(state=OuterRef("pk"))
    counts = State.objects.aggregate(
        states=Count("pk"),
        states_reported=Count("pk", filter=Q(Exists(reported))),
        # Uncorrelated: counted once, whatever the number of States (MAX only makes them
        # aggregates, which `aggregate` takes).
        meetings=Max(_scalar(Meeting.objects.annotate(n=Func(F("pk"), function="COUNT")))),
        themes=Max(_scalar(Theme.objects.annotate(n=Func(F("pk"), function="COUNT")))),
        recommendations_changed_at=Max(
            Subquery(
                DataVersion.objects.filter(name=Recommendation._meta.app_label).values("changed_at")
            )
        ),
    )
    changed_at = counts.pop("recommendations_changed_at")
    by_status: dict[str, int] = cache.get_or_set(  # type: ignore[assignment]  # the callable never returns None
        f"home:recommendations-by-status:{changed_at.isoformat() if changed_at else None}",
        lambda: Recommendation.objects.aggregate(
            adopted=Count("pk", filter=Q(status=Recommendation.Status.ADOPTED)),
            draft=Count("pk", filter=Q(status=Recommendation.Status.DRAFT)),
            proposed=Count("pk", filter=Q(status=Recommendation.Status.PROPOSED)),
        ),
        # Not kept without a version (a database flushed since the app's first write).
        timeout=settings.VERSIONED_CACHE_SECONDS if changed_at else 0,
    )
    return {**by_status, **counts}


def _scalar(rows: QuerySet[Any]) -> Subquery:
    return Subquery(rows.order_by().values("n"), output_field=IntegerField())


# --- State pages: figures and statuses read from CurrentStatus by key ----------------------
#
# A State's status on each recommendation is a row of CurrentStatus (none: no information),
# indexed by (state, status) and unique on (state, recommendation). These reads never touch
# the implementation reports (two million at scale) nor derive a status row by row.


@dataclass(frozen=True)
class StateScorecard:
    """A State's counts by status: `overall` over every adopted recommendation (those without
    a report counted as no information), `by_theme` over the recommendations of each theme it
    has reported on (a recommendation counts in each of its themes; no information is not
    counted there, see `state_scorecard`)."""

    adopted: int
    overall: dict[str, int]
    by_theme: list[tuple[Theme, dict[str, int]]]

    @property
    def reported(self) -> int:
        """Adopted recommendations the State has a current (validated) report on."""
        return self.adopted - self.overall[NO_INFORMATION]


def _state_current(state: State) -> QuerySet[CurrentStatus]:
    # Reports are recorded on adopted recommendations only (reporting.services), so the
    # State's rows need no join to the recommendations: the (state, status) index answers.
    # Ordering cleared, so that values() groups by the fields named only.
    return CurrentStatus.objects.filter(state=state).order_by()


def _state_statuses_by_theme(state: State) -> list[tuple[int, str, int]]:
    # (theme id, status, count) of the State's rows of CurrentStatus, joined to the theme
    # links by recommendation id. In SQL because the ORM would join the recommendations
    # between the two (a path through Recommendation), which the database then reads whole.
    links = Recommendation.themes.through._meta.db_table
    current = CurrentStatus._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT link.theme_id, cs.status, COUNT(*) FROM {current} cs "
            f"JOIN {links} link ON link.recommendation_id = cs.recommendation_id "
            "WHERE cs.state_id = %s GROUP BY link.theme_id, cs.status",
            [state.pk],
        )
        return list(cursor.fetchall())


def state_scorecard(*, state: State) -> StateScorecard:
    """`state`'s scorecard: two queries when it has not reported (the number of adopted
    recommendations; its statuses counted, an index-only read of its rows of CurrentStatus),
    three when it has (its statuses counted by theme, its rows joined to the theme links by
    their unique key). The adopted count and the counts by theme, which grow with the data
    (130 ms at 250,000 recommendations), are kept under the data versions they count.

    The themes' bars count what the State reported only: counting every adopted
    recommendation of every theme would read the whole link table on each State's page.
    """
    adopted = cached_under_versions(
        "recommendations:adopted",
        [Recommendation._meta.app_label],
        Recommendation.objects.filter(status=Recommendation.Status.ADOPTED).count,
    )
    overall = dict.fromkeys(STATUS_COLUMNS, 0)
    for row in _state_current(state).values("status").annotate(n=Count("*")):
        overall[row["status"]] = row["n"]
    # Never below zero, even if a recommendation stopped being adopted after a report.
    overall[NO_INFORMATION] = max(adopted - sum(overall.values()), 0)
    by_theme: list[tuple[Theme, dict[str, int]]] = []
    if overall[NO_INFORMATION] < adopted:
        per_theme: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUS_COLUMNS, 0))
        counted = cached_under_versions(
            f"states:{state.pk}:statuses-by-theme",
            [CurrentStatus._meta.app_label, Recommendation._meta.app_label],
            lambda: list(_state_statuses_by_theme(state)),
        )
        for theme_id, status, n in counted:
            per_theme[theme_id][status] = n
        themes = Theme.objects.in_bulk(list(per_theme))
        by_theme = [
            (theme, per_theme[theme.pk])
            for theme in sorted(themes.values(), key=lambda theme: (theme.order, theme.name))
        ]
    return StateScorecard(adopted=adopted, overall=overall, by_theme=by_theme)


def state_recommendations_page() -> QuerySet[Recommendation]:
    """The adopted recommendations a State page lists (a page of them at a time, meeting by
    meeting in report order), with their meetings joined; `attach_state_statuses` then gives
    each row of the page its status."""
    return (
        Recommendation.objects.filter(status=Recommendation.Status.ADOPTED)
        .select_related("meeting")
        .order_by("meeting__ordinal", "order", "pk")
    )


def attach_state_statuses(rows: Iterable[Any], *, state: State) -> list[Any]:
    """Give each recommendation of `rows` (a page of them) `state`'s current status, as the
    annotations of reporting's `recommendations_with_state_status` name them:
    `current_status` (None: no information), `current_as_of`, `current_source`,
    `current_report_id`. One query, the pairs found by their unique key, whatever the number
    of recommendations and reports in the database."""
    rows = list(rows)
    found: dict[int, dict[str, Any]] = {
        row["recommendation_id"]: dict(row)
        for row in CurrentStatus.objects.filter(
            state=state, recommendation_id__in=[row.pk for row in rows]
        ).values("recommendation_id", "status", "as_of", "report_id", "report__source")
    }
    for row in rows:
        current = found.get(row.pk, {})
        row.current_status = current.get("status")
        row.current_as_of = current.get("as_of")
        row.current_source = current.get("report__source")
        row.current_report_id = current.get("report_id")
    return rows


def recommendations_reported_by_state() -> dict[int, int]:
    """For each State with a current report, on how many recommendations it has one (a State
    absent has none). One aggregate over CurrentStatus, read from its (state, status) index
    (never over the implementation reports themselves), kept under the reports' data version:
    80 ms at 1.3 million current statuses, on the page that lists every State."""
    return cached_under_versions(
        "states:recommendations-reported",
        [CurrentStatus._meta.app_label],
        lambda: dict(
            CurrentStatus.objects.order_by()
            .values("state_id")
            .annotate(n=Count("*"))
            .values_list("state_id", "n")
        ),
    )


# --- Home and theme pages: a few rows of the latest snapshot, counts by grouped aggregates ---


# Bars the home page's charts show of each dimension (the compendium's nine themes and the
# five regional groups fit); the implementation summary has the rest.
HOME_CHART_ROWS = 12


@dataclass(frozen=True)
class HomeImplementation:
    """What the home page shows of the compliance figures: the first rows by theme and by
    regional group, whether there are more, and how many of the adopted recommendations the
    figures count at least one State party reports implementing (fully or partly)."""

    snapshot: ComplianceSnapshot | None
    by_theme: list[ComplianceFigure]
    by_regional_group: list[ComplianceFigure]
    more_rows: bool
    adopted_counted: int
    implemented_somewhere: int

    @property
    def share_implemented_percent(self) -> int:
        if not self.adopted_counted:
            return 0
        return round(100 * self.implemented_somewhere / self.adopted_counted)


def home_implementation() -> HomeImplementation:
    """The home page's compliance figures from the latest snapshot: two queries whatever its
    size (its overall, theme and group rows up to HOME_CHART_ROWS each; the recommendations
    implemented somewhere, counted within an index). Without a snapshot yet, computed live."""
    Dimension = ComplianceFigure.Dimension
    dimensions = (Dimension.OVERALL, Dimension.THEME, Dimension.REGIONAL_GROUP)
    rows = figure_rows_latest(dimensions=dimensions, limit=HOME_CHART_ROWS + 1)
    snapshot = rows[0].snapshot if rows else None
    if snapshot is not None:
        implemented = rows_implementing_somewhere(
            snapshot=snapshot, dimension=Dimension.RECOMMENDATION
        )
    else:
        live = compliance_figures()
        rows = [row for dimension in dimensions for row in live_figure_rows(live, dimension)]
        implemented = sum(1 for row in live["by_recommendation"] if row["share_implementing"])
    of = {
        dimension: [row for row in rows if row.dimension == dimension] for dimension in dimensions
    }
    overall = of[Dimension.OVERALL][0]
    pairs = overall.reported + overall.no_information
    return HomeImplementation(
        snapshot=snapshot,
        by_theme=of[Dimension.THEME][:HOME_CHART_ROWS],
        by_regional_group=of[Dimension.REGIONAL_GROUP][:HOME_CHART_ROWS],
        more_rows=any(len(of[d]) > HOME_CHART_ROWS for d in dimensions[1:]),
        # Each adopted recommendation counts one pair per State party.
        adopted_counted=pairs // overall.states_parties if overall.states_parties else 0,
        implemented_somewhere=implemented,
    )


def latest_meeting() -> Meeting | None:
    """The latest meeting with `adopted_count`, its adopted recommendations counted by a
    subquery on that one meeting (one query; no count over every meeting)."""
    adopted = (
        Recommendation.objects.filter(meeting=OuterRef("pk"), status=Recommendation.Status.ADOPTED)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Meeting.objects.annotate(
            adopted_count=Coalesce(Subquery(adopted, output_field=IntegerField()), 0)
        )
        .order_by("-ordinal")
        .first()
    )


def theme_figures(*, theme: Theme) -> ComplianceFigure | None:
    """`theme`'s row of the latest snapshot: one query, by the (snapshot, dimension, key)
    index. Without a snapshot yet (one more query says so), its row of the figures computed
    live. None when the figures have no row for it."""
    row = figure_row_latest(dimension=ComplianceFigure.Dimension.THEME, key=theme.slug)
    if row is not None or snapshot_current() is not None:
        return row
    live = live_figure_rows(compliance_figures(), ComplianceFigure.Dimension.THEME)
    return next((row for row in live if row.key == theme.slug), None)


def theme_figures_by_slug() -> dict[str, ComplianceFigure]:
    """Every theme's row of the latest snapshot by slug (one query; there is a row per theme,
    a few dozen at most), or of the figures computed live when there is no snapshot yet."""
    Dimension = ComplianceFigure.Dimension
    rows = list(figure_rows_latest(dimensions=[Dimension.THEME], limit=THEME_ROWS_LIMIT))
    if not rows and snapshot_current() is None:
        rows = live_figure_rows(compliance_figures(), Dimension.THEME)
    return {row.key: row for row in rows}


# Themes are the compendium's: nine, a few dozen if it ever grows. The bound keeps the read
# bounded even so.
THEME_ROWS_LIMIT = 500
