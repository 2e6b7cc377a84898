from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Expression, Q
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.reference_data import ReferenceDataModel
from core.translation import content_language


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


# The fields a recommendation is searched in, most telling first, with their full-text weights
# (recommendations/search.py ranks with them).
SEARCHED_TEXT_FIELDS = (("text", "A"), ("chapeau", "B"), ("section_title", "C"))
SEARCH_CONFIG = "english"


@deconstructible(path="recommendations.models.SearchDocument")
class SearchDocument(Expression):
    """A recommendation's weighted full-text vector on PostgreSQL (text A, chapeau B,
    section title C, English configuration), stored by the database in `search_document`.

    Stored rather than computed in each query: the ranking tests the vector against several
    queries per row (recommendations/search.py), and a computed vector would be rebuilt from
    the texts at every test. SQLite has no full-text vectors: there the column holds NULL and
    the search reads the texts themselves.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return "NULL", []

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        vector: Any = None
        for name, weight in SEARCHED_TEXT_FIELDS:
            part = SearchVector(name, weight=weight, config=SEARCH_CONFIG)
            vector = part if vector is None else vector + part
        return compiler.compile(vector.resolve_expression(compiler.query))


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


@dataclass(frozen=True)
class DisplayedText:
    """The text of a recommendation a reader is shown in one language: the official text in
    that language when recorded, else the English text with `missing` set, so that a page
    says so and a client never mistakes English for an official translation."""

    text: str
    chapeau: str
    section_title: str
    # The language the text is in, and the document it comes from.
    language: str
    source: str
    # The official text in the language asked for is not recorded; this is the English one.
    missing: bool = False


_NOT_ANNOTATED = object()


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
    search_document = models.GeneratedField(
        expression=SearchDocument(), output_field=SearchVectorField(), db_persist=True
    )

    # The search vector is derived from the texts the history already keeps.
    history = HistoricalRecords(m2m_fields=[themes], excluded_fields=["search_document"])

    class Meta:
        ordering = ["meeting__ordinal", "status", "order"]
        indexes = [
            models.Index(fields=["status", "meeting"]),
            models.Index(fields=["strength"]),
            models.Index(fields=["addressee"]),
            # The recommendations of a status without reading their rows: a theme's counts
            # join only those that are not adopted.
            models.Index(fields=["status", "id"], name="recommendation_status_id"),
            # The newest created first: the feed's recommendations written without history.
            models.Index(fields=["created_at"], name="recommendation_created_at"),
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
    def displayed(self) -> DisplayedText:
        """The text in the active language (see DisplayedText).

        Reads the `language_version` annotation of `selectors.with_text_in` (no query), else
        the prefetched `language_versions`, else one query.
        """
        language = content_language()
        english = DisplayedText(self.text, self.chapeau, self.section_title, "en", self.source)
        if language == "en":
            return english
        version: Any = getattr(self, "language_version", _NOT_ANNOTATED)
        if version is _NOT_ANNOTATED:
            found = next((v for v in self.language_versions.all() if v.language == language), None)
            version = (
                {
                    "text": found.text,
                    "chapeau": found.chapeau,
                    "section_title": found.section_title,
                    "source": found.source,
                }
                if found is not None
                else None
            )
        if not version:
            return DisplayedText(
                self.text, self.chapeau, self.section_title, "en", self.source, missing=True
            )
        return DisplayedText(
            version["text"],
            version["chapeau"] or "",
            version["section_title"] or "",
            language,
            version["source"],
        )

    @property
    def display_label(self) -> str:
        if self.status == self.Status.PROPOSED:
            return _("Proposal %(label)s") % {"label": self.label}
        return _("Recommendation %(label)s") % {"label": self.label}


class ThesaurusEntry(models.Model):
    """Terms that mean the same thing to someone searching: word forms ("smuggler",
    "smuggling"), abbreviations ("JIT", "joint investigation teams"), synonyms, and the same
    term in other languages ("entraide judiciaire", "mutual legal assistance").

    Data the Secretariat keeps in the admin (written through
    `services.thesaurus_entry_save`): a search for any term of an entry also finds the
    others, ranked just below the term as typed (see recommendations/search.py).
    """

    terms = models.TextField(
        _("terms"),
        help_text=_(
            "One term per line: a word, a phrase or an abbreviation, in any language. A "
            "search for any of them also finds the others."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("thesaurus entry")
        verbose_name_plural = _("thesaurus entries")
        ordering = ["terms"]

    def __str__(self) -> str:
        return " / ".join(self.term_list)

    @property
    def term_list(self) -> list[str]:
        return [line.strip() for line in self.terms.splitlines() if line.strip()]


class SearchWord(models.Model):
    """One word of the searchable texts (recommendations, documents, agenda items): the
    lexicon the search corrects misspellings and finds other forms of a word from.

    Derived data, kept by `services.search_words_record` as texts are saved and rebuilt by
    `services.search_words_rebuild`; on PostgreSQL a trigram index (pg_trgm, migration
    0007) answers "which words look like this one".
    """

    word = models.CharField(max_length=60, unique=True)
    key = models.CharField(
        max_length=60, db_index=True, help_text="core.text.word_key(word): shared by its forms."
    )

    class Meta:
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class TextLanguage(models.TextChoices):
    """The official languages a recommendation's text is recorded in besides English, whose
    text is the recommendation's own."""

    ARABIC = "ar", _("Arabic")
    CHINESE = "zh-hans", _("Chinese")
    FRENCH = "fr", _("French")
    RUSSIAN = "ru", _("Russian")
    SPANISH = "es", _("Spanish")


