"""Compliance figures: how many States parties report implementing each recommendation.

The implementation summary, the dashboard, the theme pages and the API read the figures from
here, a few rows of the latest snapshot at a time ("Bounded reads" below: `figure_rows`,
`figure_row_latest`, `figure_rows_latest`), never the whole snapshot.

`compliance_figures() -> dict` computes the figures live from validated reports, in a constant
number of aggregate queries (what a snapshot stores, and what pages show before the first
snapshot); `snapshot_figures()` and `latest_figures()` give a snapshot's figures whole, for
the Secretariat's documents and the tests. The shape, for every dimension:

    {
      "overall": COUNTS,
      "by_recommendation": [{"id", "label", "meeting", **COUNTS}, ...],
      "by_theme": [{"slug", "name", **COUNTS}, ...],
      "by_meeting": [{"ordinal", "year", **COUNTS}, ...],
      "by_state": [{"code", "name", **COUNTS}, ...],
      "by_regional_group": [{"slug", "name", **COUNTS}, ...],
    }

where COUNTS = {"implemented", "partially_implemented", "in_progress", "not_implemented",
"not_applicable", "no_information": int, "reported": int (States parties with a validated
report), "states_parties": int, "share_implementing": float (0..1, full or partial)}; for a
theme, meeting or group the counts are over (State party x adopted recommendation) pairs.

Precisely, as computed here:

- Only validated reports count, and of those only the current one of each State on each
  recommendation (`ImplementationReport.objects.current()`: newest `as_of`, then the one
  recorded last). Only States parties (`protocol_status` party) and adopted recommendations
  are counted; a State party without a current report on a recommendation is "no information".
- Every row counts pairs (State party x adopted recommendation): the five statuses add up to
  `reported`, and `reported + no_information` is the number of pairs. For a recommendation
  that is the number of States parties; for a State, the number of adopted recommendations.
- `states_parties` is the number of States parties the row is about: all of them overall and
  for a recommendation, theme or meeting; the group's for a regional group; 1 for a State.
- `share_implementing` is (implemented + partially implemented) / pairs, to four decimal
  places (half away from zero: `core.formatting.share_of`); 0 where there are no pairs.
- `meeting` of a recommendation is its meeting's ordinal. `by_recommendation` and `by_meeting`
  list what has adopted recommendations; `by_theme` and `by_regional_group` list every theme
  and group (a theme with no adopted recommendation shows zero pairs). The European Union,
  party but in no regional group, counts overall and in its own `by_state` row only.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar, cast

from cron_descriptor import (  # type: ignore[import-untyped]  # no stubs
    ExpressionDescriptor,
    FormatException,
    MissingFieldException,
    Options,
    WrongArgumentException,
)
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.models import User
from core.formatting import share_of
from meetings.models import Meeting, ordinal_in_language
from recommendations.models import Recommendation, Theme
from reporting.models import CurrentStatus, ImplementationReport
from states.models import RegionalGroup, State

from .models import (
    COUNT_FIELDS,
    STATUS_FIELDS,
    ComplianceFigure,
    ComplianceSnapshot,
    ReminderLog,
    ReminderSettings,
    SecretariatReport,
)

if TYPE_CHECKING:
    from .models import FigureDimension

REPORTED_STATUSES = STATUS_FIELDS[:-1]  # every status but the derived "no_information"

# The figures' list keys, each with the snapshot dimension it is stored under and the fields
# that identify one of its rows.
DIMENSIONS: dict[str, tuple[FigureDimension, tuple[str, ...]]] = {
    "by_recommendation": (ComplianceFigure.Dimension.RECOMMENDATION, ("id", "label", "meeting")),
    "by_theme": (ComplianceFigure.Dimension.THEME, ("slug", "name")),
    "by_meeting": (ComplianceFigure.Dimension.MEETING, ("ordinal", "year")),
    "by_state": (ComplianceFigure.Dimension.STATE, ("code", "name")),
    "by_regional_group": (ComplianceFigure.Dimension.REGIONAL_GROUP, ("slug", "name")),
}
# The field of a row's identity that names it across snapshots (ComplianceFigure.key).
KEY_FIELDS = {
    ComplianceFigure.Dimension.RECOMMENDATION: "id",
    ComplianceFigure.Dimension.THEME: "slug",
    ComplianceFigure.Dimension.MEETING: "ordinal",
    ComplianceFigure.Dimension.STATE: "code",
    ComplianceFigure.Dimension.REGIONAL_GROUP: "slug",
}


def counts_from(statuses: Counter[str], *, pairs: int, states_parties: int) -> dict[str, Any]:
    """COUNTS from the current reports' statuses over `pairs` (State party x recommendation)."""
    counts = {status: statuses.get(status, 0) for status in REPORTED_STATUSES}
    reported = sum(counts.values())
    implementing = counts["implemented"] + counts["partially_implemented"]
    return {
        **counts,
        "no_information": pairs - reported,
        "reported": reported,
        "states_parties": states_parties,
        "share_implementing": share_of(implementing, pairs),
    }


