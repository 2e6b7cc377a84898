"""Writes for implementation reports: every form, the admin, the API and
the importer call these, so the rules live in one place.

The reporting workflow:

    draft --submit--> submitted --validate--> validated
      ^                   |
      |                 return (with a comment)
      |                   v
      +----- edit ---- returned --submit--> submitted ...

- A focal point writes drafts for its own State (source "focal point") and submits them.
- Secretariat staff validate or return submitted reports, and enter reports on a State's
  behalf with their source, as drafts or validated at once; also many States at once (bulk
  entry) and from a CSV or XLSX file (the importer).
- A validated report never changes and no report is ever deleted: a correction is a new report
  that supersedes it. simple-history keeps every change with who made it, when and why.
- Every change adds one to the report's `version`; a change based on an older version is
  refused with a message saying what changed since (StaleVersion), never silently applied.

Permissions are checked here (reporting/permissions.py) as well as in the views: a
refused write raises PermissionDenied. Bad input raises ValidationError naming the field, and
nothing is written. E-mail is written to the outbox in the same transaction, and sent once
it commits.
"""

from __future__ import annotations

import datetime
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import filetype
import tablib
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models.functions import Coalesce
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import AuditAction
from accounts.roles import is_secretariat
from accounts.services import audit_record
from core.jobs import SweepOutcome, claim_and_read, sweep, task_time_limit
from core.services import check_version, model_update, save_with_history
from core.tasks import enqueue, enqueue_after_commit
from core.uploads import (
    UploadExpired,
    discard_upload,
    hold_upload,
    read_held_upload,
    read_upload_key,
)
from meetings.models import Meeting
from recommendations.models import Recommendation
from states.models import State

from . import notifications, permissions
from .models import CurrentStatus, ImplementationReport, ImportJob, ReportAttachment
from .resources import ImplementationReportResource, dataset_from_upload, upload_outline
from .selectors import CURRENT_STATUS_COLUMNS, current_status_derived
from .signals import announce_validated, validations_announced_once

if TYPE_CHECKING:
    from tablib import Dataset

    from accounts.models import User

logger = logging.getLogger(__name__)

ReviewState = ImplementationReport.ReviewState
Source = ImplementationReport.Source

# What a report's author may change while it is open for editing.
REPORT_CONTENT_FIELDS = (
    "status",
    "as_of",
    "period_start",
    "period_end",
    "description",
    "evidence_url",
)
# What only staff set: where the information comes from.
REPORT_SOURCE_FIELDS = ("source", "source_meeting")
# The sources staff give, as choices. "Focal point" is what a focal point's own report says:
# staff record what a State said through some other channel, and never sign as its focal point.
STAFF_SOURCES = [(code, label) for code, label in Source.choices if code != Source.FOCAL_POINT]


# Attachments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFile:
    file: UploadedFile
    name: str
    content_type: str
    extension: str
    size: int


def attachment_check(file: UploadedFile) -> CheckedFile:
    """Refuse a file that is too large or whose content is not an allowed type.

    The type is read from the content (its signature), never from the name or the browser's
    claim: a program renamed "report.pdf" is refused.
    """
    name = os.path.basename(file.name or "file")[-200:]
    limit = settings.REPORT_ATTACHMENT_MAX_BYTES
    if file.size > limit:  # type: ignore[operator]  # an uploaded file always has a size
        raise ValidationError(
            {
                "attachments": _("“%(name)s” is larger than %(limit)s, the most a file may be.")
                % {"name": name, "limit": filesizeformat(limit)}
            }
        )
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    kind = filetype.guess(head)
    allowed = settings.REPORT_ATTACHMENT_TYPES
    if kind is None or kind.mime not in allowed:
        raise ValidationError(
            {
                "attachments": _(
                    "“%(name)s” is not a PDF, Word (DOCX), Excel (XLSX), PNG or JPEG file: its "
                    "content says otherwise, whatever its name."
                )
                % {"name": name}
            }
        )
    return CheckedFile(
        file=file,
        name=name,
        content_type=kind.mime,
        extension=allowed[kind.mime],
        size=file.size,  # type: ignore[arg-type]  # ditto
    )


def _attach(*, report: ImplementationReport, by: User, files: Iterable[UploadedFile]) -> None:
    # Every file is checked before any is written, so a bad third file leaves nothing behind.
    checked = [attachment_check(file) for file in files]
    for item in checked:
        attachment = ReportAttachment(
            report=report,
            original_name=item.name,
            content_type=item.content_type,
            extension=item.extension,
            size=item.size,
            uploaded_by=by,
        )
        attachment.file.save(item.name, item.file, save=False)
        attachment.save()


# Reports ----------------------------------------------------------------------------------


