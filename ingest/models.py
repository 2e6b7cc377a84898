"""The one record the ingest app keeps: a meeting report's import, run as Celery jobs.

Reading a report and comparing it with the records can take the parser's whole time budget
(INGEST_PARSE_SECONDS) and then a full dry run of the import; neither belongs in a web request.
The upload holds the file privately (core.uploads) and creates this row; a job reads the file
and stores the preview here; confirming queues a second job that reads the file again and
imports it, all or nothing. The job page reads this row, and only its uploader sees it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.jobs import Job


class ReportImportJob(Job):
    """One uploaded meeting report on its way from the upload to the records.

    Its `preview` is what the preview page shows, as plain JSON
    (ingest.import_jobs.preview_snapshot): the records by outcome, the changes and warnings
    (each list bounded), the names to resolve and the incoming recommendations with their
    closest matches by id.
    """

    class Status(models.TextChoices):
        # Waiting for a worker to read the file.
        QUEUED = "queued", _("queued")
        CHECKING = "checking", _("checking")
        # The preview is stored: waiting for the uploader to confirm.
        CHECKED = "checked", _("checked")
        # Confirmed: waiting for a worker to import.
        CONFIRMED = "confirmed", _("confirmed")
        IMPORTING = "importing", _("importing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Stage(models.TextChoices):
        """Where a running job is, for the progress shown while it works."""

        READING = "reading", _("Reading the file")
        COMPARING = "comparing", _("Comparing it with the records")
        SIMILAR = "similar", _("Finding recommendations already on record that are alike")
        IMPORTING = "importing", _("Writing the records")

    # The signed token of the held upload (core.uploads.hold_upload): only the uploader can
    # redeem it, and it expires with REPORT_IMPORT_PREVIEW_MAX_AGE, as the held file is purged.
    # Blank once the file is discarded (imported, refused, or nothing to import).
    upload_token = models.CharField(max_length=400, blank=True)
    # The choices made on the upload form. A report in another language than English gives
    # only the texts of the recommendations on record: it is imported without a preview.
    report_language = models.CharField(_("language of the report"), max_length=8, default="en")
    meeting_ordinal = models.PositiveSmallIntegerField(_("meeting number"), null=True, blank=True)
    update = models.BooleanField(_("overwrite records the Secretariat has edited"), default=False)
    # The uploader's page language: the preview's and the result's texts are written in it.
    language = models.CharField(_("language"), max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, blank=True)
    # What each name the preview could not resolve stands for, as confirmed.
    aliases = models.JSONField(_("names resolved"), default=dict, blank=True)
    # The import's outcome: the meeting's number and the records by outcome.
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta(Job.Meta):
        verbose_name = _("meeting report import")
        verbose_name_plural = _("meeting report imports")
        indexes = [models.Index(fields=["status", "created_at"], name="ingest_job_status_idx")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def working(self) -> bool:
        """A worker has this job queued or running: the page refreshes itself."""
        return self.status in {
            self.Status.QUEUED,
            self.Status.CHECKING,
            self.Status.CONFIRMED,
            self.Status.IMPORTING,
        }

    def steps(self) -> tuple[int, int]:
        """(the stage's number, how many stages) of the work under way: reading, comparing and
        finding alike recommendations for the preview; reading and writing for the import."""
        order: list[str]
        if self.status in {self.Status.CONFIRMED, self.Status.IMPORTING}:
            order = [self.Stage.READING, self.Stage.IMPORTING]
        else:
            order = [self.Stage.READING, self.Stage.COMPARING, self.Stage.SIMILAR]
        number = order.index(self.stage) + 1 if self.stage in order else 0
        return number, len(order)