def current_reports_counted() -> QuerySet[CurrentStatus]:
    """The current statuses the figures count: of States parties on adopted recommendations,
    read from CurrentStatus (kept by the reporting services as
    `ImplementationReport.objects.current()` defines it), ordering cleared so that grouping by
    values() groups only by the fields named."""
    return CurrentStatus.objects.filter(
        state__protocol_status=State.ProtocolStatus.PARTY,
        recommendation__status=Recommendation.Status.ADOPTED,
    ).order_by()


def compliance_figures() -> dict[str, Any]:
    """The figures computed live, in seven queries whatever the number of States, reports and
    recommendations: five small look-ups and two aggregates counted by the database.

    Every grouping but the State's is a sum over (recommendation, regional group, status)
    counts, so recommendation, theme, meeting, group and overall figures come from one
    aggregate and always agree; run inside one transaction (as the snapshot service does) the
    State figures agree with them too.
    """
    adopted = Recommendation.Status.ADOPTED
    parties = list(
        State.objects.parties().order_by("name").values("pk", "code", "name", "regional_group")
    )
    groups = list(RegionalGroup.objects.order_by("name").values("pk", "slug", "name"))
    recommendations = list(
        Recommendation.objects.filter(status=adopted)
        .order_by("meeting__ordinal", "order", "pk")
        .values("pk", "label", "meeting__ordinal", "meeting__year")
    )
    themes = list(Theme.objects.order_by("order", "name").values("pk", "slug", "name"))
    theme_links = list(
        Recommendation.themes.through.objects.filter(recommendation__status=adopted).values_list(
            "theme_id", "recommendation_id"
        )
    )
    counted = current_reports_counted()
    cube = counted.values("recommendation_id", "state__regional_group", "status").annotate(
        n=Count("pk")
    )
    per_state_rows = counted.values("state_id", "status").annotate(n=Count("pk"))

    by_recommendation: dict[int, Counter[str]] = defaultdict(Counter)
    by_group: dict[int | None, Counter[str]] = defaultdict(Counter)
    for row in cube:
        by_recommendation[row["recommendation_id"]][row["status"]] += row["n"]
        by_group[row["state__regional_group"]][row["status"]] += row["n"]
    by_state: dict[int, Counter[str]] = defaultdict(Counter)
    for row in per_state_rows:
        by_state[row["state_id"]][row["status"]] += row["n"]

    n_parties, n_recommendations = len(parties), len(recommendations)
    parties_in_group = Counter(state["regional_group"] for state in parties)
    recommendations_of_theme: dict[int, list[int]] = defaultdict(list)
    for theme_id, recommendation_id in theme_links:
        recommendations_of_theme[theme_id].append(recommendation_id)
    meetings: dict[int, dict[str, Any]] = {}
    for rec in recommendations:
        meeting = meetings.setdefault(
            rec["meeting__ordinal"],
            {"year": rec["meeting__year"], "statuses": Counter(), "recommendations": 0},
        )
        meeting["statuses"].update(by_recommendation[rec["pk"]])
        meeting["recommendations"] += 1

    def over_recommendations(ids: Iterable[int]) -> Counter[str]:
        total: Counter[str] = Counter()
        for pk in ids:
            total.update(by_recommendation[pk])
        return total

    overall = over_recommendations(rec["pk"] for rec in recommendations)
    return {
        "overall": counts_from(
            overall, pairs=n_parties * n_recommendations, states_parties=n_parties
        ),
        "by_recommendation": [
            {
                "id": rec["pk"],
                "label": rec["label"],
                "meeting": rec["meeting__ordinal"],
                **counts_from(
                    by_recommendation[rec["pk"]], pairs=n_parties, states_parties=n_parties
                ),
            }
            for rec in recommendations
        ],
        "by_theme": [
            {
                "slug": theme["slug"],
                "name": theme["name"],
                **counts_from(
                    over_recommendations(recommendations_of_theme[theme["pk"]]),
                    pairs=n_parties * len(recommendations_of_theme[theme["pk"]]),
                    states_parties=n_parties,
                ),
            }
            for theme in themes
        ],
        "by_meeting": [
            {
                "ordinal": ordinal,
                "year": meeting["year"],
                **counts_from(
                    meeting["statuses"],
                    pairs=n_parties * meeting["recommendations"],
                    states_parties=n_parties,
                ),
            }
            for ordinal, meeting in meetings.items()
        ],
        "by_state": [
            {
                "code": state["code"],
                "name": state["name"],
                **counts_from(by_state[state["pk"]], pairs=n_recommendations, states_parties=1),
            }
            for state in parties
        ],
        "by_regional_group": [
            {
                "slug": group["slug"],
                "name": group["name"],
                **counts_from(
                    by_group[group["pk"]],
                    pairs=parties_in_group[group["pk"]] * n_recommendations,
                    states_parties=parties_in_group[group["pk"]],
                ),
            }
            for group in groups
        ],
    }


