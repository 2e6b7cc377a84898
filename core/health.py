"""`/healthz`: what a load balancer or monitor asks to know the site can do its work.

django-health-check runs the checks; this module picks them from the settings at each request
(Redis and Celery only when REDIS_URL is set, as without it tasks run in-process and nothing
runs on a schedule; the read replica only when its alias names another database than the
primary), adds the "beat ran recently" check, and answers JSON only, 200 or 503 (200
"degraded" when only the replica fails: its reads then go to the primary).
A check's message names what failed, never a host, a password or a traceback.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
from collections.abc import Iterator
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from core.db_routers import PRIMARY, REPLICA

# The nightly snapshot is the task whose absence would go unnoticed longest.
BEAT_TASK = "compliance.tasks.refresh_snapshot"


@dataclasses.dataclass
class BeatLastRun(HealthCheck):  # type: ignore[misc]  # the package ships no types
    """Beat has run `task` within twice its schedule's interval.

    The interval is the gap between the schedule's last two due times (a day for a nightly
    crontab), so a beat that died yesterday is noticed by tomorrow morning, not by a reader
    of stale figures weeks later. A task never run since it was scheduled counts from when
    its schedule was written.
    """

    task: str = BEAT_TASK

    async def run(self) -> None:
        # Django's thread for database work: the request's own connection (and, in tests,
        # its transaction), not a new one per probe.
        await sync_to_async(self.check, thread_sensitive=True)()

    def check(self) -> None:
        periodic = (
            PeriodicTask.objects.filter(task=self.task, enabled=True)
            .select_related("crontab", "interval")
            .first()
        )
        if periodic is None:
            raise ServiceUnavailable("No enabled schedule for the task")
        last_run = periodic.last_run_at or periodic.date_changed
        interval = schedule_interval(periodic.schedule, now=timezone.now())
        if timezone.now() - last_run > 2 * interval:
            raise ServiceUnavailable("Beat has not run the task within twice its interval")


@dataclasses.dataclass
class DatabaseReplica(Database):  # type: ignore[misc]  # the package ships no types
    """`SELECT 1` on the read replica, as `Database` does on the primary (same time budget),
    under a name of its own in the answer.

    A replica that is down makes /healthz "degraded", still 200: the router then reads from
    the primary (core.db_routers.replica_reachable), so every page still serves, slower;
    taking every web process out of the balancer for it would turn a slow site into none."""

    alias: str = REPLICA


def replica_configured() -> bool:
    """Whether a replica alias is set up and names another database than the primary (the
    test settings' replica is the primary's own test database under a second name)."""
    if REPLICA not in connections.settings:
        return False

    def target(alias: str) -> tuple[Any, ...]:
        config = connections[alias].settings_dict
        return tuple(str(config.get(key) or "") for key in ("ENGINE", "NAME", "HOST", "PORT"))

    return target(REPLICA) != target(PRIMARY)


def schedule_interval(schedule: Any, *, now: datetime.datetime) -> datetime.timedelta:
    """The time between two runs of a celery schedule (interval or crontab)."""
    run_every = getattr(schedule, "run_every", None)
    if isinstance(run_every, datetime.timedelta) and run_every > datetime.timedelta(0):
        return run_every
    # A crontab: the distance from its next due time to the one after. remaining_estimate
    # takes the last run and counts from the present, hence both sums start at `now`.
    first = now + schedule.remaining_estimate(now)
    second = now + schedule.remaining_estimate(first + datetime.timedelta(seconds=1))
    # Each estimate reads the clock itself: rounded to the minute, a crontab's finest step.
    minutes = round((second - first).total_seconds() / 60)
    return datetime.timedelta(minutes=max(minutes, 1))


def health_checks() -> list[Any]:
    checks: list[Any] = ["health_check.checks.Database", "health_check.checks.Cache"]
    if replica_configured():
        checks.insert(1, DatabaseReplica)
    if settings.REDIS_URL:
        checks += [
            # A short ping: a monitor polls often, and one idle worker answers in milliseconds.
            ("health_check.contrib.celery.Ping", {"timeout": datetime.timedelta(seconds=2)}),
            BeatLastRun,
        ]
    return checks


class HealthzView(HealthCheckView):  # type: ignore[misc]  # the package ships no types
    """JSON whatever the Accept header, 200 when every check passes ("ok") or only the read
    replica fails ("degraded"), 503 otherwise (the status a balancer acts on). Each check
    answers "ok" or the kind of failure only: the package's messages may quote a database
    error naming its host, and this page is public. The details go to the log (the package
    logs each failure with its traceback)."""

    def get_checks(self) -> Iterator[HealthCheck]:
        self.checks = health_checks()
        return super().get_checks()  # type: ignore[no-any-return]

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        with self.get_executor() as executor:
            self.results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        failed = [result for result in self.results if result.error]
        healthy = all(isinstance(result.check, DatabaseReplica) for result in failed)
        return JsonResponse(
            {
                "status": "unavailable" if not healthy else "degraded" if failed else "ok",
                "checks": {
                    type(result.check).__name__: (
                        "ok" if result.error is None else result.error.message_type.lower()
                    )
                    for result in self.results
                },
            },
            status=200 if healthy else 503,
        )


healthz = HealthzView.as_view()
