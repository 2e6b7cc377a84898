"""Implementation reports and their evidence files: what each State reports on each adopted
recommendation, and the review that publishes it."""

from __future__ import annotations

import uuid
from typing import NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import RememberedCheckConstraintsMixin
from core.jobs import Job
from core.statuses import NO_INFORMATION, NO_INFORMATION_LABEL, ImplementationStatus
from core.storage import PrivateAttachmentStorage
from recommendations.models import Recommendation

__all__ = [
    "NO_INFORMATION",
    "NO_INFORMATION_LABEL",
    "CurrentStatus",
    "ImplementationReport",
    "ImplementationReportQuerySet",
    "ImplementationStatus",
    "ReportAttachment",
]


class ImplementationReportQuerySet(models.QuerySet["ImplementationReport"]):
    def validated(self) -> ImplementationReportQuerySet:
        return self.filter(review_state=ImplementationReport.ReviewState.VALIDATED)

    def current(self) -> ImplementationReportQuerySet:
        """The latest validated report of each State on each recommendation.

        Latest means the newest `as_of` date; among reports of the same date the one recorded
        last (a correction is recorded after what it corrects).
        """
        newer = (
            ImplementationReport.objects.validated()
            .filter(state=OuterRef("state"), recommendation=OuterRef("recommendation"))
            .filter(
                Q(as_of__gt=OuterRef("as_of")) | Q(as_of=OuterRef("as_of"), pk__gt=OuterRef("pk"))
            )
        )
        return self.validated().filter(~Exists(newer))

    def current_of_pair(
        self, *, state_id: int, recommendation_id: int
    ) -> ImplementationReport | None:
        """The current report of one pair, by the rule of `current()` (newest `as_of`, then
        the one recorded last), looked up by the pair's index. One query."""
        return (
            self.validated()
            .filter(state_id=state_id, recommendation_id=recommendation_id)
            .order_by("-as_of", "-pk")
            .first()
        )

    def delete(self) -> NoReturn:
        raise models.ProtectedError(
            "Implementation reports are never deleted; record a newer report instead.", set(self)
        )


class ImplementationReportReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for validation")
    VALIDATED = "validated", _("Validated")
    RETURNED = "returned", _("Returned for changes")


class ImplementationReportSource(models.TextChoices):
    NATIONAL_STATEMENT = "national_statement", _("National statement at a meeting")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire response")
    REVIEW_MECHANISM = "review_mechanism", _("UNTOC review mechanism")
    VOLUNTARY_SUBMISSION = "voluntary_submission", _("Voluntary submission")
    FOCAL_POINT = "focal_point", _("Submitted by the State's focal point")


