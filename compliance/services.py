"""Writes for compliance snapshots and reminders.

A snapshot is computed from validated reports (selectors.compliance_figures) and written, with
all its figure rows, in one transaction; when its figures are the latest snapshot's, nothing is
written (unless forced), so running twice is harmless. Reminders are logged with a unique
(State, ISO week) row before they are sent, so a State is never reminded twice in one week.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    transaction,
)
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from core.documents import pdf_page_count
from core.locks import advisory_lock
from core.tasks import enqueue, enqueue_after_commit
from meetings.models import Meeting
from outbox.services import outbox_enqueue

from . import documents as report_documents
from . import snapshot_sql
from .models import (
    ComplianceFigure,
    ComplianceSnapshot,
    ReminderLog,
    ReminderSettings,
    SecretariatReport,
    SnapshotTrigger,
)
from .selectors import (
    DIMENSIONS,
    FLAT_COUNT_COLUMNS,
    compliance_figures,
    figure_key,
    reminder_candidates,
    reminder_due_date,
    reminder_meeting,
    snapshot_with_figures,
    validated_reports_summary,
)

if TYPE_CHECKING:
    from .selectors import ReminderCandidate

logger = logging.getLogger(__name__)

# The cache key that marks a debounced refresh as queued; it lives as long as the countdown.
# PostgreSQL advisory lock id serialising snapshot runs (any constant shared by all processes).
SNAPSHOT_LOCK_ID = 0x57_67_50_6D  # "WgPm"


@dataclass(frozen=True)
class SnapshotOutcome:
    """What a run did: `written` says whether `snapshot` is new or the unchanged latest one
    (None only when there is no snapshot at all, which a run always ends)."""

    snapshot: ComplianceSnapshot | None
    written: bool


def figures_fingerprint(figures: dict[str, Any]) -> str:
    """A hash of the figures: two runs with the same figures have the same fingerprint.

    Hashing the figures rather than the set of reports also catches what changes them without
    touching a report: a State becoming party, a recommendation adopted or retagged.
    """
    canonical = json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _compute() -> tuple[dict[str, Any], dict[str, Any]]:
    """The figures and the reports summary, read in one transaction in which every query sees
    the same committed data, so that the State figures and the others count the same reports
    even if a validation commits meanwhile."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            # PostgreSQL's default READ COMMITTED gives each query its own view; REPEATABLE
            # READ can only be chosen before the transaction's first query.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return compliance_figures(), validated_reports_summary()
    # SQLite transactions are serializable; inside a caller's transaction, its view is used.
    with transaction.atomic():
        return compliance_figures(), validated_reports_summary()


def compliance_snapshot_compute(
    *, trigger: str = SnapshotTrigger.SCHEDULED, force: bool = False
) -> SnapshotOutcome:
    """Compute the figures and store them as a new snapshot, unless they are the latest
    snapshot's (then nothing is written and the latest is returned) or `force` is set.

    Safe to run twice or concurrently: runs are serialised by a lock, and the second finds
    nothing changed. A failure while writing rolls the whole snapshot back; the previous one
    stays the latest.

    On PostgreSQL the figures are counted and written by the database in one statement
    (`compliance/snapshot_sql.py`), so the worker's memory stays flat however many
    recommendations there are; on SQLite they are counted by `selectors.compliance_figures`
    and written in one bulk insert.
    """
    if trigger not in SnapshotTrigger.values:
        raise ValidationError({"trigger": _("Unknown trigger %(value)r.") % {"value": trigger}})
    with advisory_lock(SNAPSHOT_LOCK_ID, name="snapshot"):
        if connection.vendor == "postgresql":
            return _snapshot_write_in_database(trigger=trigger, force=force)
        figures, reports = _compute()
        return _snapshot_write(
            figures=figures,
            reports=reports,
            fingerprint=figures_fingerprint(figures),
            trigger=trigger,
            force=force,
        )


def _snapshot_write_in_database(*, trigger: str, force: bool) -> SnapshotOutcome:
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            # One view of the data for the summary and the figures, although a validation
            # may commit meanwhile (REPEATABLE READ is chosen before the first query).
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        latest = ComplianceSnapshot.objects.order_by("-sequence").first()
        rollback_to = transaction.savepoint()
        snapshot = ComplianceSnapshot.objects.create(
            sequence=latest.sequence + 1 if latest is not None else 1,
            trigger=trigger,
            fingerprint="",
            **validated_reports_summary(),
        )
        snapshot_sql.figures_insert(snapshot_id=snapshot.pk)
        fingerprint = snapshot_sql.figures_fingerprint(snapshot_id=snapshot.pk)
        if latest is not None and latest.fingerprint == fingerprint and not force:
            transaction.savepoint_rollback(rollback_to)
            return SnapshotOutcome(snapshot=latest, written=False)
        transaction.savepoint_commit(rollback_to)
        snapshot.fingerprint = fingerprint
        snapshot.save(update_fields=["fingerprint"])
        snapshot_sql.figures_analyze()
    _written(snapshot, trigger)
    return SnapshotOutcome(snapshot=snapshot, written=True)


