"""Reads of implementation reports and current statuses shared by pages and the API.

A State's current status on a recommendation is its latest validated report (newest `as_of`,
then the one recorded last), kept as a row of CurrentStatus by the services; with none, the
status is "no information", which has no row. These selectors annotate it in the database
from that table, so a list costs the same number of queries whatever its length. The
reporting pages' reads follow them.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.data_versions.selectors import cached_under_versions
from core.statuses import (
    NO_INFORMATION,
    NO_INFORMATION_LABEL,
    STATUS_COLUMNS,
    ImplementationStatus,
    label_status,
)
from core.translation import content_language
from meetings.models import Meeting
from recommendations.models import Recommendation
from states.models import State
from states.names import name_sort_key

from .models import CurrentStatus, ImplementationReport, ReportAttachment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

ReviewState = ImplementationReport.ReviewState


def _latest_validated(**filters: Any) -> QuerySet[CurrentStatus]:
    # The pair's row of CurrentStatus (kept by the services), found by its unique key.
    return CurrentStatus.objects.filter(**filters)[:1]


def _annotate_current(queryset: QuerySet[Any], latest: QuerySet[CurrentStatus]) -> QuerySet[Any]:
    # The annotations make rows the stubs cannot name (see the docstring below).
    return queryset.annotate(  # type: ignore[no-any-return]
        current_status=Subquery(latest.values("status")),
        current_as_of=Subquery(latest.values("as_of")),
        current_source=Subquery(latest.values("report__source")),
        current_report_id=Subquery(latest.values("report_id")),
    )


def recommendations_with_state_status(
    *, state: State, recommendations: QuerySet[Recommendation] | None = None
) -> QuerySet[Any]:  # Recommendation rows with the annotations below
    """Recommendations, each annotated with `state`'s current status.

    Annotations: `current_status` (None means no information), `current_as_of`,
    `current_source`, `current_report_id`. Defaults to the adopted recommendations.
    """
    if recommendations is None:
        recommendations = Recommendation.objects.filter(status=Recommendation.Status.ADOPTED)
    latest = _latest_validated(state=state, recommendation=OuterRef("pk"))
    return _annotate_current(
        recommendations.select_related("meeting", "agenda_item").prefetch_related("themes"),
        latest,
    )


def states_with_recommendation_status(*, recommendation: Recommendation) -> QuerySet[State]:
    """The States parties, and any other State with a validated report on `recommendation`,
    each annotated with its current status on it (same annotations as above)."""
    reported = CurrentStatus.objects.filter(state=OuterRef("pk"), recommendation=recommendation)
    latest = _latest_validated(state=OuterRef("pk"), recommendation=recommendation)
    states = State.objects.filter(
        Q(protocol_status=State.ProtocolStatus.PARTY) | Exists(reported)
    ).select_related("regional_group")
    return _annotate_current(states, latest)


def tally_statuses(
    rows: Iterable[Any],
    *,
    key: Callable[[Any], Any],
    status: Callable[[Any], str | None] = lambda row: row.current_status,
) -> dict[Any, dict[str, int]]:
    """Counts of statuses per `key(row)`, the status read by `status(row)` (by default the
    `current_status` annotation; None is "no information"). Plain Python over rows already
    read, so no query; keys keep the order they are first met in."""
    tallies: dict[Any, dict[str, int]] = {}
    for row in rows:
        counts = tallies.setdefault(key(row), dict.fromkeys(STATUS_COLUMNS, 0))
        counts[status(row) or NO_INFORMATION] += 1
    return tallies


def latest_validated_reports(*, limit: int = 10) -> QuerySet[ImplementationReport]:
    """The most recently validated reports, for the dashboard (one query)."""
    return (
        ImplementationReport.objects.validated()
        .select_related("state", "recommendation__meeting")
        .order_by("-validated_at", "-pk")[:limit]
    )


def demonstration_data_present() -> bool:
    """Whether any validated report is synthetic (load_demo_reports): pages showing statuses
    then carry the demonstration banner. One query."""
    return ImplementationReport.objects.validated().filter(is_demonstration=True).exists()


def status_history(
    *, state: State | None = None, recommendation: Recommendation | None = None
) -> QuerySet[ImplementationReport]:
    """Validated reports, newest first: what the public State and recommendation pages list.

    Drafts, submissions and returned reports are never part of it. Joins are in place
    (State and its regional group, recommendation and its meeting, the meeting a national
    statement was made at, what each report superseded), so a page costs one query.
    """
    reports = ImplementationReport.objects.validated()
    if state is not None:
        reports = reports.filter(state=state)
    if recommendation is not None:
        reports = reports.filter(recommendation=recommendation)
    return reports.select_related(
        "state__regional_group", "recommendation__meeting", "source_meeting", "supersedes"
    ).order_by("-as_of", "-validated_at", "-pk")


def reports_visible_to(user: User | AnonymousUser) -> QuerySet[ImplementationReport]:
    """The reports `user` may read (the rules of recommendations/permissions.py, as a query).

    The public reads validated reports; a focal point also its own State's unpublished
    reports; Secretariat staff read everything.
    """
    reports = ImplementationReport.objects.select_related(
        "state__regional_group", "recommendation__meeting", "source_meeting"
    )
    if getattr(user, "is_secretariat", False):
        return reports
    visible = Q(review_state=ImplementationReport.ReviewState.VALIDATED)
    if getattr(user, "is_focal_point", False):
        visible |= Q(state_id=user.state_id)  # type: ignore[union-attr]  # only a User is one
    return reports.filter(visible)


OPEN_STATES = (ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED)


def open_reports(*, state: State) -> QuerySet[ImplementationReport]:
    """A State's reports not yet validated (its work in progress), newest change first."""
    return (
        ImplementationReport.objects.filter(state=state, review_state__in=OPEN_STATES)
        .select_related("recommendation__meeting", "submitted_by")
        .order_by("-updated_at", "-pk")
    )