def validated_reports_summary() -> dict[str, Any]:
    """How many validated reports there are, how many are demonstration data, and when the
    latest was changed: what a snapshot records beside its figures. Three reads, each on an
    index (a count of the validated reports' entries, of the demonstration reports' partial
    index, a walk down `updated_at` to the newest validated), where one aggregate read every
    report (650 ms against 180 at 2,000,000 reports)."""
    validated = ImplementationReport.objects.validated().order_by()
    return {
        "validated_reports": validated.count(),
        "demonstration_reports": validated.filter(is_demonstration=True).count(),
        "reports_updated_at": validated.order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first(),
    }


def _snapshots_with_figures() -> QuerySet[ComplianceSnapshot]:
    return ComplianceSnapshot.objects.order_by("-sequence").prefetch_related(
        Prefetch("figures", queryset=ComplianceFigure.objects.order_by("dimension", "position"))
    )


def snapshot_latest() -> ComplianceSnapshot | None:
    """The latest snapshot with its figure rows prefetched (two queries), or None."""
    return _snapshots_with_figures().first()


def snapshot_figures(snapshot: ComplianceSnapshot) -> dict[str, Any]:
    """A snapshot's figures in the documented shape, from its prefetched rows (no query when
    they were prefetched, as `snapshot_latest` does)."""
    figures: dict[str, Any] = {key: [] for key in DIMENSIONS}
    list_of: dict[str, str] = {dimension: key for key, (dimension, _fields) in DIMENSIONS.items()}
    for row in snapshot.figures.all():
        if row.dimension == ComplianceFigure.Dimension.OVERALL:
            figures["overall"] = row.counts()
        else:
            figures[list_of[row.dimension]].append({**row.identity, **row.counts()})
    return figures


def latest_figures() -> dict[str, Any]:
    """The latest snapshot's figures (two queries), or the live figures when there is none."""
    snapshot = snapshot_latest()
    return snapshot_figures(snapshot) if snapshot is not None else compliance_figures()


# Bounded reads of the latest snapshot ------------------------------------------------------
#
# The pages and the API read the latest snapshot a slice at a time: its row, then the rows of
# one dimension by position, each an index range scan on (snapshot, dimension, position), so
# that what they cost does not grow with the number of recommendations, meetings or States.
# A snapshot numbers the rows of each dimension 0, 1, 2... (services._snapshot_write), which
# makes the number of rows the last position plus one, and page n the positions of page n:
# neither a COUNT(*) nor an OFFSET ever walks the rows before them.


def snapshot_current() -> ComplianceSnapshot | None:
    """The latest snapshot, without its figure rows (one query), or None."""
    return ComplianceSnapshot.objects.order_by("-sequence").first()


def _latest_snapshot_id() -> Subquery:
    return Subquery(ComplianceSnapshot.objects.order_by("-sequence").values("pk")[:1])