def _check_supersedes(
    supersedes: ImplementationReport | None, *, state: State, recommendation: Recommendation
) -> None:
    if supersedes is None:
        return
    if supersedes.review_state != ReviewState.VALIDATED:
        raise ValidationError({"supersedes": _("Only a validated report can be corrected.")})
    if supersedes.state_id != state.pk or supersedes.recommendation_id != recommendation.pk:
        raise ValidationError(
            {"supersedes": _("A correction is for the same State and recommendation.")}
        )


@transaction.atomic
def implementation_report_create(
    *,
    by: User,
    state: State,
    recommendation: Recommendation,
    status: str,
    as_of: datetime.date,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    description: str = "",
    evidence_url: str = "",
    source: str | None = None,
    source_meeting: Meeting | None = None,
    supersedes: ImplementationReport | None = None,
    attachments: Sequence[UploadedFile] = (),
    validate: bool = False,
    submit: bool = False,
) -> ImplementationReport:
    """Record a new report for `state` on `recommendation`, as a draft or (staff) validated.

    `submit=True` sends the new draft for validation in the same transaction, so a report is
    never left half-sent: either it is saved and submitted, or nothing is written.

    A focal point writes only for its own State; its reports' source is always "focal point"
    and they start as drafts. Staff give the source, one of STAFF_SOURCES, never "focal
    point" (a national statement names its meeting), and may record the report as validated
    at once (`validate=True`). A correction passes the validated report it corrects as
    `supersedes`.
    """
    permissions.ensure(
        permissions.can_write_for_state(by, state.pk),
        _("You may only report for your own State."),
    )
    staff = is_secretariat(by)
    if not staff:
        permissions.ensure(not validate, _("Only the Secretariat validates reports."))
        source, source_meeting = Source.FOCAL_POINT, None
    elif not source:
        raise ValidationError({"source": _("Say where the information comes from.")})
    else:
        _check_staff_source(source)
    if recommendation.status != Recommendation.Status.ADOPTED:
        raise ValidationError(
            {"recommendation": _("Reports are recorded on adopted recommendations only.")}
        )
    _check_supersedes(supersedes, state=state, recommendation=recommendation)
    report = ImplementationReport(
        state=state,
        recommendation=recommendation,
        status=status,
        as_of=as_of,
        period_start=period_start,
        period_end=period_end,
        description=description or "",
        evidence_url=evidence_url or "",
        source=source,
        source_meeting=source_meeting,
        supersedes=supersedes,
        review_state=ReviewState.DRAFT,
        submitted_by=by,
    )
    _check_source(source=report.source, source_meeting=report.source_meeting)
    save_with_history(report, by=by, reason=gettext_noop("created"))
    _attach(report=report, by=by, files=attachments)
    if validate:
        _validate(report, by=by)
    elif submit:
        return implementation_report_submit(report=report, by=by)
    return report


def _check_staff_source(source: str) -> None:
    if source not in dict(STAFF_SOURCES):
        raise ValidationError(
            {
                "source": _(
                    "The Secretariat gives one of these sources: %(sources)s. “focal_point” "
                    "is the source of a focal point's own report only."
                )
                % {"sources": ", ".join(code for code, _label in STAFF_SOURCES)}
            }
        )


def _check_source(*, source: str, source_meeting: Meeting | None) -> None:
    if source == Source.NATIONAL_STATEMENT and source_meeting is None:
        raise ValidationError(
            {"source_meeting": _("Name the meeting at which the national statement was made.")}
        )
    if source != Source.NATIONAL_STATEMENT and source_meeting is not None:
        raise ValidationError(
            {"source_meeting": _("A meeting is named only for a national statement.")}
        )


def _locked(report: ImplementationReport) -> ImplementationReport:
    return ImplementationReport.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def implementation_report_update(
    *,
    report: ImplementationReport,
    by: User,
    version: int,
    attachments: Sequence[UploadedFile] = (),
    submit: bool = False,
    **fields: Any,
) -> ImplementationReport:
    """Change a report that is still open (draft or returned; staff: also submitted).

    `version` is the version the editor started from; if the report has changed since, the
    save is refused with StaleVersion saying what changed. `submit=True` also sends it for
    validation, in the same transaction. Returns the saved report.
    """
    current = _locked(report)
    permissions.ensure(
        permissions.can_edit_report(by, current),
        _("This report cannot be changed by you now.")
        if current.review_state != ReviewState.VALIDATED
        else _("A validated report never changes; record a correction instead."),
    )
    check_version(current, version)
    allowed = REPORT_CONTENT_FIELDS + (REPORT_SOURCE_FIELDS if is_secretariat(by) else ())
    refused = sorted(set(fields) - set(allowed))
    if refused:
        raise ValidationError({name: _("This field cannot be changed here.") for name in refused})
    if "source" in fields and fields["source"] != current.source:
        # Only a change is checked: staff may edit a focal point's report, which keeps its
        # source.
        _check_staff_source(fields["source"])
    data: dict[str, Any] = {
        name: "" if value is None and name in _TEXT else value for name, value in fields.items()
    }
    _check_source(
        source=data.get("source", current.source),
        source_meeting=data.get("source_meeting", current.source_meeting),
    )
    # Only what differs is written (one more version, an "edited" history row); files alone
    # are added without an edit, since they never overwrite anything another editor wrote.
    current, _changed = model_update(
        instance=current, fields=list(data), data=data, by=by, reason=gettext_noop("edited")
    )
    _attach(report=current, by=by, files=attachments)
    if submit:
        return implementation_report_submit(report=current, by=by)
    return current