@dataclass(frozen=True)
class ReportingRow:
    recommendation: Recommendation
    status: str  # an ImplementationStatus value, or NO_INFORMATION
    status_label: str
    open_reports: list[ImplementationReport]


def state_reporting_rows(*, state: State) -> list[ReportingRow]:
    """Every adopted recommendation with `state`'s published status and its open reports.

    Three queries whatever the size: the recommendations annotated with the status, their
    themes (prefetched), and the State's open reports, matched up here.
    """
    labels = dict(ImplementationStatus.choices)
    by_recommendation: dict[int, list[ImplementationReport]] = {}
    for report in open_reports(state=state):
        by_recommendation.setdefault(report.recommendation_id, []).append(report)
    return [
        ReportingRow(
            recommendation=recommendation,
            status=recommendation.current_status or NO_INFORMATION,
            status_label=str(labels.get(recommendation.current_status, NO_INFORMATION_LABEL)),
            open_reports=by_recommendation.get(recommendation.pk, []),
        )
        for recommendation in recommendations_with_state_status(state=state)
    ]


def _last_step(reason: str) -> Subquery:
    """When a report last took the step recorded with `reason` (services' change reasons)."""
    steps = ImplementationReport.history.model.objects.filter(
        id=OuterRef("pk"), history_change_reason=reason
    ).order_by("-history_date", "-history_id")
    return Subquery(steps.values("history_date")[:1])


def review_queue() -> QuerySet[ImplementationReport]:
    """Reports submitted for validation, the longest waiting first, with attachment counts.

    `submitted_at`: when the report was last sent for validation (a report recorded as
    submitted by staff in one step has no such step: then its creation).
    """
    return (
        ImplementationReport.objects.filter(review_state=ReviewState.SUBMITTED)
        .select_related("state__regional_group", "recommendation__meeting", "submitted_by")
        .annotate(
            attachment_count=Count("attachments"),
            submitted_at=Coalesce(_last_step("submitted for validation"), "created_at"),
        )
        .order_by("submitted_at", "pk")
    )


def returned_reports() -> QuerySet[ImplementationReport]:
    """Reports returned to their State and not yet submitted again, the longest waiting
    first, each with `returned_at` (when it was last returned). One query."""
    return (
        ImplementationReport.objects.filter(review_state=ReviewState.RETURNED)
        .select_related("state__regional_group", "recommendation__meeting", "submitted_by")
        .annotate(returned_at=Coalesce(_last_step("returned for changes"), "updated_at"))
        .order_by("returned_at", "pk")
    )


RECENTLY_VALIDATED_DAYS = 30


