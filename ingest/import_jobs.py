"""A meeting report's import as Celery jobs: check (parse and preview), then import.

A report's version in another language (only the official texts of the recommendations on
record) has no preview: its upload queues the import at once, through the same job.

The web request only checks what is cheap (the file's size and kind), holds the file privately
(core.uploads) and queues `ingest.tasks.check_meeting_report`; the job parses the file within
the parser's limits, runs the import as a dry run and stores on the job what the preview page
shows. Confirming queues `ingest.tasks.run_meeting_report_import`, which reads the held file
again and imports it in one transaction, all or nothing, as `import_report` does. The held
file is discarded once imported, refused, or when there is nothing to import.

Each run claims its job with one UPDATE (queued -> checking, confirmed -> importing), so a
task delivered twice runs once; a broker that is down when the job is queued fails nothing:
the job waits, and `report_import_jobs_sweep` (every five minutes, by beat) queues it again,
and fails the jobs a dead worker left running.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.jobs import SweepOutcome, claim_and_read, sweep, task_time_limit
from core.tasks import enqueue, enqueue_after_commit
from core.uploads import HeldUpload, UploadExpired, discard_upload, hold_upload, read_held_upload

from .models import ReportImportJob
from .report_parser import ParsedReport, ReportParseError
from .services import (
    ReportImportResult,
    report_check_size,
    report_import,
    report_import_preview,
    report_language_import,
    report_language_read,
    report_read,
    validation_error_line,
)

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

CHECK_TASK = "ingest.tasks.check_meeting_report"
IMPORT_TASK = "ingest.tasks.run_meeting_report_import"

_UPLOAD_SALT = "ingest.report_import_job"
# A queued job younger than this may still be on its way to a worker.
REQUEUE_AFTER = datetime.timedelta(minutes=2)
# What the preview keeps of a report's changes and warnings: a UN report has a few hundred
# records and a dozen warnings; a hostile one within the parser's limits could have thousands,
# and the job row must stay small. The page says how many were left out.
PREVIEW_MAX_CHANGES = 1_000
PREVIEW_MAX_WARNINGS = 200

Status = ReportImportJob.Status
Stage = ReportImportJob.Stage


def report_import_job_create(
    *,
    by: User,
    content: bytes,
    filename: str,
    meeting_ordinal: int | None,
    update: bool,
    language: str,
    report_language: str = "en",
) -> ReportImportJob:
    """Staff: hold an uploaded meeting report and queue the job that reads and previews it.

    Only the size is checked here (ReportParseError past REPORT_IMPORT_MAX_UPLOAD_BYTES); the
    parser's other limits are the job's to apply. `language` is the page's language, in
    which the job writes the preview. A report in another `report_language` than English
    (its recommendations' official texts only) has no preview: its import is queued at once,
    as confirmed. In eager mode (no Redis) the job has run when the transaction commits.
    """
    report_check_size(size=len(content))
    token = hold_upload(content=content, filename=filename, owner_id=by.pk, salt=_UPLOAD_SALT)
    english = report_language == "en"
    with transaction.atomic():
        job = ReportImportJob.objects.create(
            created_by=by,
            filename=filename[:200],
            upload_token=token,
            report_language=report_language,
            meeting_ordinal=meeting_ordinal,
            update=update,
            language=language,
            status=Status.QUEUED if english else Status.CONFIRMED,
            confirmed_at=None if english else timezone.now(),
        )
        enqueue_after_commit(
            CHECK_TASK if english else IMPORT_TASK,
            job.pk,
            if_lost="The report import job stays queued; ingest.tasks.sweep_meeting_report_jobs "
            "queues it again within minutes.",
        )
    return job


def report_import_check_run(*, job_id: int) -> ReportImportJob:
    """Read a queued job's file and store the preview: what importing it would do.

    Safe to run twice: only a queued job is claimed. A file past one of the parser's limits,
    or a report the import refuses (an unknown regional group, no meeting number), fails the
    job with the one-line reason, and the file is discarded.
    """
    job, claimed = claim_and_read(
        ReportImportJob.objects.select_related("created_by"),
        job_id,
        Status.QUEUED,
        Status.CHECKING,
        stage=Stage.READING,
        started_at=timezone.now(),
    )
    if not claimed:
        return job
    held: HeldUpload | None = None
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            held = _read(job)
            report = report_read(data=held.content, filename=job.filename)
            _stage(job, Stage.COMPARING)
            result = report_import_preview(
                report=report,
                meeting_ordinal=job.meeting_ordinal,
                update=job.update,
                similar_started=lambda: _stage(job, Stage.SIMILAR),
            )
        except Exception as exc:  # every failure ends the job, said in one line
            _fail(job, exc, what="check")
        else:
            job.preview = preview_snapshot(report, result)
            job.status = Status.CHECKED
            if not nothing_to_confirm(job.preview):
                held = None  # kept for the import
    if held is not None or job.status == Status.FAILED:
        _discard(job, held)
    job.stage = ""
    job.finished_at = timezone.now() if job.status == Status.FAILED else None
    job.save(update_fields=["preview", "status", "stage", "errors", "upload_token", "finished_at"])
    return job


def nothing_to_confirm(preview: Mapping[str, Any]) -> bool:
    """Confirm is offered only when it would do something: write a record, or record how the
    Secretariat resolved a name."""
    return not preview.get("changes_anything") and not preview.get("unresolved_names")


def report_import_job_confirm(
    *, job_id: int, by: User, aliases: Mapping[str, str]
) -> ReportImportJob:
    """Staff: queue the import of a checked job, with what each unresolved name stands for.

    Confirming twice (a double click, a resent form) queues one import: the second finds the
    job no longer waiting and changes nothing. Only the uploader's jobs are found (others:
    ReportImportJob.DoesNotExist). A preview older than REPORT_IMPORT_PREVIEW_MAX_AGE, whose
    held file is purged, fails the job: the file must be uploaded again.
    """
    with transaction.atomic():
        job = ReportImportJob.objects.select_for_update().get(pk=job_id, created_by=by)
        if job.status != Status.CHECKED or nothing_to_confirm(job.preview):
            return job
        age = timezone.now() - job.created_at
        if age.total_seconds() > settings.REPORT_IMPORT_PREVIEW_MAX_AGE:
            _discard(job, None)
            job.status = Status.FAILED
            job.errors = [_("This preview has expired; upload the file again.")]
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "errors", "finished_at", "upload_token"])
            return job
        job.status = Status.CONFIRMED
        job.aliases = dict(aliases)
        job.confirmed_at = timezone.now()
        job.save(update_fields=["status", "aliases", "confirmed_at"])
        enqueue_after_commit(
            IMPORT_TASK,
            job.pk,
            if_lost="The report import stays confirmed; ingest.tasks.sweep_meeting_report_jobs "
            "queues it again within minutes.",
        )
    return job


def report_import_job_run(*, job_id: int) -> ReportImportJob:
    """Import a confirmed job's report: read the held file again (within the same limits),
    write it all in one transaction or nothing, and discard the file whatever the outcome.

    Safe to run twice: only a confirmed job is claimed. Records changed since the preview
    are met as they now are (the import checks every name again and refuses one nobody
    resolved).
    """
    job, claimed = claim_and_read(
        ReportImportJob.objects.select_related("created_by"),
        job_id,
        Status.CONFIRMED,
        Status.IMPORTING,
        stage=Stage.READING,
        started_at=timezone.now(),
    )
    if not claimed:
        return job
    held: HeldUpload | None = None
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            held = _read(job)
            if job.report_language == "en":
                job.result = _import_report(job, held)
            else:
                job.result = _import_language_version(job, held)
        except Exception as exc:  # every failure ends the job, said in one line
            _fail(job, exc, what="import")
        else:
            job.status = Status.DONE
    _discard(job, held)
    job.stage = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["result", "status", "stage", "errors", "upload_token", "finished_at"])
    return job


def _import_report(job: ReportImportJob, held: HeldUpload) -> dict[str, Any]:
    report = report_read(data=held.content, filename=job.filename)
    _stage(job, Stage.IMPORTING)
    result = report_import(
        report=report,
        meeting_ordinal=job.meeting_ordinal,
        update=job.update,
        aliases=job.aliases,
        by=job.created_by,
    )
    return {
        "meeting_ordinal": result.meeting_ordinal,
        "meeting": result.meeting,
        "counts": result.counts(),
        "warnings": result.warnings[:PREVIEW_MAX_WARNINGS],
    }


def _import_language_version(job: ReportImportJob, held: HeldUpload) -> dict[str, Any]:
    version = report_language_read(
        data=held.content, filename=job.filename, language=job.report_language
    )
    _stage(job, Stage.IMPORTING)
    result = report_language_import(
        version=version, meeting_ordinal=job.meeting_ordinal, by=job.created_by
    )
    return {"meeting_ordinal": result.meeting_ordinal, "language_version": result.to_dict()}


# The task that runs a job waiting in each status.
_TASK_OF: dict[str, str] = {Status.QUEUED: CHECK_TASK, Status.CONFIRMED: IMPORT_TASK}


def report_import_jobs_sweep(*, now: datetime.datetime | None = None) -> SweepOutcome:
    """Catch up with jobs the broker or a worker lost: queue again every job still waiting
    for its check (or, confirmed, for its import) after REQUEUE_AFTER, and fail every job
    checking or importing for longer than a task may run (its worker died; an import's
    transaction rolled back, so nothing was written), discarding its file.

    Queuing twice is harmless: a run claims only a job in the state it expects.
    """
    stopped = _("The work stopped before it finished; nothing was imported. Try again.")
    return sweep(
        ReportImportJob,
        queued={Status.QUEUED: "created_at", Status.CONFIRMED: "confirmed_at"},
        running={Status.CHECKING: stopped, Status.IMPORTING: stopped},
        requeue_after=REQUEUE_AFTER,
        abandon_after=task_time_limit(),
        requeue=lambda status, pk: enqueue(
            _TASK_OF[status], pk, if_lost="The report import job waits for the next sweep."
        ),
        failed_status=Status.FAILED,
        release=lambda job: _discard(job, None),
        now=now,
        stage="",
        upload_token="",
    )


def preview_snapshot(report: ParsedReport, result: ReportImportResult) -> dict[str, Any]:
    """What the preview page shows, as plain JSON kept on the job.

    The lists that grow with a hostile file (changes, warnings) are cut at PREVIEW_MAX_CHANGES
    and PREVIEW_MAX_WARNINGS with the number left out; the near-duplicates are kept as
    [recommendation id, score], read afresh by the page.
    """
    changed = [change for change in result.changes if change.outcome != "unchanged"]
    warnings = [str(warning) for warning in report.warnings] + list(result.warnings)
    outcomes = {change.label: change for change in result.changes if change.label}
    return {
        "meeting": result.meeting,
        "meeting_ordinal": result.meeting_ordinal,
        "changes_anything": result.changes_anything,
        "counts_by_model": [[model, counts] for model, counts in result.counts_by_model()],
        "changes": [
            {"record": change.record, "outcome": change.outcome, "fields": change.fields}
            for change in changed[:PREVIEW_MAX_CHANGES]
        ],
        "changes_left_out": max(0, len(changed) - PREVIEW_MAX_CHANGES),
        "warnings": warnings[:PREVIEW_MAX_WARNINGS],
        "warnings_left_out": max(0, len(warnings) - PREVIEW_MAX_WARNINGS),
        "unresolved_names": result.unresolved_names,
        "document": {
            "title": report.title,
            "distributed": _iso(report.distributed),
            "distribution": report.distribution,
            "status": report.status,
        },
        "dates": [_iso(report.meeting.start_date), _iso(report.meeting.end_date)],
        "venue": report.meeting.venue,
        "chair": report.meeting.chair,
        "chair_state": report.meeting.chair_state,
        "recommendations": [
            {
                "label": recommendation.label,
                "section": recommendation.section,
                "agenda_item": recommendation.agenda_item or "",
                "chapeau": recommendation.chapeau,
                "text": recommendation.text,
                "outcome": outcomes[recommendation.label].outcome
                if recommendation.label in outcomes
                else "",
                "fields": outcomes[recommendation.label].fields
                if recommendation.label in outcomes
                else [],
                "similar": [
                    [similar.pk, round(score, 4)]
                    for similar, score in result.near_duplicates.get(recommendation.label, [])
                ],
            }
            for recommendation in report.recommendations
        ],
        "agenda_items": [[item.label, item.title] for item in report.agenda_items],
        "attendance": [[capacity, names] for capacity, names in report.attendance.items() if names],
        "statements": len(report.statements),
    }


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _read(job: ReportImportJob) -> HeldUpload:
    return read_held_upload(
        token=job.upload_token,
        owner_id=job.created_by_id,
        salt=_UPLOAD_SALT,
        max_age=settings.REPORT_IMPORT_PREVIEW_MAX_AGE,
    )


def _stage(job: ReportImportJob, stage: str) -> None:
    # Its own UPDATE, outside the import's transaction, so that the page sees it at once.
    ReportImportJob.objects.filter(pk=job.pk).update(stage=stage)
    job.stage = stage


def _discard(job: ReportImportJob, held: HeldUpload | None) -> None:
    """Remove the job's held file (read again for its key when the job did not read it)."""
    if held is None and job.upload_token:
        try:
            held = _read(job)
        except UploadExpired:
            held = None  # already purged
    if held is not None:
        discard_upload(held.key)
    job.upload_token = ""


def _fail(job: ReportImportJob, exc: Exception, *, what: str) -> None:
    job.status = Status.FAILED
    if isinstance(exc, UploadExpired):
        job.errors = [_("The uploaded file is no longer held; upload it again.")]
    elif isinstance(exc, ReportParseError):
        job.errors = [_("This file cannot be imported: %(reason)s") % {"reason": str(exc)}]
    elif isinstance(exc, ValidationError):
        job.errors = [validation_error_line(exc)]
    else:
        # What went wrong is in the log; the page says the job failed and wrote nothing (an
        # import's transaction rolled back), never a job left working for ever.
        logger.error("meeting report %s job %s failed", what, job.pk, exc_info=exc)
        job.errors = [_("The report could not be read or imported; nothing was imported.")]