_TEXT = {"description", "evidence_url"}


@transaction.atomic
def implementation_report_add_attachments(
    *,
    report: ImplementationReport,
    by: User,
    files: Sequence[UploadedFile],
    version: int | None = None,
) -> ImplementationReport:
    """Add evidence files to a report that is still open for editing."""
    current = _locked(report)
    permissions.ensure(permissions.can_edit_report(by, current))
    check_version(current, version)
    _attach(report=current, by=by, files=files)
    return current


@transaction.atomic
def implementation_report_submit(
    *, report: ImplementationReport, by: User, version: int | None = None
) -> ImplementationReport:
    """Send a draft (or a returned report) to the Secretariat for validation."""
    current = _locked(report)
    permissions.ensure(permissions.can_submit_report(by, current))
    check_version(current, version)
    current.review_state = ReviewState.SUBMITTED
    current.version += 1
    save_with_history(current, by=by, reason=gettext_noop("submitted for validation"))
    notifications.report_submitted_notify(report_id=current.pk)
    return current


def _validate(report: ImplementationReport, *, by: User) -> None:
    report.review_state = ReviewState.VALIDATED
    report.validated_by = by
    report.validated_at = timezone.now()
    if report.supersedes_id is None:
        # What the State's status was until now: the record of what this report replaces.
        # The pair's current report (as `current()` defines it: newest `as_of`, then the
        # one recorded last), looked up by the pair's index: `current()` filters the whole
        # table first, milliseconds per report, which an import of thousands pays each row.
        previous = (
            ImplementationReport.objects.validated()
            .filter(state_id=report.state_id, recommendation_id=report.recommendation_id)
            .exclude(pk=report.pk)
            .order_by("-as_of", "-pk")
            .first()
        )
        report.supersedes = previous
    report.version += 1
    save_with_history(report, by=by, reason=gettext_noop("validated"))
    _current_status_changed(state_id=report.state_id, recommendation_id=report.recommendation_id)
    announce_validated(report)


@transaction.atomic
def implementation_report_validate(
    *, report: ImplementationReport, by: User, version: int | None = None
) -> ImplementationReport:
    """Publish a submitted report: from now on it counts on public pages and in summaries."""
    current = _locked(report)
    permissions.ensure(permissions.can_review(by), _("Only the Secretariat validates reports."))
    check_version(current, version)
    if current.review_state != ReviewState.SUBMITTED:
        raise ValidationError(
            {"review_state": _("Only a report submitted for validation can be validated.")}
        )
    _validate(current, by=by)
    notifications.report_reviewed_notify(report_id=current.pk)
    return current


@transaction.atomic
def implementation_report_return(
    *, report: ImplementationReport, by: User, comment: str, version: int | None = None
) -> ImplementationReport:
    """Send a submitted report back to the State with a comment saying what to change."""
    current = _locked(report)
    permissions.ensure(permissions.can_review(by), _("Only the Secretariat returns reports."))
    check_version(current, version)
    if current.review_state != ReviewState.SUBMITTED:
        raise ValidationError(
            {"review_state": _("Only a report submitted for validation can be returned.")}
        )
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what the State should change.")})
    current.review_state = ReviewState.RETURNED
    current.review_comment = comment.strip()
    current.version += 1
    save_with_history(current, by=by, reason=gettext_noop("returned for changes"))
    notifications.report_reviewed_notify(report_id=current.pk)
    return current


# Staff entry in bulk and by import --------------------------------------------------------


@dataclass
class BulkEntry:
    """One State's line in a bulk entry: its status, and optionally what it did and its own
    date (else the entry's common one)."""

    state: State
    status: str
    description: str = ""
    as_of: datetime.date | None = None


