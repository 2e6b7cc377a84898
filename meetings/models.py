from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.fulltext import WeightedVector
from core.reference_data import ReferenceDataModel

# The fields the search reads, with their full-text weights (English configuration).
AGENDA_ITEM_SEARCHED_FIELDS = (("title", "A"),)
DOCUMENT_SEARCHED_FIELDS = (("title", "A"), ("summary", "B"))


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid (in person and online)")
    ONLINE = "online", _("Online")
    UNKNOWN = "unknown", _("Not recorded")


class Meeting(ReferenceDataModel):
    """A meeting of the Working Group, numbered as the Conference numbers them (1st, 2nd, ...)."""

    Format = MeetingFormat

    ordinal = models.PositiveSmallIntegerField(_("ordinal"), unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    start_date = models.DateField(_("first day"), null=True, blank=True)
    end_date = models.DateField(_("last day"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=100, blank=True)
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.UNKNOWN
    )
    chair = models.CharField(_("chair"), max_length=200, blank=True)
    chair_state = models.ForeignKey(
        "states.State",
        verbose_name=_("chair's State"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sources = models.TextField(_("sources"), blank=True)

    class Meta:
        ordering = ["ordinal"]
        constraints = [
            models.CheckConstraint(
                condition=Q(format__in=MeetingFormat.values), name="meeting_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date"))
                | Q(end_date__isnull=True)
                | Q(start_date__isnull=True),
                name="meeting_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return _("%(ordinal)s meeting (%(year)s)") % {
            "ordinal": ordinal_in_language(self.ordinal),
            "year": self.year,
        }


def ordinal_en(number: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th": how UN documents number meetings."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def ordinal_in_language(number: int) -> str:
    """A meeting's ordinal in the active language, as that language's UN documents write it
    before the word for "meeting": "7th", "7e" ("1re", réunion being feminine), "7.ª", and
    in Russian 7 followed by a hyphen and a Cyrillic e (the word for meeting is neuter).
    Arabic and Chinese place the plain number in the sentence ("第7次会议"), which their
    catalogues' strings do."""
    language = (get_language() or "en").split("-")[0]
    if language == "fr":
        return f"{number}re" if number == 1 else f"{number}e"
    if language == "es":
        return f"{number}.ª"
    if language == "ru":
        return f"{number}-\u0435"  # Cyrillic e
    if language in ("ar", "zh"):
        return str(number)
    return ordinal_en(number)


class AgendaItem(ReferenceDataModel):
    """An agenda item ("2") or a lettered sub-item ("1 (a)", whose parent is item 1)."""

    children: list[AgendaItem]  # its sub-items, set by meetings.selectors.meeting_agenda

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    sub_letter = models.CharField(_("sub-item letter"), max_length=1, blank=True)
    # Blank where a source names the item without its title (the 2018 addendum).
    title = models.TextField(_("title"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_items",
    )
    # The search's (recommendations/search.py), with its GIN index (migration 0005).
    search_document = models.GeneratedField(
        expression=WeightedVector(AGENDA_ITEM_SEARCHED_FIELDS),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["meeting__ordinal", "number", "sub_letter"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number", "sub_letter"], name="agenda_item_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(sub_letter="") | Q(sub_letter__regex=r"^[a-z]$"),
                name="agenda_item_sub_letter_is_a_letter",
            ),
        ]

    @property
    def label(self) -> str:
        return f"{self.number} ({self.sub_letter})" if self.sub_letter else str(self.number)

    def __str__(self) -> str:
        if not self.title:
            return _("Agenda item %(label)s") % {"label": self.label}
        return f"{self.label}. {self.title}"


class OrganizationKind(models.TextChoices):
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organization")
    UN_ENTITY = "un_entity", _("United Nations entity")
    OTHER_ENTITY = "other_entity", _("Entity with a permanent observer office")


class Organization(ReferenceDataModel):
    """An intergovernmental organization, United Nations entity or other observer entity."""

    Kind = OrganizationKind

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values), name="organization_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DocumentKind(models.TextChoices):
    PROVISIONAL_AGENDA = "provisional_agenda", _("Annotated provisional agenda")
    BACKGROUND_PAPER = "background_paper", _("Background paper")
    REPORT = "report", _("Report")
    LIST_OF_PARTICIPANTS = "list_of_participants", _("List of participants")
    OTHER = "other", _("Other")


class Document(ReferenceDataModel):
    """A document with a UN symbol: agenda, background paper, report, list of participants."""

    Kind = DocumentKind

    symbol = models.CharField(_("symbol"), max_length=60, unique=True)
    title = models.TextField(_("title"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    themes = models.ManyToManyField(
        "recommendations.Theme", verbose_name=_("themes"), blank=True, related_name="documents"
    )
    summary = models.TextField(_("summary"), blank=True)
    # The search's (recommendations/search.py), with its GIN index (migration 0005).
    search_document = models.GeneratedField(
        expression=WeightedVector(DOCUMENT_SEARCHED_FIELDS),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["symbol"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="document_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.symbol


class ParticipationCapacity(models.TextChoices):
    PARTY = "party", _("Party to the Protocol")
    SIGNATORY_OBSERVER = "signatory_observer", _("Signatory State (observer)")
    NON_PARTY_OBSERVER = "non_party_observer", _("Non-party State (observer)")
    ORGANIZATION_OBSERVER = (
        "organization_observer",
        _("Intergovernmental organization or United Nations entity (observer)"),
    )
    OTHER_ENTITY_OBSERVER = "other_entity_observer", _("Other entity (observer)")


class Participation(ReferenceDataModel):
    """Who attended a meeting, and in which capacity (as the report's attendance section)."""

    Capacity = ParticipationCapacity

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participations"
    )
    capacity = models.CharField(_("capacity"), max_length=24, choices=Capacity.choices)
    state = models.ForeignKey(
        "states.State",
        verbose_name=_("State"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )

    class Meta:
        ordering = ["meeting__ordinal", "capacity"]
        indexes = [models.Index(fields=["meeting", "capacity"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__in=ParticipationCapacity.values),
                name="participation_capacity_valid",
            ),
            models.CheckConstraint(
                condition=Q(state__isnull=False, organization__isnull=True)
                | Q(state__isnull=True, organization__isnull=False),
                name="participation_state_xor_organization",
            ),
            models.UniqueConstraint(fields=["meeting", "state"], name="participation_unique_state"),
            models.UniqueConstraint(
                fields=["meeting", "organization"], name="participation_unique_organization"
            ),
        ]

    @property
    def participant(self):
        return self.state or self.organization

    def __str__(self) -> str:
        return f"{self.participant} at {self.meeting}"


class StatementKind(models.TextChoices):
    PANEL = "panel", _("Panel presentation")
    NATIONAL = "national", _("Statement by a party")
    OBSERVER = "observer", _("Statement by an observer")
    SECRETARIAT = "secretariat", _("Statement by the Secretariat")


class Statement(ReferenceDataModel):
    """A statement made at a meeting: a panellist's presentation, or a national statement."""

    Kind = StatementKind

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="statements"
    )
    agenda_items = models.ManyToManyField(
        AgendaItem, verbose_name=_("agenda items"), related_name="statements"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    state = models.ForeignKey(
        "states.State",
        verbose_name=_("State"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
    )
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    speaker_title = models.CharField(_("speaker's position"), max_length=300, blank=True)
    on_behalf_of = models.ForeignKey(
        "states.RegionalGroup",
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["meeting__ordinal", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=StatementKind.values), name="statement_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["meeting", "kind", "order"], name="statement_unique_order"
            ),
        ]

    def __str__(self) -> str:
        who = self.speaker or self.state or self.organization or _("the Secretariat")
        return f"{who} ({self.get_kind_display()}, {self.meeting})"