def recently_validated_for_review() -> QuerySet[ImplementationReport]:
    """Reports validated in the last RECENTLY_VALIDATED_DAYS days, newest first. One query."""
    since = timezone.now() - datetime.timedelta(days=RECENTLY_VALIDATED_DAYS)
    return (
        ImplementationReport.objects.validated()
        .filter(validated_at__gte=since)
        .select_related("state__regional_group", "recommendation__meeting", "validated_by")
        .order_by("-validated_at", "-pk")
    )


def review_queue_counts() -> dict[str, int]:
    """How many reports each tab of the review queue holds, in one query."""
    since = timezone.now() - datetime.timedelta(days=RECENTLY_VALIDATED_DAYS)
    return ImplementationReport.objects.aggregate(
        submitted=Count("pk", filter=Q(review_state=ReviewState.SUBMITTED)),
        returned=Count("pk", filter=Q(review_state=ReviewState.RETURNED)),
        validated=Count(
            "pk", filter=Q(review_state=ReviewState.VALIDATED, validated_at__gte=since)
        ),
    )


def current_report(*, state_id: int, recommendation_id: int) -> ImplementationReport | None:
    """A State's current (latest validated) report on a recommendation, or None: what a
    validation would replace on public pages. One query."""
    return (
        ImplementationReport.objects.current()
        .filter(state_id=state_id, recommendation_id=recommendation_id)
        .order_by("-as_of", "-pk")
        .first()
    )


def state_recommendation_reports(
    *, state_id: int, recommendation_id: int, exclude_pk: int | None = None
) -> QuerySet[ImplementationReport]:
    """Every report of a State on a recommendation, whatever its review state, newest status
    date first: the history a reviewer weighs a new report against. One query."""
    reports = ImplementationReport.objects.filter(
        state_id=state_id, recommendation_id=recommendation_id
    )
    if exclude_pk is not None:
        reports = reports.exclude(pk=exclude_pk)
    return reports.order_by("-as_of", "-pk")


def report_for_page() -> QuerySet[ImplementationReport]:
    """A report with everything its page shows: relations, attachments and their uploaders."""
    return ImplementationReport.objects.select_related(
        "state__regional_group",
        "recommendation__meeting",
        "source_meeting",
        "submitted_by",
        "validated_by",
        "supersedes",
    ).prefetch_related(
        Prefetch(
            "attachments",
            queryset=ReportAttachment.objects.select_related("uploaded_by"),
        )
    )


def report_steps(*, report: ImplementationReport) -> QuerySet[Any]:  # simple_history rows
    """Every recorded change of a report, newest first, with who made it (simple-history)."""
    return report.history.select_related("history_user").order_by("-history_date", "-history_id")  # type: ignore[no-any-return]  # simple_history is untyped


def attachment_for_download() -> QuerySet[ReportAttachment]:
    return ReportAttachment.objects.select_related("report")


def recently_validated_reports() -> QuerySet[ImplementationReport]:
    """Validated reports, the most recently validated first, for feeds and digests.

    Only validated reports: drafts, submissions and returned reports are the focal point's and
    the Secretariat's work in progress, never announced. State, recommendation and its meeting
    joined (1 query).
    """
    return (
        ImplementationReport.objects.validated()
        .select_related("state", "recommendation__meeting")
        .order_by("-validated_at", "-pk")
    )


@dataclass(frozen=True)
class StatusPair:
    """One (State, recommendation) pair with the State's current status on it, under the
    names the status selectors annotate (`current_status` None: no information)."""

    state: State
    recommendation: Recommendation
    current_status: str | None
    current_as_of: Any  # datetime.date | None
    current_report_id: int | None


