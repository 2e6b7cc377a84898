from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.reference_data import ReferenceDataModel

from .names import state_name_active


class RegionalGroup(ReferenceDataModel):
    """One of the five United Nations regional groups."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=10, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StateQuerySet(models.QuerySet["State"]):
    def parties(self) -> StateQuerySet:
        return self.filter(protocol_status=StateProtocolStatus.PARTY)


class StateKind(models.TextChoices):
    MEMBER_STATE = "member_state", _("United Nations Member State")
    OBSERVER_STATE = "observer_state", _("Non-member observer State")
    REGIONAL_ORGANIZATION = (
        "regional_organization",
        _("Regional economic integration organization"),
    )


class StateProtocolStatus(models.TextChoices):
    PARTY = "party", _("Party")
    SIGNATORY = "signatory", _("Signatory")
    NOT_PARTY = "not_party", _("Not party")
    UNKNOWN = "unknown", _("Unknown")


class StateConsentKind(models.TextChoices):
    """How the State became party, as the UN Treaty Collection marks it."""

    RATIFICATION = "ratification", _("Ratification")
    ACCESSION = "accession", _("Accession (a)")
    ACCEPTANCE = "acceptance", _("Acceptance (A)")
    APPROVAL = "approval", _("Approval (AA)")
    SUCCESSION = "succession", _("Succession (d)")
    DEPOSIT = "deposit", _("Deposit of an instrument (kind not stated)")


class State(ReferenceDataModel):
    """A State (or the European Union) that is or may become party to the Protocol.

    `code` is what URLs and the API use: the ISO 3166-1 alpha-3 code for States; the European
    Union has none, so it uses "EU", its exceptionally reserved ISO 3166-1 alpha-2 code.
    """

    Kind = StateKind

    ProtocolStatus = StateProtocolStatus

    ConsentKind = StateConsentKind

    code = models.CharField(_("code"), max_length=3, unique=True)
    # NULL rather than "" where a code does not exist (the EU has no alpha-3), so that the
    # unique constraints hold for the codes that do.
    iso3 = models.CharField(
        _("ISO 3166-1 alpha-3"), max_length=3, unique=True, null=True, blank=True
    )
    iso2 = models.CharField(
        _("ISO 3166-1 alpha-2"), max_length=2, unique=True, null=True, blank=True
    )
    name = models.CharField(_("United Nations name"), max_length=120, unique=True)
    other_names = models.JSONField(
        _("other names"),
        default=list,
        blank=True,
        help_text=_('Names the documents use besides the UN name ("Turkey", "Czech Republic").'),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    regional_group = models.ForeignKey(
        RegionalGroup,
        verbose_name=_("regional group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="states",
    )
    regional_group_note = models.TextField(_("regional group note"), blank=True)
    protocol_status = models.CharField(
        _("Protocol status"),
        max_length=10,
        choices=ProtocolStatus.choices,
        default=ProtocolStatus.UNKNOWN,
    )
    protocol_signature_date = models.DateField(
        _("signature of the Protocol"), null=True, blank=True
    )
    protocol_consent_date = models.DateField(
        _("ratification, accession, acceptance, approval or succession"), null=True, blank=True
    )
    protocol_consent_kind = models.CharField(
        _("kind of consent"), max_length=12, choices=ConsentKind.choices, blank=True
    )
    protocol_status_source = models.TextField(
        _("source of the Protocol status"),
        blank=True,
        help_text=_(
            "The documents the status and dates come from: addresses separated by “ ; ”, "
            "or a reference to the document a correction rests on."
        ),
    )
    protocol_status_note = models.TextField(
        _("note on the Protocol status"),
        blank=True,
        help_text=_(
            "What the sources say beyond the dates: where a date or kind comes from, why the "
            "status is unknown."
        ),
    )

    # StateQuerySet's manager in place of the plain one ReferenceDataModel declares.
    objects = StateQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["protocol_status", "regional_group"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=StateKind.values), name="state_kind_valid"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2,3}$"), name="state_code_is_upper_case_letters"
            ),
            models.CheckConstraint(
                condition=Q(protocol_status__in=StateProtocolStatus.values),
                name="state_protocol_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(protocol_consent_kind__in=["", *StateConsentKind.values]),
                name="state_protocol_consent_kind_valid",
            ),
            models.CheckConstraint(
                # Only a party has consented to be bound; its date may be unknown.
                condition=Q(protocol_consent_date__isnull=True) | Q(protocol_status="party"),
                name="state_consent_date_only_for_parties",
            ),
            models.CheckConstraint(
                # Likewise its kind of consent.
                condition=Q(protocol_consent_kind="") | Q(protocol_status="party"),
                name="state_consent_kind_only_for_parties",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The State's name in the active language (states/names.py: the UN's short name
        where the data gives one, else CLDR's); `name` stays the UN English name, which
        imports and look-ups rely on."""
        return state_name_active(code=self.code, iso2=self.iso2, name=self.name)

    @property
    def protocol_sources(self) -> list[tuple[str, str]]:
        """The sources of the Protocol status as (label, address) pairs for links: the address
        is blank for a source that is not one (a Secretariat correction citing a document).

        The label is the address's site ("treaties.un.org"), numbered where a site recurs:
        short enough for a phone's width, where the addresses themselves are not.
        """
        entries = [part.strip() for part in self.protocol_status_source.split(" ; ")]
        sites = [(urlsplit(entry).hostname or "").removeprefix("www.") for entry in entries]
        pairs: list[tuple[str, str]] = []
        for entry, site in zip(entries, sites, strict=True):
            if not entry:
                continue
            if not (entry.startswith(("http://", "https://")) and site):
                pairs.append((entry, ""))
                continue
            label = site
            if sites.count(site) > 1:
                seen = sum(1 for earlier, _address in pairs if earlier.startswith(f"{site} ("))
                label = f"{site} ({seen + 1})"
            pairs.append((label, entry))
        return pairs


