"""Reads of "Needs your action", the page signed-in people land on: what is waiting for them.

A focal point sees their own State's reports returned to them, drafts and submissions, and the
adopted recommendations their State has not reported on at all. The Secretariat sees the
reports waiting for validation, those returned and waiting on States, the States parties
silent on the latest meeting, and the next reminder run. Each read costs a fixed number of
queries whatever the number of reports, States or recommendations: short lists are read whole
and capped here, long ones counted and sliced, so the page stays short.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from meetings.models import Meeting
from recommendations.models import Recommendation
from recommendations.selectors import with_text_in
from reporting import selectors as reporting_selectors
from reporting.models import ImplementationReport
from states.models import State

from .selectors import reminder_preview, reminder_schedule

ReviewState = ImplementationReport.ReviewState

# How many items a section lists before "and N more": enough to act on, short on a phone.
LIST_LIMIT = 10

# A State counts as having reported on a recommendation once a report is submitted or
# validated, as for the reminders: the focal point has done their part.
REPORTED_STATES = (ReviewState.SUBMITTED, ReviewState.VALIDATED)

T = TypeVar("T")


@dataclass(frozen=True)
class Capped(Generic[T]):
    """The first items of a list and how many there are in all."""

    items: list[T]
    total: int

    @property
    def more(self) -> int:
        """How many are not listed."""
        return max(self.total - len(self.items), 0)

    @classmethod
    def of(cls, rows: list[T], limit: int) -> Capped[T]:
        return cls(items=rows[:limit], total=len(rows))


# A focal point ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FocalPointWork:
    returned: Capped[ImplementationReport]
    drafts: Capped[ImplementationReport]
    submitted: Capped[ImplementationReport]
    unreported: Capped[Recommendation]


def unreported_recommendations(*, state: State) -> QuerySet[Recommendation]:
    """Adopted recommendations on which `state` has no report at all, in any review state
    (a draft already started is listed among the drafts instead): the latest meeting's first,
    each with its meeting and its text in the reader's language (one query)."""
    any_report = ImplementationReport.objects.filter(state=state, recommendation=OuterRef("pk"))
    return with_text_in(
        Recommendation.objects.filter(status=Recommendation.Status.ADOPTED)
        .filter(~Exists(any_report))
        .select_related("meeting")
        .order_by("-meeting__ordinal", "order", "pk")
    )


def focal_point_work(*, state: State, limit: int = LIST_LIMIT) -> FocalPointWork:
    """A State's work in progress and what it has not started, each list capped at `limit`.

    Two queries: the State's open reports (reporting's `open_reports`, newest change first),
    split here by review state, and the recommendations it has not reported on. The returned
    reports carry the Secretariat's comment, which only the State and the Secretariat read:
    callers show this to the State's own focal point only.
    """
    by_state: dict[str, list[ImplementationReport]] = {state: [] for state in ReviewState}
    for report in reporting_selectors.open_reports(state=state):
        by_state[report.review_state].append(report)
    return FocalPointWork(
        returned=Capped.of(by_state[ReviewState.RETURNED], limit),
        drafts=Capped.of(by_state[ReviewState.DRAFT], limit),
        submitted=Capped.of(by_state[ReviewState.SUBMITTED], limit),
        unreported=Capped.of(list(unreported_recommendations(state=state)), limit),
    )


# The Secretariat -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingReport:
    report: ImplementationReport
    days: int  # whole days since it was last sent for validation


@dataclass(frozen=True)
class RemindersPlan:
    """The next reminder run: the meeting it is about, the first day reminders may go out,
    when the schedule runs next on or after that day (None when the schedule is off or
    missing), and how many States that run would remind if nothing changes."""

    meeting: Meeting | None
    due: datetime.date | None = None
    next_run: datetime.datetime | None = None
    states: int = 0


@dataclass(frozen=True)
class SecretariatWork:
    waiting: Capped[WaitingReport]
    returned: Capped[ImplementationReport]
    meeting: Meeting | None
    silent_states: Capped[State]
    reminders: RemindersPlan


def states_silent_on(*, meeting: Meeting) -> list[State]:
    """States parties with no report submitted or validated on any adopted recommendation
    of `meeting`, sorted by their names in the reader's language (one query)."""
    reported = ImplementationReport.objects.filter(
        state=OuterRef("pk"),
        recommendation__meeting=meeting,
        recommendation__status=Recommendation.Status.ADOPTED,
        review_state__in=REPORTED_STATES,
    )
    states = list(State.objects.parties().filter(~Exists(reported)).order_by("name"))
    return sorted(states, key=lambda state: state.display_name.casefold())


def reminders_plan(*, now: datetime.datetime | None = None) -> RemindersPlan:
    """When the weekly reminders next go out and to how many States, by the reminder pages'
    selectors: `reminder_preview` (whom a run would remind, seven queries) and
    `reminder_schedule` (the beat schedule's next time on or after the due day, one query).

    A State reminded this week is skipped by a run in the same ISO week only: a run in a later
    week reminds it again if it still has not reported.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    preview = reminder_preview(today=today)
    if preview.meeting is None or preview.due is None:
        return RemindersPlan(meeting=None)
    due_start = timezone.make_aware(datetime.datetime.combine(preview.due, datetime.time.min))
    # A second before the due day starts, so that a run at midnight on that day counts.
    after = max(now, due_start - datetime.timedelta(seconds=1))
    schedule = reminder_schedule(now=after)
    next_run = schedule.next_run_at if schedule is not None else None
    states = len(preview.candidates)
    if next_run is not None and (
        timezone.localdate(next_run).isocalendar()[:2] != today.isocalendar()[:2]
    ):
        states += preview.already_reminded
    return RemindersPlan(meeting=preview.meeting, due=preview.due, next_run=next_run, states=states)


def secretariat_work(
    *, limit: int = LIST_LIMIT, now: datetime.datetime | None = None
) -> SecretariatWork:
    """What waits on the Secretariat, each list capped at `limit`, in twelve queries: the
    review queue's counts, its first page (with `submitted_at`), the first returned reports
    (with `returned_at`), the reminders plan (eight, which finds the latest meeting that
    adopted recommendations) and the States silent on that meeting."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = reporting_selectors.review_queue_counts()
    waiting_items = []
    for report in reporting_selectors.review_queue()[:limit]:
        submitted_at = report.submitted_at  # type: ignore[attr-defined]  # review_queue annotates it
        days = (today - timezone.localdate(submitted_at)).days
        waiting_items.append(WaitingReport(report=report, days=days))
    waiting = Capped(items=waiting_items, total=counts["submitted"])
    returned = Capped(
        items=list(reporting_selectors.returned_reports()[:limit]), total=counts["returned"]
    )
    reminders = reminders_plan(now=now)
    meeting = reminders.meeting
    silent = states_silent_on(meeting=meeting) if meeting is not None else []
    return SecretariatWork(
        waiting=waiting,
        returned=returned,
        meeting=meeting,
        silent_states=Capped.of(silent, limit),
        reminders=reminders,
    )