class StatusMatrix:
    """Every pair of some States and some recommendations, State by State (in name order),
    each State's recommendations in meeting and report order; with `status`, only the pairs
    in that current status (`no_information`: without a current report).

    A sequence (len, slicing, iteration) for Django's Paginator and the CSV stream: the pairs
    are made when read, from the lists and statuses loaded once.
    """

    ordered = True  # Django's Paginator warns about unordered lists

    def __init__(
        self,
        states: list[State],
        recommendations: list[Recommendation],
        current: dict[tuple[int, int], tuple[str, Any, int]],
        status: str | None = None,
        newest_report: Any = None,  # datetime | None: the newest updated_at of `current`
    ) -> None:
        self.states = states
        self.recommendations = recommendations
        self._current = current
        self._newest_report = newest_report
        self._indexes: list[tuple[int, int]] | None = None
        if status:
            self._indexes = [
                (i, j)
                for i, state in enumerate(states)
                for j, recommendation in enumerate(recommendations)
                if self.status_of(state, recommendation) == status
            ]

    def status_of(self, state: State, recommendation: Recommendation) -> str:
        found = self._current.get((state.pk, recommendation.pk))
        return found[0] if found else NO_INFORMATION

    def _pair(self, i: int, j: int) -> StatusPair:
        state, recommendation = self.states[i], self.recommendations[j]
        status, as_of, report_id = self._current.get((state.pk, recommendation.pk)) or (
            None,
            None,
            None,
        )
        return StatusPair(state, recommendation, status, as_of, report_id)

    def _index(self, n: int) -> tuple[int, int]:
        if self._indexes is not None:
            return self._indexes[n]
        return divmod(n, len(self.recommendations))

    def __len__(self) -> int:
        if self._indexes is not None:
            return len(self._indexes)
        return len(self.states) * len(self.recommendations)

    def __getitem__(self, key: int | slice) -> Any:  # a StatusPair, or a list of them
        if isinstance(key, slice):
            return [self._pair(*self._index(n)) for n in range(*key.indices(len(self)))]
        if key < 0:
            key += len(self)
        if not 0 <= key < len(self):
            raise IndexError(key)
        return self._pair(*self._index(key))

    def __iter__(self) -> Iterator[StatusPair]:
        for n in range(len(self)):
            yield self._pair(*self._index(n))

    @property
    def last_modified(self) -> Any:  # datetime | None
        """The newest change among the States, recommendations and current reports read
        (no query)."""
        stamps = [obj.updated_at for obj in (*self.states, *self.recommendations)]
        stamps.append(self._newest_report)
        return max((stamp for stamp in stamps if stamp is not None), default=None)


def status_matrix(
    *,
    states: QuerySet[State],
    recommendations: QuerySet[Recommendation],
    status: str | None = None,
) -> StatusMatrix:
    """The current status of every pair of `states` x `recommendations` (the States parties
    and adopted recommendations, for /api/v1/status-matrix/).

    Three queries whatever the size: the States, the recommendations (with their meetings),
    and the current statuses among them (CurrentStatus, kept by the rule of
    `ImplementationReport.objects.current()`); the pairs are matched up in Python.
    """
    state_list = list(states.order_by("name", "code"))
    recommendation_list = list(
        recommendations.select_related("meeting").order_by("meeting__ordinal", "order", "pk")
    )
    rows = list(
        CurrentStatus.objects.filter(
            state__in=states.order_by().values("pk"),
            recommendation__in=recommendations.order_by().values("pk"),
        )
        .order_by()
        .values_list(
            "state_id", "recommendation_id", "status", "as_of", "report_id", "report__updated_at"
        )
    )
    current = {(s, r): (st, as_of, pk) for s, r, st, as_of, pk, _updated in rows}
    newest = max((updated for *_, updated in rows if updated is not None), default=None)
    return StatusMatrix(state_list, recommendation_list, current, status, newest)


T = TypeVar("T")


def groups_spanned(groups: Iterable[tuple[T, int]], lo: int, hi: int) -> tuple[list[T], int]:
    """Of consecutive groups of `n` rows each, in order, those holding rows at positions
    [lo, hi), and the position of row `lo` within the first of them."""
    spanned: list[T] = []
    offset, start = 0, 0
    for group, n in groups:
        if not n or start + n <= lo:
            start += n
            continue
        if start >= hi:
            break
        if not spanned:
            offset = lo - start
        spanned.append(group)
        start += n
    return spanned, offset