# The PostgreSQL text search configuration of each language: its stemmer where PostgreSQL has
# one; Arabic and Chinese are split on spaces only ("simple"), and a trigram index on the
# text finds the words and characters inside them (recommendations/search.py).
TEXT_SEARCH_CONFIGS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "ru": "russian",
    "ar": "simple",
    "zh-hans": "simple",
}
TRIGRAM_LANGUAGES = ("ar", "zh-hans")


@deconstructible(path="recommendations.models.LanguageSearchDocument")
class LanguageSearchDocument(Expression):
    """A language version's weighted vector (text A, chapeau B, section title C) in its own
    language's configuration, stored by PostgreSQL in `RecommendationText.search_document`.

    The configuration is chosen per row from the `language` column, with literal
    configurations only, so that the expression stays immutable as a generated column must
    be. NULL on SQLite, where the search reads the texts themselves.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return "NULL", []

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        branches = " ".join(
            f"WHEN '{code}' THEN {self._vector(config)}"
            for code, config in TEXT_SEARCH_CONFIGS.items()
            if code != "en"
        )
        return f'(CASE "language" {branches} ELSE {self._vector("simple")} END)', []

    @staticmethod
    def _vector(config: str) -> str:
        parts = [
            f"setweight(to_tsvector('{config}'::regconfig, COALESCE(\"{name}\", '')), '{weight}')"
            for name, weight in SEARCHED_TEXT_FIELDS
        ]
        return "(" + " || ".join(parts) + ")"


class RecommendationText(models.Model):
    """A recommendation's official text in another UN language, with the document it is
    copied from. English is the recommendation's own text; the other languages are recorded
    by the Secretariat or imported from the report's language version, never translated by
    machine (`services.recommendation_text_record`)."""

    Language = TextLanguage

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="language_versions",
    )
    language = models.CharField(_("language"), max_length=8, choices=TextLanguage.choices)
    chapeau = models.TextField(
        _("chapeau"), blank=True, help_text=_("The sentence the lettered items hang from.")
    )
    section_title = models.TextField(_("section title"), blank=True)
    text = models.TextField(_("text"))
    source = models.CharField(
        _("source"),
        max_length=500,
        help_text=_(
            "The document symbol or the address of the official version in this language, "
            "for example CTOC/COP/WG.7/2020/4."
        ),
    )
    entered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_document = models.GeneratedField(
        expression=LanguageSearchDocument(), output_field=SearchVectorField(), db_persist=True
    )

    class Meta:
        verbose_name = _("text in another language")
        verbose_name_plural = _("texts in other languages")
        ordering = ["recommendation_id", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "language"], name="recommendation_text_one_per_language"
            ),
            models.CheckConstraint(
                condition=Q(language__in=TextLanguage.values),
                name="recommendation_text_language_valid",
            ),
            models.CheckConstraint(
                condition=~Q(source=""), name="recommendation_text_source_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} [{self.language}]"


class RecommendationNeighbour(models.Model):
    """One of the recommendations whose text is closest to a recommendation's, with its
    similarity score and its rank (1 is the closest).

    Derived data, computed in the background when texts change (recommendations/similarity.py,
    `recommendation_neighbours_refresh`) so that a page reads its neighbours instead of
    fitting a model: kept out of the history, and rebuilt whole by
    `manage.py rebuild_recommendation_neighbours`.
    """

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="neighbour_rows",
        # The unique constraint and the rank index both lead with this column.
        db_index=False,
    )
    neighbour = models.ForeignKey(
        Recommendation,
        verbose_name=_("similar recommendation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The cosine as computed, unrounded, so that an incremental refresh ranks newly computed
    # scores against stored ones exactly as a full rebuild would.
    score = models.FloatField(_("similarity"))
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        verbose_name = _("similar recommendation")
        verbose_name_plural = _("similar recommendations")
        ordering = ["recommendation_id", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "neighbour"], name="recommendation_neighbour_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["recommendation", "rank"], name="recommendation_neighbour_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} ~ {self.neighbour_id} ({self.rank})"