def _written(snapshot: ComplianceSnapshot, trigger: str) -> None:
    logger.info(
        "Compliance snapshot %s written (%s): %s validated reports.",
        snapshot.sequence,
        trigger,
        snapshot.validated_reports,
    )


@transaction.atomic
def _snapshot_write(
    *, figures: dict[str, Any], reports: dict[str, Any], fingerprint: str, trigger: str, force: bool
) -> SnapshotOutcome:
    latest = ComplianceSnapshot.objects.order_by("-sequence").first()
    if latest is not None and latest.fingerprint == fingerprint and not force:
        return SnapshotOutcome(snapshot=latest, written=False)
    snapshot = ComplianceSnapshot.objects.create(
        sequence=latest.sequence + 1 if latest is not None else 1,
        trigger=trigger,
        fingerprint=fingerprint,
        **reports,
    )
    rows = [
        ComplianceFigure(
            snapshot=snapshot,
            dimension=ComplianceFigure.Dimension.OVERALL,
            key="",
            position=0,
            identity={},
            **figures["overall"],
        )
    ]
    rows.extend(
        ComplianceFigure(
            snapshot=snapshot,
            dimension=dimension,
            key=figure_key(dimension, row),
            position=position,
            identity={field: row[field] for field in identity_fields},
            **{field: row[field] for field in FLAT_COUNT_COLUMNS},
        )
        for list_key, (dimension, identity_fields) in DIMENSIONS.items()
        for position, row in enumerate(figures[list_key])
    )
    # Every dimension in one bulk insert (the figures were counted by two aggregate queries
    # over CurrentStatus); the transaction makes them one snapshot.
    ComplianceFigure.objects.bulk_create(rows, batch_size=1000)
    _written(snapshot, trigger)
    return SnapshotOutcome(snapshot=snapshot, written=True)


SNAPSHOT_RETENTION_DAYS = 31