# Why a bulk entry leaves a State alone: code -> the sentence the person who entered it reads.
BULK_SKIP_REASONS = {
    "in_progress": gettext_lazy(
        "It already has a report in progress on this recommendation (a draft, or one "
        "submitted or returned): finish or review that report instead."
    ),
    "already_recorded": gettext_lazy(
        "A validated report already gives this status as of this date."
    ),
}


@dataclass(frozen=True)
class BulkSkip:
    """A State a bulk entry left alone, and why (`code`, a key of BULK_SKIP_REASONS)."""

    state: State
    code: str

    @property
    def reason(self) -> str:
        return str(BULK_SKIP_REASONS[self.code])


@dataclass
class BulkOutcome:
    """What a bulk entry recorded, and which States it left alone."""

    created: list[ImplementationReport]
    skipped: list[BulkSkip]


@transaction.atomic
@validations_announced_once()
def implementation_reports_bulk_create(
    *,
    by: User,
    recommendation: Recommendation,
    as_of: datetime.date,
    source: str,
    entries: Sequence[BulkEntry],
    source_meeting: Meeting | None = None,
    evidence_url: str = "",
    validate: bool = False,
) -> BulkOutcome:
    """Staff: one recommendation across many States, all recorded or none.

    Errors name the line and the State ("Line 3 (Austria): ..."); one bad line writes nothing.
    Two kinds of State are skipped, not refused, and returned with the reason: one with a
    report in progress on the recommendation (a draft, or one submitted or returned), which
    is the State's or a reviewer's work and is never doubled; and one whose validated
    report already says the same status as of the same date (an entry sent twice).
    """
    permissions.ensure(permissions.can_review(by), _("Only the Secretariat enters in bulk."))
    if not entries:
        raise ValidationError({"entries": _("Give at least one State's status.")})
    errors: list[str] = []
    seen: set[int] = set()
    reports: list[ImplementationReport] = []
    skipped: list[BulkSkip] = []
    in_progress: set[int] = set()
    recorded: set[tuple[int, str, datetime.date]] = set()
    # One query for every State's reports on the recommendation, whatever their number.
    for state_id, review_state, status, date in ImplementationReport.objects.filter(
        recommendation=recommendation, state__in=[entry.state.pk for entry in entries]
    ).values_list("state_id", "review_state", "status", "as_of"):
        if review_state == ReviewState.VALIDATED:
            recorded.add((state_id, status, date))
        else:
            in_progress.add(state_id)
    for number, entry in enumerate(entries, start=1):
        if entry.state.pk in seen:
            errors.append(
                _("Line %(n)s (%(state)s): this State is listed twice.")
                % {"n": number, "state": entry.state}
            )
            continue
        seen.add(entry.state.pk)
        entry_as_of = entry.as_of or as_of
        if entry.state.pk in in_progress:
            skipped.append(BulkSkip(state=entry.state, code="in_progress"))
            continue
        if (entry.state.pk, entry.status, _as_date(entry_as_of)) in recorded:
            skipped.append(BulkSkip(state=entry.state, code="already_recorded"))
            continue
        try:
            # A savepoint per line, so that every line's errors can be collected.
            with transaction.atomic():
                reports.append(
                    implementation_report_create(
                        by=by,
                        state=entry.state,
                        recommendation=recommendation,
                        status=entry.status,
                        as_of=entry_as_of,
                        description=entry.description,
                        evidence_url=evidence_url,
                        source=source,
                        source_meeting=source_meeting,
                        validate=validate,
                    )
                )
        except ValidationError as exc:
            errors.extend(
                _("Line %(n)s (%(state)s): %(error)s")
                % {"n": number, "state": entry.state, "error": message}
                for message in _messages(exc)
            )
    if errors:
        raise ValidationError({"entries": errors})
    return BulkOutcome(created=reports, skipped=skipped)


def _as_date(value: datetime.date | str) -> datetime.date | str:
    # The service is also called with ISO strings (tests, the shell); compare them as dates.
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return list(exc.messages)


@dataclass
class ImportOutcome:
    """What an import did or, in a dry run, would do."""

    result: Any  # import_export.results.Result
    imported: bool
    created: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)