class StatusMatrixPages:
    """The pairs of `status_matrix`, in the same order and with the same statuses, read a
    window at a time: what a JSON page of /api/v1/status-matrix/ costs is what it shows.

    A sequence for Django's Paginator (len, slicing). Without `status`, pair n is State
    n // R and recommendation n % R (R recommendations), so a window [a, b) needs the States
    it spans, the recommendations at the positions it covers and the current statuses of
    those pairs alone (CurrentStatus by its key). The recommendations are counted per
    meeting, so a position is found among the rows of the one or two meetings that hold it
    (an OFFSET there, not a sort of every recommendation). With `status`, one GROUP BY
    counts the pairs per State (the rows in that status, or R less the rows with any status
    for `no_information`), which tells the States a window spans and where it starts in the
    first; the window is then read in the database, in the fixed order, among those States
    only: CurrentStatus rows in that status, or for `no_information` the States x
    recommendations without a row (an anti-join), whose recommendations are then read by id.

    At most five queries, whatever the size or the page: the States (with the newest change
    of the recommendations and of the current reports, for Last-Modified), then without
    `status` the recommendations per meeting, the meetings' order, the window's
    recommendations and their current statuses; with a status, the counts per State and the
    window's rows; with `no_information`, the counts per State, the count of
    recommendations, the window's pairs and their recommendations. `whole()` is every pair
    at once (`status_matrix`), for the CSV and XLSX exports.
    """

    ordered = True  # Django's Paginator warns about unordered lists

    def __init__(
        self,
        *,
        states: QuerySet[State],
        recommendations: QuerySet[Recommendation],
        status: str | None = None,
    ) -> None:
        self._states = states
        self._recommendations = recommendations
        self.status = status or None

    def whole(self) -> StatusMatrix:
        """Every pair, loaded at once (three queries), for the whole-table exports."""
        return status_matrix(
            states=self._states, recommendations=self._recommendations, status=self.status
        )

    # --- What every window needs (each read once) --------------------------------------

    @cached_property
    def _states_and_newest(self) -> tuple[list[State], list[Any]]:
        """The States, and the newest `updated_at` of the recommendations and of the current
        reports: two subqueries on the States' query, each a walk down an `updated_at` index
        that stops at the first row in the selection (not a MAX over every row)."""
        newest_recommendation = self._recommendations.order_by("-updated_at").values("updated_at")[
            :1
        ]
        newest_report = (
            self._current().order_by("-report__updated_at").values("report__updated_at")[:1]
        )
        states: list[Any] = list(
            self._states.order_by("name", "code").annotate(
                matrix_newest_recommendation=Subquery(newest_recommendation),
                matrix_newest_report=Subquery(newest_report),
            )
        )
        if states:
            first = states[0]
            return states, [first.matrix_newest_recommendation, first.matrix_newest_report]
        # No State: no current report, but the recommendations still count (as before).
        return states, [self._recommendations.aggregate(newest=Max("updated_at"))["newest"]]

    @property
    def states(self) -> list[State]:
        return self._states_and_newest[0]

    @cached_property
    def _per_meeting(self) -> list[tuple[int, int]]:
        """(meeting id, number of recommendations) in meeting order: where each meeting's
        recommendations start in the fixed order, so a window is found among a few
        meetings' rows instead of by sorting every recommendation. Every page of a selection
        needs the same counts, which grow with the meetings: they are kept under the data
        versions of the recommendations and meetings, keyed by the selection's SQL."""
        counts = (
            self._recommendations.order_by().values("meeting_id").annotate(n=Count("*"))
        ).values_list("meeting_id", "n")

        def count() -> list[tuple[int, int]]:
            # Grouped by meeting id alone (an index-only scan when no filter joins), then put
            # in meeting order by the meetings' ordinals (a second, small read).
            counted = dict(counts)
            ordinals = Meeting.objects.order_by("ordinal").values_list("pk", flat=True)
            return [(meeting, counted[meeting]) for meeting in ordinals if meeting in counted]

        try:
            sql, params = counts.query.sql_with_params()
        except EmptyResultSet:  # a selection that can hold nothing
            return []
        digest = hashlib.sha256(repr((counts.db, sql, params)).encode()).hexdigest()
        return cached_under_versions(
            f"status-matrix:per-meeting:{digest}",
            [Recommendation._meta.app_label, Meeting._meta.app_label],
            count,
        )

    @cached_property
    def _recommendation_count(self) -> int:
        if self.status is None:  # the meetings' counts are read for the window anyway
            return sum(n for _meeting, n in self._per_meeting)
        return self._recommendations.order_by().count()

    def _ids_between(self, lo: int, hi: int) -> tuple[list[int], QuerySet[Recommendation, Any]]:
        """The meetings that hold the recommendations at positions [lo, hi) of the fixed
        order, and their ids: an OFFSET among those meetings' recommendations only."""
        spanned, offset = groups_spanned(self._per_meeting, lo, hi)
        ids = self._recommendations.filter(meeting_id__in=spanned).order_by(
            "meeting__ordinal", "order", "pk"
        )
        return spanned, ids.values("pk")[offset : offset + hi - lo]

    def _current(self) -> QuerySet[CurrentStatus]:
        return CurrentStatus.objects.filter(
            state__in=self._states.order_by().values("pk"),
            recommendation__in=self._recommendations.order_by().values("pk"),
        )

    def _ordered_recommendations(self) -> QuerySet[Recommendation]:
        return self._recommendations.select_related("meeting").order_by(
            "meeting__ordinal", "order", "pk"
        )

    @cached_property
    def _per_state(self) -> dict[int, int]:
        """The pairs in `status` per State id (only with `status`)."""
        current = self._current()
        if self.status != NO_INFORMATION:
            current = current.filter(status=self.status)
        counted = dict(
            current.order_by()
            .values("state_id")
            .annotate(n=Count("pk"))
            .values_list("state_id", "n")
        )
        if self.status != NO_INFORMATION:
            return counted
        total = self._recommendation_count
        return {state.pk: total - counted.get(state.pk, 0) for state in self.states}

    @property
    def last_modified(self) -> Any:  # datetime | None
        """The newest change among the States, the recommendations and the current reports
        of the pairs (whatever `status` keeps), as `StatusMatrix.last_modified`, read with
        the States."""
        states, newest = self._states_and_newest
        stamps: list[Any] = [state.updated_at for state in states] + newest
        return max((stamp for stamp in stamps if stamp is not None), default=None)

    # --- The sequence --------------------------------------------------------------------

    def __len__(self) -> int:
        if self.status is None:
            return len(self.states) * self._recommendation_count
        return sum(self._per_state.values())

    def __getitem__(self, key: int | slice) -> Any:  # a StatusPair, or a list of them
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            if step != 1:
                return list(self[start:stop])[::step]
            return self._window(start, stop) if start < stop else []
        if key < 0:
            key += len(self)
        if not 0 <= key < len(self):
            raise IndexError(key)
        return self._window(key, key + 1)[0]

    def __iter__(self) -> Iterator[StatusPair]:
        for start in range(0, len(self), 1000):
            yield from self._window(start, min(start + 1000, len(self)))

    def _window(self, a: int, b: int) -> list[StatusPair]:
        if self.status is None:
            return self._unfiltered_window(a, b)
        states, offset = self._states_spanned(a, b)
        if not states:
            return []
        if self.status == NO_INFORMATION:
            return self._no_information_window(states, offset, b - a)
        return self._status_window(states, offset, b - a)

    def _unfiltered_window(self, a: int, b: int) -> list[StatusPair]:
        total = self._recommendation_count
        (first_state, first), (last_state, last) = divmod(a, total), divmod(b - 1, total)
        # The window's positions in the fixed order: the ids are found among the meetings
        # that hold them, then the window's recommendations are read whole.
        ordered = self._ordered_recommendations()
        if first_state == last_state:
            positions = list(range(first, last + 1))
            meetings, ids = self._ids_between(first, last + 1)
            ordered = ordered.filter(meeting_id__in=meetings, pk__in=ids)
        elif b - a >= total:  # a whole row at least: every recommendation, a page's worth
            positions = list(range(total))
        else:  # the end of one State's row and the start of the next
            positions = [*range(last + 1), *range(first, total)]
            (head_meetings, head), (tail_meetings, tail) = (
                self._ids_between(0, last + 1),
                self._ids_between(first, total),
            )
            ordered = ordered.filter(meeting_id__in=[*head_meetings, *tail_meetings]).filter(
                Q(pk__in=head) | Q(pk__in=tail)
            )
        at = dict(zip(positions, ordered, strict=False))
        states = self.states[first_state : last_state + 1]
        current = {
            (s, r): (status, as_of, report)
            for s, r, status, as_of, report in CurrentStatus.objects.filter(
                state_id__in=[state.pk for state in states],
                recommendation_id__in=[r.pk for r in at.values()],
            )
            .order_by()
            .values_list("state_id", "recommendation_id", "status", "as_of", "report_id")
        }
        pairs = []
        for n in range(a, b):
            i, j = divmod(n, total)
            state, recommendation = self.states[i], at.get(j)
            if recommendation is None:  # the recommendations changed between two reads
                continue
            found = current.get((state.pk, recommendation.pk)) or (None, None, None)
            pairs.append(StatusPair(state, recommendation, *found))
        return pairs

    def _states_spanned(self, a: int, b: int) -> tuple[list[State], int]:
        """The States with pairs in [a, b), and where a falls among the first one's."""
        return groups_spanned(
            ((state, self._per_state.get(state.pk, 0)) for state in self.states), a, b
        )

    def _status_window(self, states: list[State], offset: int, size: int) -> list[StatusPair]:
        by_pk = {state.pk: state for state in states}
        rows = (
            CurrentStatus.objects.filter(
                status=self.status,
                state_id__in=list(by_pk),
                recommendation__in=self._recommendations.order_by().values("pk"),
            )
            .select_related("recommendation__meeting")
            .order_by(
                "state__name",
                "state__code",
                "recommendation__meeting__ordinal",
                "recommendation__order",
                "recommendation__pk",
            )[offset : offset + size]
        )
        return [
            StatusPair(
                by_pk[row.state_id], row.recommendation, row.status, row.as_of, row.report_id
            )
            for row in rows
        ]

    def _no_information_window(
        self, states: list[State], offset: int, size: int
    ) -> list[StatusPair]:
        """The pairs of `states` x the recommendations without a current status, in the
        fixed order, from `offset`: one anti-join, then the recommendations read by id."""
        db = self._recommendations.db
        quote = connections[db].ops.quote_name
        chosen, chosen_params = (
            self._recommendations.order_by().values("pk").query.sql_with_params()
        )
        state_table, recommendation_table = State._meta.db_table, Recommendation._meta.db_table
        meeting_table = Meeting._meta.db_table
        placeholders = ", ".join(["%s"] * len(states))
        sql = (
            f"SELECT s.id, r.id FROM {quote(state_table)} s CROSS JOIN "
            f"{quote(recommendation_table)} r INNER JOIN {quote(meeting_table)} m "
            f"ON m.id = r.meeting_id WHERE s.id IN ({placeholders}) AND r.id IN ({chosen}) "
            f"AND NOT EXISTS (SELECT 1 FROM {quote(CurrentStatus._meta.db_table)} cs "
            "WHERE cs.state_id = s.id AND cs.recommendation_id = r.id) "
            f"ORDER BY s.name, s.code, m.ordinal, r.{quote('order')}, r.id LIMIT %s OFFSET %s"
        )
        with connections[db].cursor() as cursor:
            cursor.execute(sql, [*(state.pk for state in states), *chosen_params, size, offset])
            found = cursor.fetchall()
        recommendations = (
            Recommendation.objects.using(db)
            .select_related("meeting")
            .in_bulk({r for _s, r in found})
        )
        by_pk = {state.pk: state for state in states}
        return [
            StatusPair(by_pk[s], recommendations[r], None, None, None)
            for s, r in found
            if r in recommendations
        ]