class FigureRows:
    """The rows of one dimension of a stored snapshot, in position order, as a sequence that
    Django's and DRF's paginators page: `count()` is one index look-up (the last position),
    and a slice is one index range scan (`position` between its bounds)."""

    ordered = True  # the paginator's check: rows come in position order

    def __init__(self, snapshot: ComplianceSnapshot, dimension: str) -> None:
        self.snapshot = snapshot
        self.dimension = dimension

    def queryset(self) -> QuerySet[ComplianceFigure]:
        return ComplianceFigure.objects.filter(
            snapshot=self.snapshot, dimension=self.dimension
        ).order_by("position")

    @cached_property
    def _count(self) -> int:
        last = self.queryset().order_by("-position").values_list("position", flat=True).first()
        return 0 if last is None else last + 1

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: slice) -> list[ComplianceFigure]:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("FigureRows are read a slice at a time.")
        start = index.start or 0
        rows = self.queryset().filter(position__gte=start)
        if index.stop is not None:
            rows = rows.filter(position__lt=index.stop)
        return list(rows)


def live_figure_rows(figures: dict[str, Any], dimension: str) -> list[ComplianceFigure]:
    """Figures computed live (no snapshot yet) as unsaved rows of `dimension`, shaped as a
    snapshot stores them, so that a page reads either the same way."""
    if dimension == ComplianceFigure.Dimension.OVERALL:
        return [
            ComplianceFigure(
                dimension=dimension, key="", position=0, identity={}, **figures["overall"]
            )
        ]
    list_key = next(key for key, (dim, _f) in DIMENSIONS.items() if dim == dimension)
    identity_fields = DIMENSIONS[list_key][1]
    return [
        ComplianceFigure(
            dimension=dimension,
            key=figure_key(DIMENSIONS[list_key][0], row),
            position=position,
            identity={field: row[field] for field in identity_fields},
            **{field: row[field] for field in FLAT_COUNT_COLUMNS},
        )
        for position, row in enumerate(figures[list_key])
    ]


def figure_rows(
    *, snapshot: ComplianceSnapshot | None, dimension: str
) -> FigureRows | list[ComplianceFigure]:
    """The rows of `dimension` in `snapshot`, paged lazily (FigureRows); with no snapshot
    yet, the figures computed live (seven queries), as rows."""
    if snapshot is not None:
        return FigureRows(snapshot, dimension)
    return live_figure_rows(compliance_figures(), dimension)


def figure_row_latest(*, dimension: str, key: str = "") -> ComplianceFigure | None:
    """One row of the latest snapshot (the overall row by default; a theme's by its slug...),
        found by the unique (snapshot, dimension, key) index: one query, whatever the snapshot's
        size, with its snapshot joined. None when there is no snapshot or no such row (every
    snapshot has an overall row)."""
    return (
        ComplianceFigure.objects.filter(
            snapshot_id=_latest_snapshot_id(), dimension=dimension, key=key
        )
        .select_related("snapshot")
        .first()
    )


def figure_rows_latest(*, dimensions: Iterable[str], limit: int) -> list[ComplianceFigure]:
    """The first `limit` rows of each of `dimensions` in the latest snapshot, by dimension and
    position, each with its snapshot joined: one query, a range of the (snapshot, dimension,
    position) index per dimension. Empty when there is no snapshot."""
    return list(
        ComplianceFigure.objects.filter(
            snapshot_id=_latest_snapshot_id(), dimension__in=list(dimensions), position__lt=limit
        )
        .select_related("snapshot")
        .order_by("dimension", "position")
    )


def rows_implementing_somewhere(*, snapshot: ComplianceSnapshot, dimension: str) -> int:
    """How many rows of `dimension` count at least one pair implementing (fully or partly):
    for recommendations, those at least one State party reports implementing. One count
    over the dimension's range of the (snapshot, dimension, position) index, kept in the
    cache: a snapshot's rows never change once written, and the count covers up to every
    recommendation (110,000 rows at 125,000 recommendations)."""
    return kept_for_snapshot(
        snapshot,
        f"implementing:{dimension}",
        lambda: ComplianceFigure.objects.filter(
            snapshot=snapshot, dimension=dimension, share_implementing__gt=0
        ).count(),
    )


T = TypeVar("T")

# What is made from a snapshot stays right for ever; a day keeps the cache from holding
# what was made from pruned ones.
SNAPSHOT_CACHE_SECONDS = 24 * 60 * 60