@transaction.atomic
def compliance_snapshots_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete the snapshots (with their figure rows) no longer worth keeping; return how many.

    Kept: every snapshot of the last SNAPSHOT_RETENTION_DAYS days; the latest one always; for
    each meeting with a first day, the last snapshot computed before that day (the figures as
    they stood when the meeting opened); and any snapshot a Secretariat report was built from
    (deleting it would delete the report). Run by the nightly task after the snapshot.
    """
    now = now or timezone.now()
    since = now - datetime.timedelta(days=SNAPSHOT_RETENTION_DAYS)
    older = ComplianceSnapshot.objects.filter(computed_at__lt=since)
    if not older.exists():
        return 0
    keep: set[int] = set(
        ComplianceSnapshot.objects.order_by("-sequence").values_list("pk", flat=True)[:1]
    )
    keep.update(SecretariatReport.objects.values_list("snapshot_id", flat=True))
    local_zone = timezone.get_current_timezone()
    starts = Meeting.objects.filter(start_date__isnull=False).values_list("start_date", flat=True)
    for start in starts:
        if start is None:  # excluded by the filter; says so to the type checker
            continue
        opening = datetime.datetime.combine(start, datetime.time.min, tzinfo=local_zone)
        keep.update(
            ComplianceSnapshot.objects.filter(computed_at__lt=opening)
            .order_by("-computed_at", "-sequence")
            .values_list("pk", flat=True)[:1]
        )
    _rows, per_model = older.exclude(pk__in=keep).delete()
    pruned = per_model.get(ComplianceSnapshot._meta.label, 0)
    logger.info("Compliance snapshots pruned: %s deleted.", pruned)
    return pruned


@dataclass(frozen=True)
class RemindersOutcome:
    meeting: Meeting | None
    due: datetime.date | None
    sent: int
    already_reminded: int
    failed: int


class ReminderDeliveryError(Exception):
    """Some reminders could not be sent; those States get theirs when the task retries."""


def compliance_reminders_send(*, today: datetime.date | None = None) -> RemindersOutcome:
    """E-mail the focal points of States parties that have not reported on every adopted
    recommendation of the latest meeting, once the days after it that the Secretariat set
    (ReminderSettings, on the Reminders page) have passed, listing what is missing. A report
    submitted for validation counts as reported: the focal point has done their part.

    Each State's reminder is logged and written to the outbox (outbox/, which sends it and
    retries the mail server) in one transaction: a write that fails rolls its log back (the
    State is reminded on retry), and the unique (State, ISO week) log row makes a second run in
    the same week skip the States already reminded.
    """
    today = today or timezone.localdate()
    meeting = reminder_meeting()
    if meeting is None:
        return RemindersOutcome(meeting=None, due=None, sent=0, already_reminded=0, failed=0)
    due = reminder_due_date(meeting)
    if today < due:
        return RemindersOutcome(meeting=meeting, due=due, sent=0, already_reminded=0, failed=0)
    iso_year, iso_week, _weekday = today.isocalendar()
    already = set(
        ReminderLog.objects.filter(iso_year=iso_year, iso_week=iso_week).values_list(
            "state_id", flat=True
        )
    )
    sent = skipped = failed = 0
    for candidate in reminder_candidates(meeting=meeting):
        if candidate.state_id in already:
            skipped += 1
            continue
        message = reminder_message(candidate=candidate, meeting=meeting, due=due)
        try:
            with transaction.atomic():
                ReminderLog.objects.create(
                    state_id=candidate.state_id,
                    iso_year=iso_year,
                    iso_week=iso_week,
                    meeting=meeting,
                    recipients=candidate.emails,
                    missing_recommendations=len(candidate.missing),
                )
                outbox_enqueue(message)
        except IntegrityError:
            skipped += 1  # another run reminded this State this week meanwhile
        except Exception:
            failed += 1
            logger.exception("Reminder to the focal points of %s not sent.", candidate.name)
        else:
            sent += 1
    outcome = RemindersOutcome(
        meeting=meeting, due=due, sent=sent, already_reminded=skipped, failed=failed
    )
    if failed:
        raise ReminderDeliveryError(f"{failed} reminder(s) could not be sent; {sent} were sent.")
    return outcome


def reminder_message(
    *, candidate: ReminderCandidate, meeting: Meeting, due: datetime.date
) -> mail.EmailMessage:
    """The reminder e-mail to `candidate`'s focal points, as sent (and as the Reminders page
    previews it)."""
    # Reminders go out in the site's default language; focal points have no language setting.
    with translation.override(settings.LANGUAGE_CODE):
        site_url = getattr(settings, "SITE_URL", "")  # empty: the reminder carries no link
        context = {
            "candidate": candidate,
            "meeting": meeting,
            "due": due,
            "link": site_url + reverse("reporting:my_state") if site_url else "",
        }
        subject = ngettext(
            "WGSOM: %(state)s has not yet reported on %(count)s recommendation",
            "WGSOM: %(state)s has not yet reported on %(count)s recommendations",
            len(candidate.missing),
        ) % {"state": candidate.name, "count": len(candidate.missing)}
        body = render_to_string("compliance/email/reminder.txt", context)
    return mail.EmailMessage(subject=subject, body=body, to=candidate.emails)


@transaction.atomic
def reminder_settings_update(*, days_after_meeting: int, by: User) -> ReminderSettings:
    """Set the days after a meeting before its reminders start (0 to 365), recording who did.

    Writes the one settings row, making it if it is missing.
    """
    settings_row = (
        ReminderSettings.objects.select_for_update()
        .filter(pk=ReminderSettings.SINGLETON_PK)
        .first()
    ) or ReminderSettings(pk=ReminderSettings.SINGLETON_PK)
    settings_row.days_after_meeting = days_after_meeting
    settings_row.updated_by = by
    settings_row.full_clean(exclude=["updated_by"])
    settings_row.save()
    logger.info("%s set reminders to start %s days after a meeting.", by, days_after_meeting)
    return settings_row


# Named, not imported, as GENERATE_SECRETARIAT_REPORT_TASK below: tasks.py imports this module.
SEND_REMINDERS_TASK = "compliance.tasks.send_reminders"


def reminders_send_now(*, by: User) -> None:
    """Queue the weekly reminder run now, as the schedule would, once the caller's transaction
    commits. It skips the States already reminded this week and sends nothing before the due
    day, so asking twice is harmless.

    Never raises when the broker is down: the failure is logged and the reminders go out at
    the next scheduled run (or when asked again).
    """
    logger.info("%s asked for the reminders to be sent now.", by)
    enqueue_after_commit(
        SEND_REMINDERS_TASK,
        if_lost="The reminders go out at the next scheduled run, or when asked for again.",
    )


# The Secretariat's implementation report --------------------------------------------------


# Tasks are named rather than imported: tasks.py imports this module for the work
# its tasks run, so importing it back would make the two depend on each other.
GENERATE_SECRETARIAT_REPORT_TASK = "compliance.tasks.generate_secretariat_report"


@transaction.atomic
def secretariat_report_request(
    *, snapshot: ComplianceSnapshot, meeting: Meeting, language: str, by: User
) -> SecretariatReport:
    """Ask for the Secretariat's report for `meeting` from `snapshot` in `language`, built by
    a Celery task queued when this commits.

    There is one report per snapshot, meeting and language: asking for one that exists
    returns it unchanged (the same files download again), unless its build failed or never
    started, which is queued again.
    """
    languages = dict(settings.LANGUAGES)
    if language not in languages:
        raise ValidationError(
            {
                "language": _("Choose one of the site's languages: %(languages)s.")
                % {"languages": ", ".join(languages)}
            }
        )
    document, created = SecretariatReport.objects.select_for_update().get_or_create(
        snapshot=snapshot,
        meeting=meeting,
        language=language,
        defaults={"requested_by": by},
    )
    if created or document.status in (
        SecretariatReport.Status.FAILED,
        SecretariatReport.Status.QUEUED,
    ):
        if not created:
            document.status = SecretariatReport.Status.QUEUED
            document.step = SecretariatReport.Step.WAITING
            document.progress = 0
            document.error = ""
            document.requested_by = by
            document.requested_at = timezone.now()
            document.save(
                update_fields=[
                    "status",
                    "step",
                    "progress",
                    "error",
                    "requested_by",
                    "requested_at",
                ]
            )
        document_id = document.pk
        transaction.on_commit(lambda: _queue_secretariat_report(document_id))
    return document


def _queue_secretariat_report(document_id: int) -> None:
    enqueue(
        GENERATE_SECRETARIAT_REPORT_TASK,
        document_id,
        # The request is recorded; the page says it waits, and asking again queues it again.
        if_lost="The report waits; asking for it again queues it again.",
    )


def _progress(document_id: int, *, step: str, progress: int, **fields: Any) -> None:
    # An update of its own, committed at once (the task runs outside a transaction), so the
    # page polling the build sees each step as it starts.
    SecretariatReport.objects.filter(pk=document_id).update(step=step, progress=progress, **fields)


def secretariat_report_generate(*, document_id: int) -> SecretariatReport:
    """Build the PDF and the Word document of a requested report and keep them with it.

    Safe to run twice: a report already built is returned as it is, so its files never
    change. Reads the snapshot's stored figures only (compliance/documents.py), in the
    report's language. A failure is recorded on the report (status failed, with the error)
    for the page to show; the Secretariat can ask again.
    """
    document = SecretariatReport.objects.select_related("snapshot", "meeting").get(pk=document_id)
    if document.status == SecretariatReport.Status.DONE:
        return document
    Step = SecretariatReport.Step
    _progress(
        document_id,
        step=Step.FIGURES,
        progress=5,
        status=SecretariatReport.Status.RUNNING,
        started_at=timezone.now(),
        error="",
    )
    try:
        with translation.override(document.language):
            snapshot = snapshot_with_figures(pk=document.snapshot_id)
            content = report_documents.secretariat_report_document(
                snapshot=snapshot, meeting=document.meeting
            )
            _progress(document_id, step=Step.CHARTS, progress=15)
            pictures = report_documents.chart_pictures(content)
            _progress(document_id, step=Step.PDF, progress=35)
            pdf = report_documents.render_pdf(content)
            _progress(document_id, step=Step.WORD, progress=75)
            docx = report_documents.render_word(
                content, picture=lambda chart: pictures[chart.chart_id]
            )
            _progress(document_id, step=Step.SAVING, progress=90)
            pages = pdf_page_count(pdf)
        with transaction.atomic():
            document = SecretariatReport.objects.select_for_update().get(pk=document_id)
            document.pdf.save(f"{content.file_stem}.pdf", ContentFile(pdf), save=False)
            document.docx.save(f"{content.file_stem}.docx", ContentFile(docx), save=False)
            document.pdf_pages = pages
            document.status = SecretariatReport.Status.DONE
            document.step = Step.FINISHED
            document.progress = 100
            document.finished_at = timezone.now()
            document.save()
    except (OperationalError, InterfaceError):
        raise  # the task retries these
    except Exception as exc:
        logger.exception("The Secretariat report %s could not be built.", document_id)
        _progress(
            document_id,
            step=Step.FINISHED,
            progress=100,
            status=SecretariatReport.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        document.refresh_from_db()
    return document
