"""Writes for recommendations: the admin and the importers call these, so every write path
bumps `version` and keeps the history. Also the writes of the search's own data: the
thesaurus the Secretariat keeps, and the lexicon of the texts' words."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.roles import is_secretariat
from core.services import check_version, model_update, save_with_history
from core.text import word_key, words
from meetings.models import AgendaItem, Document

from .models import Recommendation, RecommendationText, SearchWord, ThesaurusEntry

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def recommendation_save(
    *, recommendation: Recommendation, by: User, version: int | None
) -> Recommendation:
    """Save a recommendation edited in a form (the admin), refusing a stale copy.

    `recommendation` carries the edited values; `version` is the version the editor started
    from (None for a new recommendation).
    """
    if recommendation.pk is not None:
        current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        check_version(current, version)
        recommendation.version = current.version + 1
    save_with_history(recommendation, by=by, reason=gettext_noop("edited"))
    return recommendation


@transaction.atomic
def recommendation_update(
    *, recommendation: Recommendation, by: User, version: int, **fields: Any
) -> Recommendation:
    """Change some fields of a recommendation (themes as a list), refusing a stale copy.

    Only what differs is written, with one more `version` and a history entry; an update that
    changes nothing writes nothing.
    """
    if not is_secretariat(by):
        raise PermissionDenied(_("Only the Secretariat edits recommendations."))
    current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    check_version(current, version)
    current, _changed = model_update(
        instance=current, fields=list(fields), data=fields, by=by, reason=gettext_noop("edited")
    )
    return current


# --- Search: thesaurus and lexicon ---------------------------------------------------------

# The fields whose words the search reads, by model (recommendations/search.py searches them).
SEARCHED_FIELDS: dict[type[Any], tuple[str, ...]] = {
    Recommendation: ("text", "chapeau", "section_title"),
    Document: ("title", "summary"),
    AgendaItem: ("title",),
}
_LONGEST_WORD = SearchWord._meta.get_field("word").max_length or 60


@transaction.atomic
def recommendation_text_record(
    *,
    recommendation: Recommendation,
    language: str,
    text: str,
    source: str,
    chapeau: str = "",
    section_title: str = "",
    by: User | None,
) -> RecommendationText:
    """Record a recommendation's official text in `language`, or replace the one on record.

    English is the recommendation's own text and is not recorded here. `source` (the
    document symbol or address of the official version in that language) is required: a
    reader must be able to check the text against the document, and a text without one
    could be anybody's translation. `by` is the Secretariat member entering it, or None for
    an import run from the command line. The admin and the report importer both call this.
    """
    if by is not None and not is_secretariat(by):
        raise PermissionDenied(_("Only the Secretariat records texts in other languages."))
    if language not in RecommendationText.Language.values:
        raise ValidationError(
            {
                "language": _("Texts are recorded in %(languages)s; English is the text itself.")
                % {"languages": ", ".join(RecommendationText.Language.values)}
            }
        )
    version = (
        RecommendationText.objects.select_for_update()
        .filter(recommendation=recommendation, language=language)
        .first()
    ) or RecommendationText(recommendation=recommendation, language=language)
    version.text = text.strip()
    version.chapeau = chapeau.strip()
    version.section_title = section_title.strip()
    version.source = source.strip()
    if by is not None:
        version.entered_by = by
    version.full_clean(exclude=["search_document"])
    version.save()
    _touch(recommendation)
    return version


def _touch(recommendation: Recommendation) -> None:
    # What the API says of the recommendation changed (its text in one language): clients
    # that sync with `updated_since` or Last-Modified must see it. Not a new version: the
    # English fields an editor may have open are unchanged.
    Recommendation.objects.filter(pk=recommendation.pk).update(updated_at=timezone.now())


@transaction.atomic
def recommendation_text_delete(*, version: RecommendationText, by: User) -> None:
    """Remove a language version recorded by mistake: the page then shows the English text
    with the note that the official text is not recorded yet."""
    if not is_secretariat(by):
        raise PermissionDenied(_("Only the Secretariat records texts in other languages."))
    recommendation = version.recommendation
    version.delete()
    _touch(recommendation)


def thesaurus_terms_clean(terms: str) -> list[str]:
    """The terms of a thesaurus entry, one a line, checked: trimmed, blank lines and repeated
    terms dropped, each with a word in it, at least two (a term alone finds nothing more than
    itself). Raises ValidationError on `terms`."""
    cleaned: list[str] = []
    seen: set[str] = set()
    for line in terms.splitlines():
        term = " ".join(line.split())
        if not term:
            continue
        if not words(term):
            raise ValidationError({"terms": _("“%(term)s” has no word in it.") % {"term": term}})
        if term.casefold() not in seen:
            seen.add(term.casefold())
            cleaned.append(term)
    if len(cleaned) < 2:
        raise ValidationError(
            {"terms": _("Give at least two terms, one per line, that mean the same thing.")}
        )
    return cleaned


@transaction.atomic
def thesaurus_entry_save(*, entry: ThesaurusEntry, by: User) -> ThesaurusEntry:
    """Save a thesaurus entry (new or edited) with its terms checked
    (`thesaurus_terms_clean`). Only the Secretariat keeps the thesaurus; the next search
    reads it (searches read the thesaurus afresh, nothing is cached)."""
    if not is_secretariat(by):
        raise PermissionDenied(_("Only the Secretariat keeps the search thesaurus."))
    entry.terms = "\n".join(thesaurus_terms_clean(entry.terms))
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def thesaurus_entry_delete(*, entry: ThesaurusEntry, by: User) -> None:
    if not is_secretariat(by):
        raise PermissionDenied(_("Only the Secretariat keeps the search thesaurus."))
    entry.delete()


# The words gathered inside `search_words_collected`, None outside it.
_collected_words: ContextVar[set[str] | None] = ContextVar("collected_words", default=None)


@contextmanager
def search_words_collected() -> Iterator[None]:
    """Gather the words `search_words_record` is given inside the block and add them to the
    lexicon once, when it ends (one query instead of one per saved record).

    For writers that save many records in one transaction (load_wgsom); used inside that
    transaction, so the words still roll back with the records. Nothing is written when the
    block raises. A block inside another leaves the writing to the outer one.
    """
    if _collected_words.get() is not None:
        yield
        return
    token = _collected_words.set(set())
    try:
        yield
        gathered = _collected_words.get() or set()
    finally:
        _collected_words.reset(token)
    _search_words_add(gathered)


def search_words_record(*, texts: Iterable[str]) -> None:
    """Add the words of `texts` to the search lexicon (one query; none inside
    `search_words_collected`, which adds them when it ends).

    Called when a searched record is saved (recommendations/receivers.py), in the saving
    transaction, so a save that rolls back leaves no word behind. Words are only added: a word
    no text uses any more costs nothing but a suggestion that finds little, and
    `search_words_rebuild` clears those.
    """
    found = {w for text in texts for w in words(text or "") if len(w) <= _LONGEST_WORD}
    collected = _collected_words.get()
    if collected is not None:
        collected |= found
        return
    _search_words_add(found)


def _search_words_add(found: set[str]) -> None:
    if found:
        SearchWord.objects.bulk_create(
            [SearchWord(word=w, key=word_key(w)) for w in sorted(found)],
            batch_size=1000,
            ignore_conflicts=True,
        )


@transaction.atomic
def search_words_rebuild() -> int:
    """Rebuild the search lexicon from every searched text; returns how many words it holds.

    For after bulk writes that send no signal (`bulk_create`, raw SQL) and to drop the words
    no text uses any more.
    """
    texts: list[str] = []
    for model, fields in SEARCHED_FIELDS.items():
        for row in model.objects.values_list(*fields).iterator(chunk_size=2000):
            texts.extend(value or "" for value in row)
    SearchWord.objects.all().delete()
    search_words_record(texts=texts)
    return SearchWord.objects.count()