def kept_for_snapshot(snapshot: ComplianceSnapshot, name: str, make: Callable[[], T]) -> T:
    """`make()`, kept in the cache under `snapshot` and `name`: a snapshot's rows never
    change once written, so what is counted or rendered from them never needs making again."""
    return cast(
        "T",
        cache.get_or_set(f"compliance:{snapshot.pk}:{name}", make, SNAPSHOT_CACHE_SECONDS),
    )


def figure_values_stream(
    *, snapshot: ComplianceSnapshot, dimensions: Iterable[str], chunk_size: int = 2000
) -> Iterator[dict[str, Any]]:
    """The rows of `dimensions` in `snapshot` as the CSV downloads' flat rows (see flat_rows,
    with the row's `identity` besides), dimension after dimension, read in chunks of plain
    values (no model object per row), so a download streams in flat memory whatever the
    snapshot's size."""
    for dimension in dimensions:
        values = (
            ComplianceFigure.objects.filter(snapshot=snapshot, dimension=dimension)
            .order_by("position")
            .values("key", "identity", *FLAT_COUNT_COLUMNS)
            .iterator(chunk_size=chunk_size)
        )
        name = _row_namer(dimension)
        for row in values:
            identity = row.pop("identity")
            yield {
                "dimension": dimension,
                "key": row.pop("key"),
                "name": name(identity),
                "identity": identity,
                **row,
            }


def _row_namer(dimension: str) -> Callable[[dict[str, Any]], str]:
    """row_name for many rows of one dimension: the sentence translated once, each meeting's
    ordinal written once (a download names 175,000 recommendations of 2,500 meetings)."""
    Dimension = ComplianceFigure.Dimension
    if dimension == Dimension.OVERALL:
        return lambda identity: ""
    ordinal = lru_cache(maxsize=None)(ordinal_in_language)
    if dimension == Dimension.RECOMMENDATION:
        sentence = gettext("Recommendation %(label)s (%(ordinal)s meeting)")
        return lambda identity: (
            sentence
            % {
                "label": identity["label"],
                "ordinal": ordinal(identity["meeting"]),
            }
        )
    if dimension == Dimension.MEETING:
        sentence = gettext("%(ordinal)s meeting (%(year)s)")
        return lambda identity: (
            sentence
            % {
                "ordinal": ordinal(identity["ordinal"]),
                "year": identity["year"],
            }
        )
    return lambda identity: str(identity["name"])


def flat_figure_rows(
    *, snapshot: ComplianceSnapshot | None, dimensions: Iterable[str]
) -> Iterator[dict[str, Any]]:
    """The flat rows of `dimensions` (figure_values_stream's shape): streamed from
    `snapshot`, or with no snapshot yet from the figures computed live."""
    if snapshot is not None:
        yield from figure_values_stream(snapshot=snapshot, dimensions=dimensions)
        return
    live = compliance_figures()
    for dimension in dimensions:
        for row in live_figure_rows(live, dimension):
            yield {
                "dimension": dimension,
                "key": row.key,
                "name": row_name(dimension, row.identity) if row.identity else "",
                "identity": row.identity,
                **row.counts(),
            }


# The order in which the CSV downloads list the dimensions: overall first, then as the
# figures' shape lists them.
FLAT_DIMENSIONS = (
    ComplianceFigure.Dimension.OVERALL.value,
    *(dimension.value for dimension, _fields in DIMENSIONS.values()),
)


def figure_history(
    *, dimension: str = ComplianceFigure.Dimension.OVERALL, key: str | None = None
) -> QuerySet[ComplianceFigure]:
    """Rows of the figures across snapshots, newest snapshot first, each with its snapshot
    joined: the overall figures by default, or a dimension's rows, or with `key` (id, slug,
    ordinal, code, slug) one recommendation, theme, meeting, State or group: the trend. One
    query, however many snapshots.

    The rows are found from the snapshots, a lookup of figure_unique_in_snapshot (snapshot,
    dimension, key) each: the table has no index that begins with the dimension, and its
    count (a page's) would otherwise scan every snapshot's rows."""
    queryset = (
        ComplianceFigure.objects.filter(
            snapshot__in=ComplianceSnapshot.objects.values("pk"), dimension=dimension
        )
        .select_related("snapshot")
        .order_by("-snapshot__sequence", "position")
    )
    return queryset if key is None else queryset.filter(key=key)


def figure_key(dimension: FigureDimension, row: dict[str, Any]) -> str:
    """The `key` under which a row of `dimension` is stored (see ComplianceFigure)."""
    if dimension == ComplianceFigure.Dimension.OVERALL:
        return ""
    return str(row[KEY_FIELDS[dimension]])


