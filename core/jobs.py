"""What every Celery-run job row shares: its fields, its claim and its sweep.

A job row is queued by a request, run by a worker that claims it with one conditional UPDATE
(so a task delivered twice runs once), and ends done or failed. A broker that is down when the
job is queued fails nothing: the job waits, and a periodic sweep queues it again. A worker that
dies mid-run leaves its job running: the same sweep fails it once it has run for longer than a
task may. The apps keep their own statuses, tasks and messages; this module only the mechanics.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import F, QuerySet
from django.db.models.expressions import Combinable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """The fields of an uploaded file's check-then-import job; each app adds its status (its
    own vocabulary) and what its work keeps."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=200)
    # What the job's page shows before the import is confirmed, as plain JSON.
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    # One line each, in the uploader's language, for the job's page.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # When a worker claimed the job; the sweep fails it once it has run longer than a task may.
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]


JobT = TypeVar("JobT", bound=models.Model)


def claim(
    jobs: type[models.Model] | QuerySet[Any],
    pk: Any,
    from_statuses: str | Iterable[str],
    to_status: str,
    **fields: Any,
) -> bool:
    """Move the job `pk` from one of `from_statuses` to `to_status`, writing `fields` too, in
    one conditional UPDATE; True for the one caller that moved it.

    Two workers handed the same task both call this; the database lets one UPDATE match the
    row, and the other finds it moved on and must leave it alone.
    """
    queryset = jobs._default_manager.all() if isinstance(jobs, type) else jobs
    statuses = [from_statuses] if isinstance(from_statuses, str) else list(from_statuses)
    return bool(queryset.filter(pk=pk, status__in=statuses).update(status=to_status, **fields))


def claim_and_read(
    jobs: QuerySet[JobT],
    pk: Any,
    from_statuses: str | Iterable[str],
    to_status: str,
    **fields: Any,
) -> tuple[JobT, bool]:
    """`claim`, then the job as it now is, read through `jobs` (with its joins), and whether
    this caller claimed it: the claimer runs the job, anyone else returns it as it is."""
    claimed = claim(jobs, pk, from_statuses, to_status, **fields)
    return jobs.get(pk=pk), claimed


@dataclass(frozen=True)
class SweepOutcome:
    requeued: int
    abandoned: int


def task_time_limit() -> datetime.timedelta:
    """How long a job may run before the sweep takes its worker for dead: Celery's hard time
    limit, and a minute for the worker to record the outcome."""
    return datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def sweep(
    model: type[JobT],
    *,
    queued: Mapping[str, str | Combinable],
    running: Mapping[str, str],
    requeue_after: datetime.timedelta,
    abandon_after: datetime.timedelta,
    requeue: Callable[[str, Any], bool],
    failed_status: str,
    release: Callable[[JobT], None] | None = None,
    now: datetime.datetime | None = None,
    **failed_fields: Any,
) -> SweepOutcome:
    """Catch up with the jobs of `model` a broker or a worker lost.

    `queued` maps each status in which a job waits for a worker to when its wait began (a
    field's name or an expression); a job waiting longer than `requeue_after` is handed to
    `requeue(status, pk)`, which says whether it was queued (a broker still down: the job
    waits for the next sweep). `running` maps each status in which a worker holds a job to
    the error it ends with; a job claimed longer than `abandon_after` ago is claimed again,
    as `failed_status` with that error, `finished_at` and `failed_fields`, and then handed to
    `release` to give back what it held (its uploaded file). Queuing twice is harmless: a run
    claims only a job in the state it expects.
    """
    now = now or timezone.now()
    waiting_since = now - requeue_after
    lost: list[tuple[str, Any]] = []
    for status, since in queued.items():
        began = F(since) if isinstance(since, str) else since
        lost += [
            (status, pk)
            for pk in model._default_manager.alias(_waiting_since=began)
            .filter(status=status, _waiting_since__lt=waiting_since)
            .values_list("pk", flat=True)
        ]
    requeued = sum(requeue(status, pk) for status, pk in lost)

    # The statuses that end with the same message are read in one query.
    statuses_by_message: dict[str, list[str]] = {}
    for status, message in running.items():
        statuses_by_message.setdefault(message, []).append(status)
    abandoned = 0
    for message, statuses in statuses_by_message.items():
        dead = model._default_manager.filter(
            status__in=statuses, started_at__lt=now - abandon_after
        )
        for job in dead:
            # Claimed one by one: a job its worker finished meanwhile is left as it ended.
            if not claim(
                model,
                job.pk,
                statuses,
                failed_status,
                finished_at=now,
                errors=[message],
                **failed_fields,
            ):
                continue
            abandoned += 1
            if release is not None:
                release(job)
    return SweepOutcome(requeued=requeued, abandoned=abandoned)