class ImplementationReport(RememberedCheckConstraintsMixin, models.Model):
    """What one State reports about implementing one recommendation, as of a date.

    Reports are never deleted: a correction or withdrawal is a newer report. Only validated
    reports count on public pages and in summaries; drafts are the focal point's work in
    progress.
    """

    ReviewState = ImplementationReportReviewState

    Source = ImplementationReportSource

    state = models.ForeignKey(
        "states.State",
        verbose_name=_("State"),
        on_delete=models.PROTECT,
        related_name="implementation_reports",
    )
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.PROTECT,
        related_name="implementation_reports",
    )
    status = models.CharField(_("status"), max_length=24, choices=ImplementationStatus.choices)
    as_of = models.DateField(_("status as of"))
    period_start = models.DateField(_("period covered from"), null=True, blank=True)
    period_end = models.DateField(_("period covered to"), null=True, blank=True)
    description = models.TextField(_("measures taken"), blank=True)
    source = models.CharField(_("source"), max_length=24, choices=Source.choices)
    source_meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting (for a national statement)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence_url = models.URLField(_("link to evidence"), blank=True)
    review_state = models.CharField(
        _("review state"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    validated_at = models.DateTimeField(_("validated"), null=True, blank=True)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    is_demonstration = models.BooleanField(
        _("demonstration data"),
        default=False,
        help_text=_("Synthetic, made by load_demo_reports for trying the product; never real."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    # Optimistic concurrency: every change through the services adds one, and a save based
    # on an older number is refused (see recommendations/services.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords()
    objects = ImplementationReportQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "-pk"]
        indexes = [
            models.Index(fields=["recommendation", "state", "review_state", "as_of"]),
            models.Index(fields=["state", "review_state"]),
            # The home page's latest ten and the feeds read validated reports newest first:
            # the index hands them over in that order, without sorting every report.
            models.Index(
                fields=["-validated_at", "-id"],
                condition=Q(review_state="validated"),
                name="report_validated_newest_first",
            ),
            # The API's public list of reports, in its default order (the model's): a page
            # is a range of this index, where sorting every validated report took seconds.
            models.Index(
                fields=["-as_of", "-id"],
                condition=Q(review_state="validated"),
                name="report_validated_as_of_newest",
            ),
            # A State's page and its reports page list its validated reports newest first, a
            # page at a time: a range of this index, however many the State has reported.
            models.Index(
                fields=["state", "-as_of", "-validated_at", "-id"],
                condition=Q(review_state="validated"),
                name="report_state_validated_newest",
            ),
            # Whether demonstration data exist is asked on every page that shows a status;
            # indexing only those rows keeps the answer one short look, and the index empty on
            # a site without them.
            models.Index(
                fields=["review_state"],
                condition=Q(is_demonstration=True),
                name="report_demonstration",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImplementationStatus.values),
                name="report_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(review_state__in=ImplementationReportReviewState.values),
                name="report_review_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__in=ImplementationReportSource.values),
                name="report_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start"))
                | Q(period_start__isnull=True)
                | Q(period_end__isnull=True),
                name="report_period_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(review_state="validated") | Q(validated_at__isnull=False),
                name="report_validated_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state} on {self.recommendation}: {self.get_status_display()}"

    def clean(self) -> None:
        # Invariants of the record itself, checked by every form and by the services.
        errors = {}
        today = timezone.localdate()
        if self.as_of and self.as_of > today:
            errors["as_of"] = _("The status date cannot be in the future.")
        if self.period_end and self.period_end > today:
            errors["period_end"] = _("The period covered cannot end in the future.")
        if errors:
            raise ValidationError(errors)

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(
            "Implementation reports are never deleted; record a newer report instead.", {self}
        )


def _attachment_path(attachment: ReportAttachment, filename: str) -> str:
    # A random name: the original name is kept in a field, never trusted as a path.
    return f"reports/{attachment.report.state.code}/{uuid.uuid4().hex}{attachment.extension}"


class ReportAttachment(models.Model):
    """A file a report cites as evidence: PDF, DOCX, XLSX, PNG or JPEG, at most 10 MB.

    Stored in the private attachments storage (REPORT_ATTACHMENTS_ROOT), which has no URL:
    the file is served only by the attachment view, to users allowed to read the report.
    Never deleted, as the report it belongs to.
    """

    report = models.ForeignKey(
        ImplementationReport,
        verbose_name=_("report"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"), storage=PrivateAttachmentStorage(), upload_to=_attachment_path, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    extension = models.CharField(_("extension"), max_length=8)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(
            "Report attachments are never deleted; they are part of the report's record.", {self}
        )


class ImportJob(Job):
    """A spreadsheet import, in two Celery jobs: its state, progress and outcome.

    The upload holds the file and creates this row, waiting to be checked; the check job
    reads every row without writing (a dry run) and keeps here what the preview shows: the
    counts, the first errors and the first rows (services.implementation_reports_import_check).
    Confirming queues the import job on the same row, which reads the held file again and
    writes all its rows or none (services.implementation_reports_import_run). The job page
    reads this row. What the check found, for the preview: {"states": n, "recommendations": n,
    "statuses": {code: n}, "rows": [the first KEPT_ROWS rows]} (see services).
    """

    class Status(models.TextChoices):
        # The check: a dry run of every row, started by the upload.
        CHECK_QUEUED = "check_queued", _("waiting to be checked")
        CHECKING = "checking", _("being checked")
        CHECKED = "checked", _("checked, awaiting confirmation")
        # The import, started by the confirmation.
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        # Either phase: `confirmed_at` says which.
        FAILED = "failed", _("failed")

    # How many errors and rows of a check the job keeps for its page: enough to correct a
    # file and to recognise it, whatever its size.
    KEPT_ERRORS = 200
    KEPT_ROWS = 50

    # The held upload's storage key (core.uploads); blank once the job has used it.
    upload_key = models.CharField(max_length=200, blank=True)
    # Not validated unless staff ticked it: publishing is never the default.
    validate = models.BooleanField(_("record as validated"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("reports created"), default=0)
    # `errors` keeps the first KEPT_ERRORS messages; this is how many there were in all.
    error_count = models.PositiveIntegerField(_("errors found"), default=0)

    class Meta(Job.Meta):
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def checking(self) -> bool:
        """Still in the check: the page reloads itself until it ends."""
        return self.status in {self.Status.CHECK_QUEUED, self.Status.CHECKING}

    @property
    def finished(self) -> bool:
        """Nothing more will happen without the person who uploaded it (or ever)."""
        return self.status in {self.Status.CHECKED, self.Status.DONE, self.Status.FAILED}

    @property
    def confirmed(self) -> bool:
        """In the import phase: the check passed and staff confirmed it."""
        return self.confirmed_at is not None

    @property
    def errors_not_shown(self) -> int:
        return max(0, self.error_count - len(self.errors))

    def preview_statuses(self) -> list[tuple[str, int]]:
        """The checked file's reports by status, as (label, count), in the vocabulary's order."""
        counts = (self.preview or {}).get("statuses", {})
        return [
            (str(label), counts[code])
            for code, label in ImplementationStatus.choices
            if counts.get(code)
        ]

    def preview_rows(self) -> list[dict[str, str]]:
        """The first rows of the checked file, with their status and source labels in the
        reader's language (the job keeps their codes)."""
        statuses = dict(ImplementationStatus.choices)
        sources = dict(ImplementationReport.Source.choices)
        return [
            {
                **row,
                "status_label": str(statuses.get(row.get("status"), row.get("status", ""))),
                "source_label": str(sources.get(row.get("source"), row.get("source", ""))),
            }
            for row in (self.preview or {}).get("rows", [])
        ]

    @property
    def percent(self) -> int:
        if self.status in {self.Status.DONE, self.Status.CHECKED}:
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class CurrentStatus(models.Model):
    """The current status of one State on one recommendation, kept as data.

    One row per pair with a current report (`ImplementationReport.objects.current()`, the one
    rule of which report is current); a pair without a row is "no information". Written only
    by `services.current_status_refresh` / `current_status_rebuild`, in the transaction that
    validates a report, so pages read a pair's status by its key instead of searching every
    validated report of the pair. `manage.py rebuild_current_status --check` compares it with
    the reports.
    """

    state = models.ForeignKey(
        "states.State", verbose_name=_("State"), on_delete=models.PROTECT, related_name="+"
    )
    recommendation = models.ForeignKey(
        Recommendation, verbose_name=_("recommendation"), on_delete=models.PROTECT, related_name="+"
    )
    report = models.OneToOneField(
        ImplementationReport,
        verbose_name=_("current report"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=24, choices=ImplementationStatus.choices)
    as_of = models.DateField(_("status as of"))
    validated_at = models.DateTimeField(_("validated"))

    class Meta:
        verbose_name = _("current status")
        verbose_name_plural = _("current statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "recommendation"], name="current_status_one_per_pair"
            ),
        ]
        indexes = [
            # The status matrix, a recommendation's States and the figures per recommendation.
            models.Index(fields=["recommendation", "status"], name="current_status_rec"),
            # A State's page and its figures.
            models.Index(fields=["state", "status"], name="current_status_state"),
        ]

    def __str__(self) -> str:
        return f"{self.state_id}/{self.recommendation_id}: {self.status}"
