"""Compliance snapshots: the figures of one moment, stored so that history can be shown.

A snapshot is one `ComplianceSnapshot` row and its `ComplianceFigure` rows, written together
in one transaction (see services.py), so a reader sees all of a snapshot or none of it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.statuses import STATUS_COLUMNS
from core.storage import PrivateAttachmentStorage

# The implementation statuses a figure counts, in the order tables and charts show them: the
# vocabulary of core/statuses.py, each status a field of ComplianceFigure of the same name.
# The fields stay written out below because the migrations and the check constraint name
# them; tests/core/test_statuses.py fails if a status and its field ever part.
STATUS_FIELDS = STATUS_COLUMNS
COUNT_FIELDS = (*STATUS_FIELDS, "reported", "states_parties")


class SnapshotTrigger(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled run")
    VALIDATION = "validation", _("After reports were validated")
    MANUAL = "manual", _("Run by hand")
    LOAD = "load", _("After loading the reference data")


class ComplianceSnapshot(models.Model):
    """The compliance figures as they stood when computed.

    `fingerprint` is a hash of the figures; a run whose figures hash the same as the latest
    snapshot's writes nothing, so the history holds one row per change, not one per night.
    """

    Trigger = SnapshotTrigger

    # Each snapshot takes the number after the latest one's; unique, so two runs that raced
    # past the service's lock can never both claim to follow the same snapshot.
    sequence = models.PositiveIntegerField(_("number"), unique=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now, db_index=True)
    trigger = models.CharField(_("trigger"), max_length=12, choices=Trigger.choices)
    fingerprint = models.CharField(_("fingerprint of the figures"), max_length=64)
    validated_reports = models.PositiveIntegerField(_("validated reports in the database"))
    demonstration_reports = models.PositiveIntegerField(
        _("demonstration reports among them"), default=0
    )
    reports_updated_at = models.DateTimeField(
        _("latest change to a validated report"), null=True, blank=True
    )

    class Meta:
        ordering = ["-sequence"]
        get_latest_by = "sequence"
        verbose_name = _("compliance snapshot")
        verbose_name_plural = _("compliance snapshots")
        constraints = [
            models.CheckConstraint(
                condition=Q(trigger__in=SnapshotTrigger.values), name="snapshot_trigger_valid"
            ),
            models.CheckConstraint(
                condition=Q(demonstration_reports__lte=F("validated_reports")),
                name="snapshot_demonstration_reports_within_validated",
            ),
        ]

    def __str__(self) -> str:
        return _("Compliance snapshot %(number)s of %(when)s") % {
            "number": self.sequence,
            "when": timezone.localtime(self.computed_at).strftime("%Y-%m-%d %H:%M"),
        }


class FigureDimension(models.TextChoices):
    OVERALL = "overall", _("Overall")
    RECOMMENDATION = "recommendation", _("Recommendation")
    THEME = "theme", _("Theme")
    MEETING = "meeting", _("Meeting")
    STATE = "state", _("State party")
    REGIONAL_GROUP = "regional_group", _("Regional group")


class ComplianceFigure(models.Model):
    """The counts of one row of a snapshot: overall, or one recommendation, theme, meeting,
    State party or regional group.

    `key` identifies the row across snapshots (recommendation id, theme slug, meeting ordinal,
    State code, group slug; empty for overall) so that a trend is one indexed query;
    `identity` holds the fields the documented figures shape gives that row (its label and
    name as they were when computed).
    """

    Dimension = FigureDimension

    # No index of its own: figure_unique_in_snapshot begins with it. A snapshot writes its
    # hundreds of thousands of rows into every index of the table.
    snapshot = models.ForeignKey(
        ComplianceSnapshot,
        verbose_name=_("snapshot"),
        on_delete=models.CASCADE,
        related_name="figures",
        db_index=False,
    )
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    key = models.CharField(_("key"), max_length=80, blank=True)
    position = models.PositiveIntegerField(_("position in its list"))
    identity = models.JSONField(_("identity"), default=dict)
    implemented = models.PositiveIntegerField(_("implemented"))
    partially_implemented = models.PositiveIntegerField(_("partially implemented"))
    in_progress = models.PositiveIntegerField(_("in progress"))
    not_implemented = models.PositiveIntegerField(_("not implemented"))
    not_applicable = models.PositiveIntegerField(_("not applicable"))
    no_information = models.PositiveIntegerField(_("no information"))
    reported = models.PositiveIntegerField(_("reported"))
    states_parties = models.PositiveIntegerField(_("States parties"))
    share_implementing = models.FloatField(_("share implementing (full or partial)"))

    class Meta:
        ordering = ["snapshot", "dimension", "position"]
        verbose_name = _("compliance figure")
        verbose_name_plural = _("compliance figures")
        # No (dimension, key, snapshot) index: a row's trend is read from the snapshots, a
        # lookup of figure_unique_in_snapshot each (figure_history), and that index, whose
        # entries for a new snapshot land all over it, cost a snapshot 1.4 s of its 12 s of
        # writing at 250,000 recommendations.
        indexes = [
            # The pages and the API read a dimension of the latest snapshot a page at a time,
            # by position: a range of this index, however many rows the snapshot holds.
            models.Index(
                fields=["snapshot", "dimension", "position"], name="figure_dimension_position"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "dimension", "key"], name="figure_unique_in_snapshot"
            ),
            models.CheckConstraint(
                condition=Q(dimension__in=FigureDimension.values), name="figure_dimension_valid"
            ),
            models.CheckConstraint(
                condition=Q(share_implementing__gte=0) & Q(share_implementing__lte=1),
                name="figure_share_is_a_fraction",
            ),
            # Every pair counted is either reported on or not: the statuses add up.
            models.CheckConstraint(
                condition=Q(
                    reported=F("implemented")
                    + F("partially_implemented")
                    + F("in_progress")
                    + F("not_implemented")
                    + F("not_applicable")
                ),
                name="figure_reported_is_the_sum_of_statuses",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()} {self.key}".strip()

    def counts(self) -> dict:
        """The COUNTS of the documented figures shape (see selectors.py)."""
        return {
            **{field: getattr(self, field) for field in COUNT_FIELDS},
            "share_implementing": self.share_implementing,
        }


class ReminderLog(models.Model):
    """A reminder e-mailed to a State's focal points.

    The unique (State, ISO year, ISO week) constraint is what guarantees a State is never
    reminded twice in the same week, whichever worker or run sends.
    """

    state = models.ForeignKey(
        "states.State",
        verbose_name=_("State"),
        on_delete=models.PROTECT,
        related_name="compliance_reminders",
    )
    iso_year = models.PositiveSmallIntegerField(_("ISO year"))
    iso_week = models.PositiveSmallIntegerField(_("ISO week"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting reminded of"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipients = models.JSONField(_("recipients"), default=list)
    missing_recommendations = models.PositiveIntegerField(_("recommendations not reported on"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "iso_year", "iso_week"], name="reminder_once_per_state_per_week"
            ),
            models.CheckConstraint(
                condition=Q(iso_week__gte=1) & Q(iso_week__lte=53), name="reminder_iso_week_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state} {self.iso_year}-W{self.iso_week:02d}"


# The reminders' day threshold: its default, and the longest wait the Secretariat may set (a
# year: the Working Group meets about once a year, so a longer wait would skip a meeting).
REMINDER_DAYS_DEFAULT = 90
REMINDER_DAYS_MAX = 365


class ReminderSettings(models.Model):
    """How the weekly reminders behave, kept by the Secretariat on its Reminders page.

    One row (pk 1, made by migration and held there by a check constraint). When the row is
    missing, as after a test flushes the database, the defaults apply
    (selectors.reminder_settings); only services.reminder_settings_update writes it.
    """

    SINGLETON_PK = 1

    days_after_meeting = models.PositiveSmallIntegerField(
        _("days after a meeting"),
        default=REMINDER_DAYS_DEFAULT,
        validators=[MinValueValidator(0), MaxValueValidator(REMINDER_DAYS_MAX)],
        help_text=_(
            "Reminders start this many days after the latest meeting that adopted "
            "recommendations ended, then go out weekly. A whole number from 0 to 365."
        ),
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="reminder_settings_single_row"),
            models.CheckConstraint(
                condition=Q(days_after_meeting__lte=REMINDER_DAYS_MAX),
                name="reminder_settings_days_within_a_year",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Reminder settings"))


class SecretariatReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class SecretariatReportStep(models.TextChoices):
    WAITING = "waiting", _("Waiting for a worker")
    FIGURES = "figures", _("Reading the snapshot's figures")
    CHARTS = "charts", _("Drawing the charts")
    PDF = "pdf", _("Laying out the PDF")
    WORD = "word", _("Writing the Word document")
    SAVING = "saving", _("Saving the files")
    FINISHED = "finished", _("Finished")


def _secretariat_report_path(document: SecretariatReport, filename: str) -> str:
    return f"secretariat-reports/snapshot-{document.snapshot.sequence}/{filename}"


class SecretariatReport(models.Model):
    """The Secretariat's report on the implementation of the recommendations, for a meeting,
    in one language, built from one compliance snapshot, as PDF and Word.

    Generated once by a Celery task that records its progress here, then kept with its
    snapshot: downloading it again gives the same files, whatever was validated since.
    """

    Status = SecretariatReportStatus
    Step = SecretariatReportStep

    snapshot = models.ForeignKey(
        ComplianceSnapshot,
        verbose_name=_("snapshot"),
        on_delete=models.CASCADE,
        related_name="secretariat_reports",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=12)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    step = models.CharField(_("step"), max_length=10, choices=Step.choices, default=Step.WAITING)
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    error = models.TextField(_("error"), blank=True)
    pdf = models.FileField(
        _("PDF"),
        storage=PrivateAttachmentStorage(),
        upload_to=_secretariat_report_path,
        max_length=200,
        blank=True,
    )
    docx = models.FileField(
        _("Word document"),
        storage=PrivateAttachmentStorage(),
        upload_to=_secretariat_report_path,
        max_length=200,
        blank=True,
    )
    pdf_pages = models.PositiveSmallIntegerField(_("PDF pages"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("Secretariat's implementation report")
        verbose_name_plural = _("Secretariat's implementation reports")
        constraints = [
            # One document per snapshot, meeting and language: asking again gives the same.
            models.UniqueConstraint(
                fields=["snapshot", "meeting", "language"],
                name="secretariat_report_once_per_snapshot_meeting_language",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SecretariatReportStatus.values),
                name="secretariat_report_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(step__in=SecretariatReportStep.values),
                name="secretariat_report_step_valid",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="secretariat_report_progress_is_a_percent"
            ),
        ]

    def __str__(self) -> str:
        return _(
            "Implementation report for the %(meeting)s, snapshot %(number)s (%(language)s)"
        ) % {
            "meeting": self.meeting,
            "number": self.snapshot.sequence,
            "language": self.language,
        }

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