def status_matrix_pages(
    *,
    states: QuerySet[State],
    recommendations: QuerySet[Recommendation],
    status: str | None = None,
) -> StatusMatrixPages:
    """The pairs of `status_matrix` (same arguments) read a window at a time: no query
    until it is measured or sliced."""
    return StatusMatrixPages(states=states, recommendations=recommendations, status=status)


# --- Bulk entry: the States chosen, with where each stands ---------------------------------


def states_for_bulk_entry(
    *,
    recommendation: Recommendation,
    regional_groups: Iterable[Any] = (),
    protocol: str = "",
    state_ids: Iterable[int] = (),
    codes: Iterable[str] | None = None,
) -> list[Any]:  # State rows with the annotations below
    """The States a bulk entry is for, by their names in the reader's language.

    Chosen by regional group and Protocol status together (`protocol` "party" or
    "not_party": both narrow the choice), plus the States of `state_ids` (a pasted list); or
    exactly those of `codes` (the rows of the check step). Each is annotated with its current
    status on `recommendation` (as `recommendations_with_state_status`) and `has_open_report`,
    whether it has a report in progress there, which bulk entry leaves alone. One query.
    """
    if codes is not None:
        chosen = Q(code__in=list(codes))
    else:
        groups = [getattr(group, "pk", group) for group in regional_groups]
        chosen = Q(pk__in=list(state_ids))
        if groups or protocol:
            narrowed = Q()
            if groups:
                narrowed &= Q(regional_group__in=groups)
            if protocol == State.ProtocolStatus.PARTY:
                narrowed &= Q(protocol_status=State.ProtocolStatus.PARTY)
            elif protocol:
                narrowed &= ~Q(protocol_status=State.ProtocolStatus.PARTY)
            chosen |= narrowed
    latest = _latest_validated(state=OuterRef("pk"), recommendation=recommendation)
    open_report = ImplementationReport.objects.filter(
        state=OuterRef("pk"), recommendation=recommendation, review_state__in=OPEN_STATES
    )
    states = _annotate_current(
        State.objects.filter(chosen).annotate(has_open_report=Exists(open_report)), latest
    )
    # The key's values compare with one another; typed loosely by states/names.py.
    key: Callable[[str], Any] = name_sort_key(content_language())
    return sorted(
        (label_status(state) for state in states), key=lambda state: key(state.display_name)
    )