@transaction.atomic
def implementation_reports_import(
    *,
    by: User,
    dataset: Dataset,
    dry_run: bool,
    validate: bool = True,
    progress: Callable[[int], None] | None = None,
) -> ImportOutcome:
    """Staff: import reports from a tablib Dataset (a CSV or XLSX file), all rows or none.

    A dry run checks every row and writes nothing; the real run writes only if every row is
    good. Each row goes through `implementation_report_create`, so an imported report obeys
    the same rules as one typed in. Errors name the row and the column.

    Rows are read in batches of REPORTING_IMPORT_PROGRESS_EVERY, all inside this one
    transaction (so still all rows or none); `progress`, when given, hears the number of rows
    done after each batch.
    """
    permissions.ensure(permissions.can_review(by), _("Only the Secretariat imports reports."))
    resource = ImplementationReportResource(
        by=by, validate=validate, create=implementation_report_create
    )
    batch = max(1, settings.REPORTING_IMPORT_PROGRESS_EVERY)
    headers = list(dataset.headers or [])
    results: list[Any] = []
    errors: list[str] = []
    created = 0
    # A real run announces its validations once, and keeps the current statuses of all its
    # rows in one go; a dry run's are rolled back with it.
    with (
        nullcontext() if dry_run else validations_announced_once(),
        current_status_deferred(write=not dry_run),
    ):
        for start in range(0, max(dataset.height, 1), batch):
            chunk = tablib.Dataset(*dataset[start : start + batch], headers=headers)
            part = resource.import_data(
                chunk,
                dry_run=dry_run,
                raise_errors=False,
                use_transactions=True,
                rollback_on_validation_errors=True,
            )
            results.append(part)
            errors.extend(resource.describe_errors(part, offset=start))
            created += part.totals.get("new", 0)
            if part.base_errors:
                break  # a file-wide problem (a missing column): the other batches say the same
            if progress is not None:
                progress(min(start + batch, dataset.height))
    result = _merged(results)
    if dry_run or errors:
        # Nothing of a dry run or of a file with a bad row stays, e-mail and refreshes included.
        transaction.set_rollback(True)
    if not dry_run and not errors:
        audit_record(
            action=AuditAction.SPREADSHEET_IMPORTED,
            actor=by,
            target=f"{created} reports",
            details={"created": created, "rows": len(dataset)},
        )
    return ImportOutcome(
        result=result, imported=not dry_run and not errors, created=created, errors=errors
    )


def _merged(results: list[Any]) -> Any:
    """One import-export Result holding the rows of every batch, for the preview's table."""
    first = results[0]
    for later in results[1:]:
        first.rows.extend(later.rows)
        first.invalid_rows.extend(later.invalid_rows)
    return first


_IMPORT_SALT = "reporting.import"


class ImportPreviewExpired(ValidationError):
    """The checked file cannot be imported: its check is too old or unfinished, or failed."""


def _refused_file(name: str, reason: str) -> ValidationError:
    return ValidationError({"file": _("“%(name)s”: %(reason)s") % {"name": name, "reason": reason}})


@transaction.atomic
def implementation_reports_import_upload(*, by: User, content: bytes, filename: str) -> ImportJob:
    """Staff: take an uploaded CSV or XLSX file and queue its check; returns the job to follow.

    Only what is bounded happens here, in the request: the file's size, its unpacked size and
    compression (a zip bomb), that it reads as CSV or XLSX, its number of rows and its columns
    (each named once, the required ones present, no unknown one), taken from its first line
    and, for a workbook, the size it declares (`upload_outline`), not from its rows. A file
    refused raises ValidationError on "file" and nothing is kept. The row-by-row check (a dry
    run, many seconds for thousands of rows) is the job's (`implementation_reports_import_check`,
    through the Celery task `reporting.tasks.check_report_import`), which reads the real rows
    and refuses them past the limit whatever the workbook declared; in eager mode (no Redis) it
    runs once the transaction commits.
    """
    permissions.ensure(permissions.can_review(by), _("Only the Secretariat imports reports."))
    name = os.path.basename(filename or "file")[-200:]
    outline = upload_outline(content=content, name=name)
    try:
        # The importer's own column checks (no database): the job would refuse the same.
        ImplementationReportResource(
            by=by, validate=False, create=implementation_report_create
        ).before_import(tablib.Dataset(headers=outline.headers))
    except ValueError as exc:
        raise _refused_file(name, str(exc)) from None
    token = hold_upload(content=content, filename=name, owner_id=by.pk, salt=_IMPORT_SALT)
    held = read_held_upload(
        token=token,
        owner_id=by.pk,
        salt=_IMPORT_SALT,
        max_age=settings.REPORT_IMPORT_PREVIEW_MAX_AGE,
    )
    job = ImportJob.objects.create(
        created_by=by,
        filename=name,
        upload_key=held.key,
        status=ImportJob.Status.CHECK_QUEUED,
        total_rows=outline.rows,
    )
    # A broker that is down must not fail the upload: the job waits, queued for its check,
    # and the sweep queues it again.
    enqueue_after_commit(
        "reporting.tasks.check_report_import",
        job.pk,
        if_lost="The import job stays waiting for its check; reporting.tasks.sweep_import_jobs "
        "queues it again within minutes.",
    )
    return job


