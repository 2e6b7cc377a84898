"""Compliance figures: how many States parties report implementing each recommendation.

The dashboard, the theme pages and the API read the figures from here:

`compliance_figures() -> dict` computes the figures live from validated reports, in a constant
number of aggregate queries; `latest_figures() -> dict` returns the latest snapshot's figures,
or computes them live when there is no snapshot yet. The shape, for every dimension:

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
  places; 0 where there are no pairs.
- `meeting` of a recommendation is its meeting's ordinal. `by_recommendation` and `by_meeting`
  list what has adopted recommendations; `by_theme` and `by_regional_group` list every theme
  and group (a theme with no adopted recommendation shows zero pairs). The European Union,
  party but in no regional group, counts overall and in its own `by_state` row only.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cron_descriptor import (  # type: ignore[import-untyped]  # no stubs
    ExpressionDescriptor,
    FormatException,
    MissingFieldException,
    Options,
    WrongArgumentException,
)
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.models import User
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
        "share_implementing": round(implementing / pairs, 4) if pairs else 0.0,
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
    latest was changed: what a snapshot records beside its figures (one query)."""
    return ImplementationReport.objects.validated().aggregate(
        validated_reports=Count("pk"),
        demonstration_reports=Count("pk", filter=Q(is_demonstration=True)),
        reports_updated_at=Max("updated_at"),
    )


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


def figure_history(
    *, dimension: str = ComplianceFigure.Dimension.OVERALL, key: str | None = None
) -> QuerySet[ComplianceFigure]:
    """Rows of the figures across snapshots, newest snapshot first, each with its snapshot
    joined: the overall figures by default, or a dimension's rows, or with `key` (id, slug,
    ordinal, code, slug) one recommendation, theme, meeting, State or group: the trend. One
    query, however many snapshots."""
    queryset = (
        ComplianceFigure.objects.filter(dimension=dimension)
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
                "name": _row_name(dimension, row),
                **{field: row[field] for field in FLAT_COUNT_COLUMNS},
            }


FLAT_COUNT_COLUMNS = (*COUNT_FIELDS, "share_implementing")
FLAT_COLUMNS = ("dimension", "key", "name", *FLAT_COUNT_COLUMNS)


def _row_name(dimension: FigureDimension, row: dict[str, Any]) -> str:
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
    return row["name"]  # type: ignore[no-any-return]  # a State's or group's name


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