@dataclass(frozen=True)
class BulkEntryResult:
    """What a bulk entry did, for its confirmation page: the reports it recorded and the
    States it left alone, each with `skip_reason`; both by State name."""

    recommendation: Recommendation | None
    reports: list[ImplementationReport]
    skipped: list[Any]  # States with `skip_reason`


def bulk_entry_result(
    *, recommendation_id: int, report_ids: Iterable[int], skipped: Mapping[int, str]
) -> BulkEntryResult:
    """The confirmation of a bulk entry: `skipped` maps a State's id to why it was left
    alone. Three queries: the recommendation, the reports with their States, the States
    skipped."""
    # The key's values compare with one another; typed loosely by states/names.py.
    key: Callable[[str], Any] = name_sort_key(content_language())
    reports = sorted(
        ImplementationReport.objects.filter(pk__in=list(report_ids)).select_related("state"),
        key=lambda report: key(report.state.display_name),
    )
    states = sorted(
        State.objects.filter(pk__in=list(skipped)), key=lambda state: key(state.display_name)
    )
    for state in states:
        state.skip_reason = skipped[state.pk]  # type: ignore[attr-defined]
    return BulkEntryResult(
        recommendation=Recommendation.objects.select_related("meeting")
        .filter(pk=recommendation_id)
        .first(),
        reports=reports,
        skipped=states,
    )