def _preview_of(rows: Sequence[Any]) -> dict[str, Any]:
    """What the job page shows of a clean file: how many States and recommendations, the
    reports by status, and the first KEPT_ROWS rows, as codes and names (the page says the
    labels in the reader's language)."""
    statuses: dict[str, int] = {}
    states: set[int] = set()
    recommendations: set[int] = set()
    sample: list[dict[str, Any]] = []
    for number, row in enumerate(rows):
        report = row.instance
        statuses[report.status] = statuses.get(report.status, 0) + 1
        states.add(report.state_id)
        recommendations.add(report.recommendation_id)
        if number < ImportJob.KEPT_ROWS:
            sample.append(
                {
                    "line": number + 2,  # the first line names the columns
                    "state": report.state.name,
                    "recommendation": str(report.recommendation),
                    "status": report.status,
                    "as_of": report.as_of.isoformat() if report.as_of else "",
                    "source": report.source,
                }
            )
    return {
        "states": len(states),
        "recommendations": len(recommendations),
        "statuses": statuses,
        "rows": sample,
    }


def implementation_reports_import_check(*, job_id: int) -> ImportJob:
    """Check an uploaded file row by row without writing (a dry run), with its progress in
    the cache, and keep on the job what its page shows: status "checked" with the preview
    (`_preview_of`), or "failed" with the first ImportJob.KEPT_ERRORS errors and their number.

    Safe to run twice: only a job waiting for its check is claimed. The held upload stays for
    the confirmation when every row is good, and is discarded otherwise. The check reads the
    rows as drafts: whether to publish them is chosen when confirming, and the import checks
    every row again.
    """
    job, claimed = claim_and_read(
        ImportJob.objects.select_related("created_by"),
        job_id,
        ImportJob.Status.CHECK_QUEUED,
        ImportJob.Status.CHECKING,
        started_at=timezone.now(),
    )
    if not claimed:
        return job
    key = import_progress_key(job.pk)
    errors: list[str] = []
    try:
        dataset = dataset_from_upload(content=read_upload_key(job.upload_key), name=job.filename)
        job.total_rows = dataset.height
        outcome = implementation_reports_import(
            by=job.created_by,
            dataset=dataset,
            dry_run=True,
            validate=False,
            progress=lambda done: cache.set(key, done, timeout=24 * 60 * 60),
        )
        errors = outcome.errors
        if not errors:
            job.preview = _preview_of(outcome.result.rows)
    except UploadExpired:
        errors = [_("The uploaded file is no longer held; upload it again.")]
    except ValidationError as exc:
        errors = _messages(exc)
    except Exception:
        logger.exception("spreadsheet import check %s failed", job.pk)
        errors = [_("The check failed unexpectedly; nothing was imported. Try again.")]
    finally:
        cache.delete(key)
    if errors:
        discard_upload(job.upload_key)
    job.errors = errors[: ImportJob.KEPT_ERRORS]
    job.error_count = len(errors)
    job.processed_rows = job.total_rows
    job.status = ImportJob.Status.FAILED if errors else ImportJob.Status.CHECKED
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "errors",
            "error_count",
            "preview",
            "processed_rows",
            "total_rows",
            "status",
            "finished_at",
        ]
    )
    return job


def import_job_expired(job: ImportJob, *, now: datetime.datetime | None = None) -> bool:
    """A checked file older than REPORT_IMPORT_PREVIEW_MAX_AGE is no longer imported: the data
    may have moved on since, and the periodic purge removes its held file at that age."""
    age = (now or timezone.now()) - job.created_at
    return age > datetime.timedelta(seconds=settings.REPORT_IMPORT_PREVIEW_MAX_AGE)


def implementation_reports_import_queue(*, by: User, job_id: int, validate: bool) -> ImportJob:
    """Staff: confirm a checked file and queue its import; returns the job to follow.

    Only the staff member who uploaded the file confirms it (another's job does not exist
    for them: ImportJob.DoesNotExist). The job (`implementation_reports_import_run`, through
    the Celery task `reporting.tasks.run_report_import`) reads the file again, checks every
    row again and writes all of them or none, validated if `validate`. Confirming twice (a
    double click) queues once: the second returns the job as it is. A job not checked, or
    checked too long ago (`import_job_expired`), raises ImportPreviewExpired. In eager mode
    (no Redis) the job has run when the transaction commits.
    """
    permissions.ensure(permissions.can_review(by), _("Only the Secretariat imports reports."))
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id, created_by=by)
        if job.confirmed_at is not None:
            return job
        if job.checking:
            raise ImportPreviewExpired(_("The file is still being checked; wait for its check."))
        if job.status != ImportJob.Status.CHECKED or import_job_expired(job):
            raise ImportPreviewExpired(_("This preview has expired; upload the file again."))
        job.status = ImportJob.Status.QUEUED
        job.validate = validate
        job.confirmed_at = timezone.now()
        job.processed_rows = 0
        job.started_at = job.finished_at = None
        job.save(
            update_fields=[
                "status",
                "validate",
                "confirmed_at",
                "processed_rows",
                "started_at",
                "finished_at",
            ]
        )
        # A broker that is down must not fail the confirmation: the job is committed, the
        # failure logged, and the job waits, queued, for the sweep to queue it again.
        enqueue_after_commit(
            "reporting.tasks.run_report_import",
            job.pk,
            if_lost="The import job stays queued; reporting.tasks.sweep_import_jobs queues it "
            "again within minutes.",
        )
    return job