def flat_rows(figures: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The figures as one table: a row per line of every dimension, overall first, with
    `dimension`, `key` and `name` columns (what the CSV downloads hold)."""
    yield {
        "dimension": ComplianceFigure.Dimension.OVERALL.value,
        "key": "",
        "name": "",
        **{field: figures["overall"][field] for field in FLAT_COUNT_COLUMNS},
    }
    for list_key, (dimension, _fields) in DIMENSIONS.items():
        for row in figures[list_key]:
            yield {
                "dimension": dimension.value,
                "key": figure_key(dimension, row),
                "name": row_name(dimension, row),
                **{field: row[field] for field in FLAT_COUNT_COLUMNS},
            }


FLAT_COUNT_COLUMNS = (*COUNT_FIELDS, "share_implementing")
FLAT_COLUMNS = ("dimension", "key", "name", *FLAT_COUNT_COLUMNS)


def row_name(dimension: str, row: dict[str, Any]) -> str:
    """A row's name in the interface language, from its identity fields."""
    if dimension == ComplianceFigure.Dimension.RECOMMENDATION:
        return gettext("Recommendation %(label)s (%(ordinal)s meeting)") % {
            "label": row["label"],
            "ordinal": ordinal_in_language(row["meeting"]),
        }
    if dimension == ComplianceFigure.Dimension.MEETING:
        return gettext("%(ordinal)s meeting (%(year)s)") % {
            "ordinal": ordinal_in_language(row["ordinal"]),
            "year": row["year"],
        }
    if dimension == ComplianceFigure.Dimension.OVERALL:
        return str(ComplianceFigure.Dimension.OVERALL.label)
    return row["name"]  # type: ignore[no-any-return]  # a theme's, State's or group's name


def reminder_meeting() -> Meeting | None:
    """The latest meeting that adopted recommendations: the one reminders are about."""
    return (
        Meeting.objects.filter(recommendations__status=Recommendation.Status.ADOPTED)
        .order_by("-ordinal")
        .first()
    )


def reminder_settings() -> ReminderSettings:
    """The reminder settings: the one row, or (unsaved) the defaults when it is missing, as
    after a test flushed the database (one query)."""
    return ReminderSettings.objects.filter(pk=ReminderSettings.SINGLETON_PK).first() or (
        ReminderSettings(pk=ReminderSettings.SINGLETON_PK)
    )


def meeting_reference_date(meeting: Meeting) -> datetime.date:
    """The day a meeting ended, or the latest day it can have ended when no date is recorded
    (so that a meeting with unknown dates never triggers reminders early)."""
    return meeting.end_date or meeting.start_date or datetime.date(meeting.year, 12, 31)


def reminder_due_date(meeting: Meeting, *, days_after_meeting: int | None = None) -> datetime.date:
    """The first day reminders about `meeting` may go out: the Secretariat's number of days
    after it (read from the settings row, one query, unless given)."""
    if days_after_meeting is None:
        days_after_meeting = reminder_settings().days_after_meeting
    return meeting_reference_date(meeting) + datetime.timedelta(days=days_after_meeting)


@dataclass(frozen=True)
class ReminderCandidate:
    state_id: int
    name: str
    emails: list[str]
    missing: list[str]  # labels of the adopted recommendations not reported on


def reminder_candidates(*, meeting: Meeting) -> list[ReminderCandidate]:
    """States parties with active focal points that have not reported (a report submitted or
    validated) on at least one adopted recommendation of `meeting`, in four queries whatever
    the number of States."""
    recommendations = list(
        Recommendation.objects.filter(meeting=meeting, status=Recommendation.Status.ADOPTED)
        .order_by("order", "pk")
        .values_list("pk", "label")
    )
    reported = set(
        ImplementationReport.objects.filter(
            recommendation__meeting=meeting,
            recommendation__status=Recommendation.Status.ADOPTED,
            state__protocol_status=State.ProtocolStatus.PARTY,
            review_state__in=[
                ImplementationReport.ReviewState.SUBMITTED,
                ImplementationReport.ReviewState.VALIDATED,
            ],
        )
        .order_by()
        .values_list("state_id", "recommendation_id")
        .distinct()
    )
    emails: dict[int, list[str]] = defaultdict(list)
    for state_id, email in (
        User.objects.filter(is_active=True, state__protocol_status=State.ProtocolStatus.PARTY)
        .exclude(email="")
        .order_by("email")
        .values_list("state_id", "email")
    ):
        emails[state_id].append(email)
    candidates = []
    for state_id, name in (
        State.objects.parties().filter(pk__in=emails).order_by("name").values_list("pk", "name")
    ):
        missing = [label for pk, label in recommendations if (state_id, pk) not in reported]
        if missing:
            candidates.append(
                ReminderCandidate(
                    state_id=state_id, name=name, emails=emails[state_id], missing=missing
                )
            )
    return candidates


# The Secretariat's Reminders page ----------------------------------------------------------

# The weekly reminder run, as compliance/migrations/0002_beat_schedules.py creates it.
REMINDERS_TASK = "compliance.tasks.send_reminders"

# cron-descriptor's translations of the site's languages (it has none for Arabic, which then
# reads the English).
CRON_LOCALES = {"fr": "fr_FR", "es": "es_ES", "ru": "ru_RU", "zh-hans": "zh_CN"}


@dataclass(frozen=True)
class ReminderPreview:
    """Who a reminder run would e-mail today: the meeting it is about, the first day reminders
    may go out, the States that would be reminded (not yet reminded this ISO week) and how
    many were already reminded this week."""

    meeting: Meeting | None
    days_after_meeting: int
    due: datetime.date | None
    is_due: bool
    candidates: list[ReminderCandidate]
    already_reminded: int


def reminder_preview(
    *, today: datetime.date, days_after_meeting: int | None = None
) -> ReminderPreview:
    """What `compliance_reminders_send` would do on `today`, by its rules, writing nothing.
    The candidates are listed even before the due day (they are whom the first run reminds,
    if nothing changes); `is_due` says whether a run today sends.

    Seven queries: the settings (unless `days_after_meeting` is given), the meeting, the
    candidates (four) and this week's log.
    """
    days = (
        days_after_meeting
        if days_after_meeting is not None
        else reminder_settings().days_after_meeting
    )
    meeting = reminder_meeting()
    if meeting is None:
        return ReminderPreview(
            meeting=None,
            days_after_meeting=days,
            due=None,
            is_due=False,
            candidates=[],
            already_reminded=0,
        )
    due = reminder_due_date(meeting, days_after_meeting=days)
    iso_year, iso_week, _weekday = today.isocalendar()
    already = set(
        ReminderLog.objects.filter(iso_year=iso_year, iso_week=iso_week).values_list(
            "state_id", flat=True
        )
    )
    candidates = reminder_candidates(meeting=meeting)
    return ReminderPreview(
        meeting=meeting,
        days_after_meeting=days,
        due=due,
        is_due=today >= due,
        candidates=[c for c in candidates if c.state_id not in already],
        already_reminded=sum(1 for c in candidates if c.state_id in already),
    )


@dataclass(frozen=True)
class ReminderSchedule:
    """The reminders' beat schedule as the page shows it: the row (for its admin link), its
    crontab in words, whether it is on, and its last and next runs (no next run when off)."""

    task: PeriodicTask
    in_words: str
    time_zone: str
    enabled: bool
    last_run_at: datetime.datetime | None
    next_run_at: datetime.datetime | None


def crontab_in_words(crontab: CrontabSchedule) -> str:
    """A crontab as a sentence in the reader's language ("At 08:00, only on Monday"), by
    cron-descriptor; the bare expression when it cannot read it."""
    expression = " ".join(
        [
            crontab.minute,
            crontab.hour,
            crontab.day_of_month,
            crontab.month_of_year,
            crontab.day_of_week,
        ]
    )
    options = Options()
    options.locale_code = CRON_LOCALES.get(get_language() or "", "en_US")
    options.use_24hour_time_format = True
    try:
        return str(ExpressionDescriptor(expression, options).get_description())
    except (FormatException, MissingFieldException, WrongArgumentException):
        return expression


def reminder_schedule(*, now: datetime.datetime | None = None) -> ReminderSchedule | None:
    """The reminders' schedule (the first PeriodicTask of the task, one query), or None when
    there is none. The next run is the crontab's next time after `now`, by celery's own
    schedule arithmetic, as beat computes it (no cron parsing here)."""
    task = (
        PeriodicTask.objects.filter(task=REMINDERS_TASK)
        .select_related("crontab")
        .order_by("pk")
        .first()
    )
    if task is None:
        return None
    crontab = task.crontab
    next_run_at = None
    if task.enabled and crontab is not None:
        now = now or timezone.now()
        schedule = crontab.schedule
        # remaining_delta is beat's own arithmetic: from a last run, the delta to the next
        # time the crontab matches (the last run here is "now": whatever ran, next is after).
        start, delta, _now = schedule.remaining_delta(now.astimezone(schedule.tz))
        next_run_at = start + delta
    return ReminderSchedule(
        task=task,
        in_words=crontab_in_words(crontab) if crontab is not None else str(task.schedule),
        time_zone=str(crontab.timezone) if crontab is not None else "",
        enabled=task.enabled,
        last_run_at=task.last_run_at,
        next_run_at=next_run_at,
    )


# The Secretariat's implementation report ---------------------------------------------------


def statuses_as_of(*, until: datetime.datetime) -> dict[tuple[str, int], str]:
    """Each State's status on each recommendation as it stood at `until`: {(State code,
    recommendation id): status}, pairs without a report left out ("no information"). One
    query, whatever the number of reports.

    The rule of `ImplementationReport.objects.current()` (newest `as_of`, then the one
    recorded last) among the reports validated by `until`. Validated reports never change
    and are never deleted, and `validated_at` is set once, so the answer for a past moment
    stays the same whatever is validated later: what lets a document built from an old
    snapshot show the statuses that snapshot counted.
    """
    validated_by_then = ImplementationReport.objects.validated().filter(validated_at__lte=until)
    newer = validated_by_then.filter(
        state=OuterRef("state"), recommendation=OuterRef("recommendation")
    ).filter(Q(as_of__gt=OuterRef("as_of")) | Q(as_of=OuterRef("as_of"), pk__gt=OuterRef("pk")))
    return {
        (code, recommendation_id): status
        for code, recommendation_id, status in validated_by_then.filter(~Exists(newer))
        .order_by()
        .values_list("state__code", "recommendation_id", "status")
    }


def snapshot_choices() -> QuerySet[ComplianceSnapshot]:
    """Snapshots to build a document from, newest first; one query, without their figures."""
    return ComplianceSnapshot.objects.order_by("-sequence")


def snapshot_with_figures(*, pk: int) -> ComplianceSnapshot:
    """One snapshot with its figure rows prefetched (two queries)."""
    return _snapshots_with_figures().get(pk=pk)


def theme_recommendations() -> list[tuple[Theme, list[int]]]:
    """Every theme in the compendium's order with the ids of its adopted recommendations
    (two queries)."""
    themes = list(Theme.objects.order_by("order", "name"))
    members: dict[int, list[int]] = defaultdict(list)
    for theme_id, recommendation_id in (
        Recommendation.themes.through.objects.filter(
            recommendation__status=Recommendation.Status.ADOPTED
        )
        .order_by("recommendation__meeting__ordinal", "recommendation__order", "recommendation_id")
        .values_list("theme_id", "recommendation_id")
    ):
        members[theme_id].append(recommendation_id)
    return [(theme, members[theme.pk]) for theme in themes]


def secretariat_reports() -> QuerySet[SecretariatReport]:
    """Every Secretariat report asked for, newest first, with its snapshot, meeting and the
    person who asked (one query)."""
    return SecretariatReport.objects.select_related("snapshot", "meeting", "requested_by")


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The meeting before `meeting`, or None for the first."""
    return Meeting.objects.filter(ordinal__lt=meeting.ordinal).order_by("-ordinal").first()


def states_parties_reporting_between(
    *, after: datetime.datetime | None, until: datetime.datetime
) -> list[dict[str, Any]]:
    """States parties with a report validated after `after` (None: ever) and by `until`, each
    with how many, by name (one query).

    Validated reports never change and are never deleted, and `validated_at` is set once, so
    the answer for a past `until` stays the same whatever is validated later.
    """
    reports = ImplementationReport.objects.validated().filter(
        state__protocol_status=State.ProtocolStatus.PARTY, validated_at__lte=until
    )
    if after is not None:
        reports = reports.filter(validated_at__gt=after)
    return list(
        reports.order_by()
        .values("state__code", "state__name")
        .annotate(reports=Count("pk"))
        .order_by("state__name")
    )