class StateAliasKind(models.TextChoices):
    STATE = "state", _("a State")
    ORGANIZATION = "organization", _("an organization")
    SKIP = "skip", _("a name to ignore")


class StateAlias(models.Model):
    """A name a report uses in place of a State's, as the Secretariat resolved it.

    The data files give each State its `other_names`; these are the names staff resolved while
    importing a report (or with `import_report --alias`): a State, an organization, or a name
    to ignore. Names match without regard to case.
    """

    Kind = StateAliasKind

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("stands for"), max_length=12, choices=Kind.choices)
    state = models.ForeignKey(
        State,
        verbose_name=_("State"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="aliases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("resolved at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("name resolved by the Secretariat")
        verbose_name_plural = _("names resolved by the Secretariat")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="state_alias_name_unique_any_case"),
            models.CheckConstraint(
                condition=Q(kind__in=StateAliasKind.values), name="state_alias_kind_valid"
            ),
            models.CheckConstraint(
                # A State's alias names its State; an organization or a skipped name none.
                condition=Q(kind="state", state__isnull=False)
                | (~Q(kind="state") & Q(state__isnull=True)),
                name="state_alias_state_only_for_states",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProtocolDepositaryCount(ReferenceDataModel):
    """The depositary's own count of the Protocol's participants on a date.

    The Secretary-General of the United Nations is the depositary; the UN Treaty Collection
    publishes the count. It is kept beside the States' records because those identify fewer
    parties than the depositary counts (see data/README.md): pages show both, with the date.
    """

    as_of = models.DateField(_("as of"), unique=True)
    parties = models.PositiveSmallIntegerField(_("parties"))
    signatories = models.PositiveSmallIntegerField(_("signatories"))
    url = models.URLField(_("the depositary's page"), max_length=300)
    source = models.TextField(_("source"), help_text=_("Where the figures were read."))

    class Meta:
        ordering = ["-as_of"]
        get_latest_by = "as_of"
        verbose_name = _("depositary's count of the Protocol's participants")
        verbose_name_plural = _("depositary's counts of the Protocol's participants")

    def __str__(self) -> str:
        return f"{self.parties} parties, {self.signatories} signatories ({self.as_of})"


class ContactPointKind(models.TextChoices):
    NATIONAL_AUTHORITY = "national_authority", _("National authority")
    CONTACT_POINT = "contact_point", _("Contact point")


class ContactPoint(models.Model):
    """A national authority or contact point (2020 Recommendation 3 asks for such directories)."""

    Kind = ContactPointKind

    state = models.ForeignKey(
        State, verbose_name=_("State"), on_delete=models.PROTECT, related_name="contact_points"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    authority = models.CharField(_("authority or office"), max_length=200)
    name = models.CharField(_("person"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["state__name", "authority"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ContactPointKind.values), name="contact_point_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority} ({self.state})"