# A queued job younger than this may still be on its way to a worker.
IMPORT_JOB_REQUEUE_AFTER = datetime.timedelta(minutes=2)


ImportJobSweep = SweepOutcome

# The task that runs a job waiting in each status.
_IMPORT_JOB_TASKS: dict[str, str] = {
    ImportJob.Status.CHECK_QUEUED: "reporting.tasks.check_report_import",
    ImportJob.Status.QUEUED: "reporting.tasks.run_report_import",
}


def import_jobs_sweep(*, now: datetime.datetime | None = None) -> ImportJobSweep:
    """Catch up with jobs the broker or a worker lost: queue again every job still waiting
    for its check or its import after IMPORT_JOB_REQUEUE_AFTER (its task never reached a
    worker: the broker was down when it was uploaded or confirmed), and mark failed every
    check or import running for longer than a task may run (its worker died; an import's
    transaction rolled back, so nothing was imported).

    Queuing twice is harmless: a run claims only a job waiting for it. Returns what was done.
    """
    Status = ImportJob.Status
    return sweep(
        ImportJob,
        # An import waits from its confirmation; a job queued before checks existed, from its
        # creation.
        queued={
            Status.CHECK_QUEUED: "created_at",
            Status.QUEUED: Coalesce("confirmed_at", "created_at"),
        },
        running={
            Status.CHECKING: _(
                "The check stopped before it finished; nothing was imported. Upload the file again."
            ),
            Status.RUNNING: _(
                "The import stopped before it finished; nothing was imported. Try again."
            ),
        },
        requeue_after=IMPORT_JOB_REQUEUE_AFTER,
        abandon_after=task_time_limit(),
        requeue=lambda status, pk: enqueue(
            _IMPORT_JOB_TASKS[status],
            pk,
            if_lost="The import job stays waiting until the next sweep.",
        ),
        failed_status=Status.FAILED,
        release=lambda job: discard_upload(job.upload_key),
        now=now,
        error_count=1,
    )


def import_progress_key(job_id: int) -> str:
    return f"reporting:import-job:{job_id}:rows"


def implementation_reports_import_run(*, job_id: int) -> ImportJob:
    """Run a queued import job: all rows or none, progress in the cache every batch.

    Safe to run twice: only a queued job is claimed (one UPDATE), so a second delivery of
    the task finds it running or finished and does nothing. The rows are written in one
    transaction, whose progress other connections cannot see; the number of rows done is
    therefore published in the cache (`import_progress_key`) for the status page, and kept
    on the job once it ends. The held upload is discarded whatever the outcome.
    """
    job, claimed = claim_and_read(
        ImportJob.objects.select_related("created_by"),
        job_id,
        ImportJob.Status.QUEUED,
        ImportJob.Status.RUNNING,
        started_at=timezone.now(),
    )
    if not claimed:
        return job
    key = import_progress_key(job.pk)
    errors: list[str] = []
    try:
        dataset = dataset_from_upload(content=read_upload_key(job.upload_key), name=job.filename)
        job.total_rows = dataset.height
        ImportJob.objects.filter(pk=job.pk).update(total_rows=job.total_rows)
        outcome = implementation_reports_import(
            by=job.created_by,
            dataset=dataset,
            dry_run=False,
            validate=job.validate,
            progress=lambda done: cache.set(key, done, timeout=24 * 60 * 60),
        )
        errors = outcome.errors
        job.created_count = outcome.created if outcome.imported else 0
        job.processed_rows = job.total_rows
        job.status = ImportJob.Status.DONE if outcome.imported else ImportJob.Status.FAILED
    except UploadExpired:
        errors = [_("The uploaded file is no longer held; upload it again.")]
        job.status = ImportJob.Status.FAILED
    except ValidationError as exc:
        errors = _messages(exc)
        job.status = ImportJob.Status.FAILED
    except Exception:
        # What went wrong is in the log; the page says the import failed and wrote nothing
        # (its transaction rolled back), never a job left "running" for ever.
        logger.exception("spreadsheet import job %s failed", job.pk)
        errors = [_("The import failed unexpectedly and nothing was imported; try again.")]
        job.status = ImportJob.Status.FAILED
    finally:
        discard_upload(job.upload_key)
        cache.delete(key)
    job.errors = errors[: ImportJob.KEPT_ERRORS]
    job.error_count = len(errors)
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "errors",
            "error_count",
            "created_count",
            "processed_rows",
            "total_rows",
            "status",
            "finished_at",
        ]
    )
    return job