# --- The current status of each pair, kept as data (CurrentStatus) -------------------------

# CurrentStatus's columns, in the order `current_status_derived` selects them.
CURRENT_STATUS_COLUMNS = (
    "state_id",
    "recommendation_id",
    "report_id",
    "status",
    "as_of",
    "validated_at",
)


def current_status_derived() -> QuerySet[Any]:  # tuples in CURRENT_STATUS_COLUMNS order
    """Every pair's current status derived from the reports by the one rule of
    `ImplementationReport.objects.current()` (the search every validated report of a pair
    that CurrentStatus spares the pages): what `services.current_status_rebuild` writes and
    `rebuild_current_status --check` compares the table with."""
    return (
        ImplementationReport.objects.current()
        .order_by()
        .values_list("state_id", "recommendation_id", "pk", "status", "as_of", "validated_at")
    )


@dataclass(frozen=True)
class CurrentStatusDifference:
    """A pair whose CurrentStatus row is not what its reports say (None: no row / no
    current report)."""

    state_id: int
    recommendation_id: int
    stored: tuple[Any, ...] | None
    derived: tuple[Any, ...] | None


def current_status_differences() -> list[CurrentStatusDifference]:
    """The pairs where CurrentStatus and the reports disagree, by State and recommendation
    id. Two queries: the table and the derivation."""
    stored = {
        row[:2]: row[2:]
        for row in CurrentStatus.objects.values_list(*CURRENT_STATUS_COLUMNS).iterator()
    }
    derived = {row[:2]: row[2:] for row in current_status_derived().iterator()}
    return [
        CurrentStatusDifference(pair[0], pair[1], stored.get(pair), derived.get(pair))
        for pair in sorted(stored.keys() | derived.keys())
        if stored.get(pair) != derived.get(pair)
    ]
