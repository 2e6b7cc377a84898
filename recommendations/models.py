from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wgsom.reference_data import ReferenceDataModel

from .storage import PrivateAttachmentStorage


class Theme(ReferenceDataModel):
    """One of the nine themes of the Secretariat's thematic compendium, with its key topics."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    key_topics = models.JSONField(_("key topics"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order in the compendium"), default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class RecommendationStatus(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    DRAFT = "draft", _("Text of a draft report")
    PROPOSED = "proposed", _("Proposed")


class RecommendationAddressee(models.TextChoices):
    STATES_PARTIES = "states_parties", _("States parties")
    STATES = "states", _("States")
    SECRETARIAT = "secretariat", _("The Secretariat (UNODC)")


class RecommendationStrength(models.TextChoices):
    SHOULD = "should", _("Should (firm)")
    ENCOURAGED = "encouraged", _("Are encouraged to (encouraging)")
    MAY_CONSIDER = "may_consider", _("May consider (permissive)")


class Recommendation(ReferenceDataModel):
    """A recommendation: adopted in a report, text of a draft report, or proposed by a State."""

    Status = RecommendationStatus

    Addressee = RecommendationAddressee

    Strength = RecommendationStrength

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    section = models.CharField(_("section"), max_length=4, blank=True)
    section_title = models.TextField(_("section title"), blank=True)
    label = models.CharField(_("label"), max_length=20)
    chapeau = models.TextField(
        _("chapeau"), blank=True, help_text=_("The sentence the lettered items hang from.")
    )
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    proposer = models.ForeignKey(
        "states.State",
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposed_recommendations",
    )
    adopted_as = models.ForeignKey(
        "self",
        verbose_name=_("became"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        help_text=_("The adopted recommendation this proposal became."),
    )
    addressee = models.CharField(_("addressee"), max_length=16, choices=Addressee.choices)
    strength = models.CharField(_("strength of language"), max_length=12, choices=Strength.choices)
    legal_references = models.JSONField(
        _("legal provisions cited"),
        default=list,
        blank=True,
        help_text=_('For example [{"instrument": "convention", "article": 19}].'),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="recommendations"
    )
    order = models.PositiveSmallIntegerField(_("order in its source"), default=0)
    source = models.TextField(_("source document"), blank=True)
    # Optimistic concurrency: every save through the services adds one, and a save based on
    # an older number is refused (see recommendations/services.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["meeting__ordinal", "status", "order"]
        indexes = [
            models.Index(fields=["status", "meeting"]),
            models.Index(fields=["strength"]),
            models.Index(fields=["addressee"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RecommendationStatus.values),
                name="recommendation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(addressee__in=RecommendationAddressee.values),
                name="recommendation_addressee_valid",
            ),
            models.CheckConstraint(
                condition=Q(strength__in=RecommendationStrength.values),
                name="recommendation_strength_valid",
            ),
            # A report's labels are unique within its meeting; proposals are numbered by their
            # proposer, so two proposers may both have a "1".
            models.UniqueConstraint(
                fields=["meeting", "label"],
                condition=~Q(status="proposed"),
                name="recommendation_unique_label_in_meeting",
            ),
            models.UniqueConstraint(
                fields=["meeting", "proposer", "label"],
                condition=Q(status="proposed"),
                name="proposal_unique_label_per_proposer",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(proposer__isnull=True),
                name="only_proposals_have_a_proposer",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(adopted_as__isnull=True),
                name="only_proposals_become_adopted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_label} ({self.meeting.year})"

    @property
    def display_label(self) -> str:
        if self.status == self.Status.PROPOSED:
            return _("Proposal %(label)s") % {"label": self.label}
        return _("Recommendation %(label)s") % {"label": self.label}


class ImplementationStatus(models.TextChoices):
    """What a State reports. "No information" is derived (no validated report), never stored."""

    IMPLEMENTED = "implemented", _("Implemented")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Partially implemented")
    IN_PROGRESS = "in_progress", _("In progress")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# What a State with no validated report on a recommendation shows: derived, never stored.
NO_INFORMATION = "no_information"
NO_INFORMATION_LABEL = _("No information")


class ImplementationReportQuerySet(models.QuerySet):
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

    def delete(self):  # type: ignore[override]
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


class ImplementationReport(models.Model):
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