def import_job_progress(job: ImportJob) -> int:
    """Rows done so far: the running check's or import's figure from the cache, else the
    job's own."""
    if job.status in {ImportJob.Status.CHECKING, ImportJob.Status.RUNNING}:
        done = cache.get(import_progress_key(job.pk))
        if isinstance(done, int):
            return done
    return job.processed_rows


def report_fields_from(report: ImplementationReport) -> Mapping[str, Any]:
    """A report's content as keyword arguments, to start a correction from it."""
    return {name: getattr(report, name) for name in REPORT_CONTENT_FIELDS}


# The current status of each pair, kept as data ----------------------------------------------


# The pairs whose current status a batch of writes changed, kept until the batch ends
# (`current_status_deferred`); None outside a batch, where each validation refreshes its pair.
_deferred_pairs: ContextVar[set[tuple[int, int]] | None] = ContextVar(
    "current status pairs deferred", default=None
)
# Past this many pairs, rewriting the whole table in one statement is cheaper than two
# queries per pair.
CURRENT_STATUS_REBUILD_OVER = 500


def _current_status_changed(*, state_id: int, recommendation_id: int) -> None:
    pairs = _deferred_pairs.get()
    if pairs is None:
        current_status_refresh(state_id=state_id, recommendation_id=recommendation_id)
    else:
        pairs.add((state_id, recommendation_id))


@contextmanager
def current_status_deferred(*, write: bool = True) -> Iterator[None]:
    """Within the block (inside the caller's transaction), validations note their pair
    instead of refreshing it; at its end the pairs are refreshed, or past
    CURRENT_STATUS_REBUILD_OVER of them the table is rebuilt in one statement. Nothing is
    written if the block raises, or with `write=False` (a dry run that rolls back)."""
    token = _deferred_pairs.set(set())
    try:
        yield
        pairs = _deferred_pairs.get() or set()
    finally:
        _deferred_pairs.reset(token)
    if not write or not pairs:
        return
    if len(pairs) > CURRENT_STATUS_REBUILD_OVER:
        current_status_rebuild()
        return
    for state_id, recommendation_id in sorted(pairs):
        current_status_refresh(state_id=state_id, recommendation_id=recommendation_id)


def current_status_refresh(*, state_id: int, recommendation_id: int) -> CurrentStatus | None:
    """Recompute one pair's row of CurrentStatus from its reports: the current report by the
    one rule of `ImplementationReport.objects.current_of_pair`, or no row (no information).

    Called in the transaction of every write that changes which validated report is current
    (a validation; reports are never deleted), so the table never disagrees with the reports
    a reader could see. Two queries: the pair's current report, and one upsert or delete.
    """
    report = ImplementationReport.objects.current_of_pair(
        state_id=state_id, recommendation_id=recommendation_id
    )
    if report is None:
        CurrentStatus.objects.filter(
            state_id=state_id, recommendation_id=recommendation_id
        ).delete()
        return None
    row = CurrentStatus(
        state_id=state_id,
        recommendation_id=recommendation_id,
        report_id=report.pk,
        status=report.status,
        as_of=report.as_of,
        validated_at=report.validated_at or timezone.now(),  # always set once validated
    )
    # One statement on SQLite and PostgreSQL (INSERT ... ON CONFLICT DO UPDATE).
    CurrentStatus.objects.bulk_create(
        [row],
        update_conflicts=True,
        unique_fields=["state", "recommendation"],
        update_fields=["report", "status", "as_of", "validated_at"],
    )
    return row


@transaction.atomic
def current_status_rebuild() -> int:
    """Rewrite the whole CurrentStatus table from the reports, inside the database: one
    DELETE and one INSERT ... SELECT of the derivation (`current_status_derived`), for after
    writes of many reports at once and to repair the table. Returns the rows written."""
    CurrentStatus.objects.all().delete()
    select, params = current_status_derived().query.sql_with_params()
    table = connection.ops.quote_name(CurrentStatus._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in CURRENT_STATUS_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)
        written: int = cursor.rowcount
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")
    return written
