from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.reference_data import ReferenceDataModel


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
