"""Search across recommendations, documents (background papers) and meetings' agenda items.

A query becomes a plan (`plan_query`), the same on every database:

- its words, less the stop words, grouped into clauses: a quoted phrase is one clause, a run
  of words that is a term of the thesaurus (`ThesaurusEntry`, kept by the Secretariat) is one
  clause, every other word is one; `a or b` makes one clause of two, `-word` excludes;
- each clause has alternatives, each with a credit (the table in docs/search.md): the words as
  typed and their other inflections (1.0), the other terms of a thesaurus entry (0.9: "JIT"
  finds "joint investigative teams", "procureurs" finds "prosecutors"), other forms of the word
  among the texts' own words (0.8 to 0.7: "preserving" finds "preservation", "cyber" finds
  "cyberspace"), and, for a word the texts lack, the same for its likeliest correction at 0.6
  of the credit ("extradtion" finds "extradition"), with a "did you mean" built from them.

A record matches when any alternative of any clause does (a ranked OR), and ranks by its
coverage: the sum of the best credit it earns in each clause, a match in a recommendation's
chapeau or section title earning less than one in its text. So every word matched ranks
first, then most words, then close forms and misspellings. Within a coverage the weighted
full-text rank decides (text above chapeau above section title). `search_rank` holds both: a
hundred times the coverage plus a rank below one, so one descending order serves the search
page, the list's word filter and the API's `?search=`.

In years of data a common word matches tens of thousands of recommendations, and grading all
of them costs hundreds of times the index search. So when more than SEARCH_CANDIDATES
recommendations match some clause and at least one holds every clause, the search keeps only
those that hold every clause (`SearchPlan.every_clause_only`; one query decides, on the
indexes), as a web search engine does; `match_any` (`?match=any` on the pages,
`?search_match=any` in the API) asks for the ranked OR all the same. A small collection (the
Working Group's own) never meets the threshold and is always ranked whole.

PostgreSQL matches with its full-text search on each recommendation's stored, weighted vector
(`Recommendation.search_document`, English configuration, GIN index of migration 0008;
agenda items' and documents' in meetings 0005), and
finds close words with pg_trgm's index on the lexicon (`SearchWord`, migration 0007). SQLite,
the newcomer's database, matches whole words with regular expressions and compares words in
Python (`core.text.trigram_similarity` is pg_trgm's measure): the same plan, ranked the same
way, without stemming beyond the lexicon's forms. Documents and agenda items are matched and
graded as recommendations are on PostgreSQL (`_ranked`), in Python on SQLite.

The texts exist in English only: every vector uses the English configuration. A query typed
on the French interface is read with French stop words and accents folded, and its French
terms reach the English texts through the thesaurus. `SEARCH_CONFIGS` names the configuration
of each United Nations language for the day texts in other languages are stored.

Highlighting is done in Python from the plan on both databases and never trusts the stored
text as HTML: matches are marked with two private-use characters, the text is escaped, and
only then are the markers turned into <mark>.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.text import (
    common_prefix_length,
    edit_distance,
    is_stop_word,
    trigram_similarity,
    unaccent,
    word_key,
    words,
)
from core.translation import content_language
from meetings.models import AgendaItem, Document

from .models import (
    TEXT_SEARCH_CONFIGS,
    TRIGRAM_LANGUAGES,
    Recommendation,
    RecommendationText,
    SearchWord,
    Theme,
    ThesaurusEntry,
)
from .selectors import themes_as_tags, with_text_in

# The PostgreSQL text search configuration of each United Nations language (Chinese has none:
# `simple` only folds case). The texts are stored in English.
SEARCH_CONFIGS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "ru": "russian",
    "ar": "arabic",
    "zh": "simple",
}
TEXT_LANGUAGE = "en"
SEARCH_CONFIG = SEARCH_CONFIGS[TEXT_LANGUAGE]

# Private-use code points: never in the documents, untouched by escape().
_START, _STOP = "\ue000", "\ue001"
RESULTS_PER_KIND = 50
MAX_CLAUSES = 12
# On PostgreSQL the search page ranks, counts by facet and highlights at most this many
# recommendations: the best by full-text rank, read from the GIN index. A common word matches
# tens of thousands of recommendations in years of data; grading each of them clause by
# clause costs many times the index search, and nobody reads past the first pages.
SEARCH_CANDIDATES = 1000

# What an alternative earns in its clause (see the module's docstring): the words typed (or
# inflected otherwise), a thesaurus term that extends the typed word, any other term of its
# entry, every word of a thesaurus term typed but apart, a derived form of the word in the
# texts, another form sharing a long beginning, and a correction of a word the texts lack.
EXACT, CLOSE_THESAURUS, THESAURUS, WORDS, DERIVED, FORM, SPELLING = (
    1.0,
    0.95,
    0.9,
    0.8,
    0.8,
    0.7,
    0.5,
)
# A word the texts lack is read as its likeliest correction, each alternative then earning
# this share of its credit; a correction must be this alike (pg_trgm's similarity, whose
# index finds the candidates on PostgreSQL), and a few are kept.
CORRECTION = 0.6
SPELLING_SIMILARITY = 0.3
SPELLING_CANDIDATES = 3
# What a word typed inside a thesaurus term earns where it is found (see SearchPlan.hints).
HINT = 0.05

# Fields searched, most telling first: their full-text weight, and what share of a clause's
# credit a match there earns. A recommendation's chapeau and section title are shared by
# every item under them, so a match there says less about the item than one in its text.
RECOMMENDATION_FIELDS = (("text", "A", 1.0), ("chapeau", "B", 0.5), ("section_title", "C", 0.4))
DOCUMENT_FIELDS = (("title", "A", 1.0), ("summary", "B", 0.8))
AGENDA_ITEM_FIELDS = (("title", "A", 1.0),)
Fields = tuple[tuple[str, str, float], ...]
# The SQLite fallback's stand-in for PostgreSQL's weights (its defaults for A, B, C).
_FALLBACK_WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2}


# --- The plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alternative:
    """One way a clause can match: a word, or a phrase (several words in a row)."""

    words: tuple[str, ...]
    credit: float
    source: str  # "query", "thesaurus", "words", "form" or "spelling"
    # A phrase needs its words in a row; otherwise they may be anywhere in the record.
    adjacent: bool = True

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def content_words(self) -> tuple[str, ...]:
        return tuple(w for w in self.words if not is_stop_word(w))


@dataclass
class Clause:
    """What one word, phrase or thesaurus term of the query asks for."""

    typed: str
    alternatives: list[Alternative] = field(default_factory=list)

    def add(self, alternative: Alternative) -> None:
        for i, known in enumerate(self.alternatives):
            if (known.words, known.adjacent) == (alternative.words, alternative.adjacent):
                if alternative.credit > known.credit:
                    self.alternatives[i] = alternative
                return
        if alternative.content_words:
            self.alternatives.append(alternative)

    def tiers(self) -> list[tuple[float, list[Alternative]]]:
        """The alternatives grouped by credit, best first."""
        by_credit: dict[float, list[Alternative]] = {}
        for alternative in self.alternatives:
            by_credit.setdefault(alternative.credit, []).append(alternative)
        return sorted(by_credit.items(), reverse=True)


@dataclass
class SearchPlan:
    """A query read: its clauses, what it excludes, and a suggestion when words were unknown."""

    query: str
    language: str
    clauses: list[Clause] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    # Words typed that no text and no thesaurus term holds.
    unknown: list[str] = field(default_factory=list)
    # The query with each unknown word replaced by the closest word of the texts, if any.
    suggestion: str | None = None
    # Words typed inside a thesaurus term: they do not decide what matches, but among equal
    # matches, a record that also holds them ranks higher.
    hints: list[Alternative] = field(default_factory=list)
    # Set by the search: more than SEARCH_CANDIDATES recommendations held some clause, so
    # only those holding every clause were kept (the pages then offer the rest).
    every_clause_only: bool = False
    # How many records the search kept, when the query deciding `every_clause_only` counted
    # them (None otherwise): a list's count, without counting again.
    match_count: int | None = None

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    def scored_clauses(self) -> list[Clause]:
        """The clauses, and each hint as a clause of its own worth `HINT`."""
        hinted = [Clause(typed=h.text, alternatives=[h]) for h in self.hints]
        return [*self.clauses, *hinted]

    def marked_words(self) -> tuple[set[str], set[str]]:
        """The words to highlight, and the word keys (any inflection of them highlights)."""
        plain: set[str] = set()
        for clause in self.clauses:
            for alternative in clause.alternatives:
                plain.update(unaccent(w) for w in alternative.content_words)
        return plain, {word_key(w) for w in plain}


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def plan_query(query: str, *, language: str | None = None) -> SearchPlan:
    """Read `query` into a plan (two queries: the thesaurus and the lexicon's candidates).

    `"a phrase"`, `a or b` and `-word` work as in a web search engine. `language` is the
    interface's (the active language by default).
    """
    language = (language or translation.get_language() or TEXT_LANGUAGE).split("-")[0]
    plan = SearchPlan(query=query.strip(), language=language)
    if not plan.query:
        return plan
    thesaurus = _Thesaurus(ThesaurusEntry.objects.values_list("terms", flat=True))

    run: list[str] = []  # consecutive free words, read together for thesaurus terms
    merge_next = False

    def flush() -> None:
        nonlocal merge_next
        for clause in thesaurus.clauses(run):
            _append(plan.clauses, clause, merge=merge_next)
            merge_next = False
        run.clear()

    for match in _TOKEN.finditer(plan.query):
        negated, phrase, token = match.group(1), match.group(2), match.group(3)
        if phrase is not None:
            flush()
            clause = _phrase_clause(phrase)
            if clause is not None:
                if negated:
                    plan.excluded.append(clause)
                else:
                    _append(plan.clauses, clause, merge=merge_next)
                    merge_next = False
        elif token.casefold() == "or" and (run or plan.clauses):
            flush()
            merge_next = True
        elif token.startswith("-") and len(token) > 1:
            flush()
            clause = _phrase_clause(token[1:])
            if clause is not None:
                plan.excluded.append(clause)
        else:
            run.extend(words(token))
    flush()
    del plan.clauses[MAX_CLAUSES:]
    for clause in plan.clauses:
        typed = clause.alternatives[0]
        if len(typed.content_words) > 1:
            plan.hints.extend(Alternative((w,), HINT, "hint") for w in typed.content_words)
    _expand_with_lexicon(plan, thesaurus)
    return plan


def _append(clauses: list[Clause], clause: Clause, *, merge: bool) -> None:
    if merge and clauses:
        previous = clauses[-1]
        previous.typed = f"{previous.typed} or {clause.typed}"
        for alternative in clause.alternatives:
            previous.add(alternative)
    else:
        clauses.append(clause)


def _phrase_clause(text: str) -> Clause | None:
    phrase = tuple(words(text))
    if not any(not is_stop_word(w) for w in phrase):
        return None
    clause = Clause(typed=" ".join(phrase))
    clause.add(Alternative(phrase, EXACT, "query"))
    return clause


def _keys(phrase: Sequence[str]) -> tuple[str, ...]:
    return tuple(word_key(w) for w in phrase)


def _term_credit(typed: tuple[str, ...], term: tuple[str, ...]) -> float:
    """What a thesaurus term earns for the words typed: the same words inflected otherwise
    are the words typed; a term that extends the typed word ("prosecutorial" for
    "prosecutors") is closer than the rest of its entry."""
    if _keys(term) == _keys(typed):
        return EXACT
    if len(term) == len(typed) == 1 and _extends(typed[0], term[0]):
        return CLOSE_THESAURUS
    return THESAURUS


def _extends(word: str, candidate: str) -> bool:
    """Whether the candidate's key begins with the word's (at least five letters): a form
    derived from the word, "prosecutorial" from "prosecutor", "collection" from "collect".
    Not the other way round: "prosecute" is not "prosecutors" made longer, and PostgreSQL's
    stemmer would let it find "prosecution" too."""
    first, second = word_key(word), word_key(candidate)
    return len(first) >= 5 and second.startswith(first)


class _Thesaurus:
    """The thesaurus's terms, looked up by the keys of their words (so "équipes communes
    d'enquête" finds the term "équipe commune d'enquête")."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.terms: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        self.longest = 1
        for entry in entries:
            terms = [tuple(words(line)) for line in entry.splitlines() if words(line)]
            for term in terms:
                self.terms.setdefault(_keys(term), []).extend(t for t in terms if t != term)
                self.longest = max(self.longest, len(term))

    def terms_for(self, typed: tuple[str, ...]) -> list[Alternative]:
        """The other terms of the entries holding `typed`, with what each earns."""
        return [
            Alternative(term, _term_credit(typed, term), "thesaurus")
            for term in self.terms.get(_keys(typed), [])
        ]

    def clauses(self, run: list[str]) -> list[Clause]:
        """The clauses of a run of free words: the longest thesaurus terms first, then one
        clause per remaining word that is not a stop word."""
        keys = _keys(run)
        clauses: list[Clause] = []
        i = 0
        while i < len(run):
            for length in range(min(self.longest, len(run) - i), 0, -1):
                span = keys[i : i + length]
                if span in self.terms and not all(is_stop_word(w) for w in run[i : i + length]):
                    typed = tuple(run[i : i + length])
                    clause = Clause(typed=" ".join(typed))
                    clause.add(Alternative(typed, EXACT, "query"))
                    for alternative in self.terms_for(typed):
                        clause.add(alternative)
                    if len(clause.alternatives[0].content_words) > 1:
                        # "root causes" also finds "root socioeconomic causes".
                        clause.add(Alternative(typed, WORDS, "words", adjacent=False))
                    clauses.append(clause)
                    i += length
                    break
            else:
                if not is_stop_word(run[i]):
                    clause = Clause(typed=run[i])
                    clause.add(Alternative((run[i],), EXACT, "query"))
                    clauses.append(clause)
                i += 1
        return clauses


def _single_words(plan: SearchPlan) -> list[tuple[Clause, str]]:
    """The clauses that are one typed word outside the thesaurus, with that word."""
    return [
        (clause, clause.alternatives[0].words[0])
        for clause in plan.clauses
        if len(clause.alternatives) == 1 and len(clause.alternatives[0].words) == 1
    ]


def _expand_with_lexicon(plan: SearchPlan, thesaurus: _Thesaurus) -> None:
    """Add each lone word's other forms from the texts' words; read a word the texts lack as
    its closest word (through the thesaurus too), at a correction's credit."""
    singles = _single_words(plan)
    if not singles:
        return
    lexicon = _lexicon_candidates({word for _clause, word in singles})
    known_keys = {key for _word, key in lexicon}
    replacements: dict[str, str] = {}
    for clause, word in singles:
        if word_key(word) in known_keys or word.isdigit():
            _add_forms(clause, word, lexicon)
            continue
        plan.unknown.append(word)
        for candidate, _key in lexicon:
            if len(word) >= 3 and candidate.startswith(word):
                clause.add(Alternative((candidate,), FORM, "form"))  # "cyber": "cyberspace"
        corrections = _corrections(word, lexicon)
        if not corrections:
            continue
        best = corrections[0]
        replacements[word] = best
        # The word as typed stays, for PostgreSQL's stemmer, worth no more than a guess.
        clause.alternatives[0] = Alternative((word,), CORRECTION * SPELLING, "query")
        for alternative in [Alternative((best,), EXACT, "spelling"), *thesaurus.terms_for((best,))]:
            clause.add(Alternative(alternative.words, CORRECTION * alternative.credit, "spelling"))
        _add_forms(clause, best, lexicon, scale=CORRECTION)
        for other in corrections[1:SPELLING_CANDIDATES]:
            clause.add(Alternative((other,), CORRECTION * SPELLING, "spelling"))
    if replacements:
        plan.suggestion = " ".join(
            replacements.get(w.casefold(), w) for w in re.findall(r"[\w'-]+", plan.query)
        )


def _add_forms(
    clause: Clause, word: str, lexicon: list[tuple[str, str]], *, scale: float = 1.0
) -> None:
    key = word_key(word)
    for candidate, candidate_key in lexicon:
        if candidate == word:
            continue
        if candidate_key == key:
            credit = EXACT
        elif _extends(word, candidate):
            credit = DERIVED
        elif _is_other_form(word, candidate):
            credit = FORM
        else:
            continue
        clause.add(Alternative((candidate,), round(credit * scale, 4), "form"))


def _corrections(word: str, lexicon: list[tuple[str, str]]) -> list[str]:
    """The words of the texts a misspelt `word` most likely means, likeliest first: few
    letters apart (Levenshtein), then most alike (pg_trgm's similarity)."""
    most = 1 if len(word) <= 5 else 2 if len(word) <= 9 else 3
    found = []
    for candidate, _key in lexicon:
        similarity = trigram_similarity(word, candidate)
        if similarity < SPELLING_SIMILARITY:
            continue
        distance = edit_distance(word, candidate)
        if distance <= most:
            found.append((distance, -similarity, candidate))
    return [candidate for _distance, _similarity, candidate in sorted(found)]


def _is_other_form(word: str, candidate: str) -> bool:
    """Whether `candidate` is another form of `word`: a long shared beginning ("technology",
    "technological"; "migrants", "migration")."""
    shared = common_prefix_length(word, candidate)
    return shared >= max(5, min(len(word), len(candidate)) - 3)


def _lexicon_candidates(typed: set[str]) -> list[tuple[str, str]]:
    """Words of the texts that may be forms or corrections of the typed words: one query.

    PostgreSQL answers from the lexicon's indexes: the same key, the same first letters, or
    trigram-similar (`%`, pg_trgm's index); SQLite reads the whole lexicon (a few thousand
    words) and leaves the comparison to Python, which applies the same tests to both.
    """
    words_table = SearchWord.objects.order_by()
    if connections[words_table.db].vendor != "postgresql":
        return list(words_table.values_list("word", "key"))
    condition = Q(key__in={word_key(w) for w in typed}) | Q(word__in=typed)
    for word in typed:
        condition |= Q(word__startswith=word[:4]) | Q(word__trigram_similar=word)
    return list(words_table.filter(condition).values_list("word", "key"))


def plan_for_request(request: Any, query: str) -> SearchPlan:
    """`plan_query` once per request and query: the filter that narrows a list and the page
    or serializer that highlights it share one plan (and its two queries)."""
    plans: dict[str, SearchPlan] = request.__dict__.setdefault("_search_plans", {})
    if query not in plans:
        plans[query] = plan_query(query)
    return plans[query]


# --- Matching and ranking --------------------------------------------------------------------


def uses_postgres(queryset: QuerySet[Any]) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _weighted_vector(fields: Fields) -> Any:
    """The fields' full-text vectors, each with its weight, joined (a combined expression)."""
    vector: Any = None
    for name, weight, _share in fields:
        part = SearchVector(name, weight=weight, config=SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    return vector


def recommendation_vector() -> Any:
    """The weighted vector `Recommendation.search_document` stores (the search reads the
    stored column, whose GIN index migration 0008 makes)."""
    return _weighted_vector(RECOMMENDATION_FIELDS)


def filter_recommendations(
    queryset: QuerySet[Recommendation],
    query: str | SearchPlan,
    *,
    language: str | None = None,
    match_any: bool = False,
) -> QuerySet[Recommendation]:
    """`queryset` narrowed to what matches `query`, annotated with `search_score` (coverage)
    and `search_rank` (coverage, then full-text rank; order by it descending).

    The search page, the list page's word filter and the API's `?search=` share this. In a
    language other than English (the active one by default) the recommendations whose
    official text in that language matches are found too (`language_version_matches`),
    ranked as if every word had matched: a reader typing the words of their language's text
    is looking for that text.

    When more than SEARCH_CANDIDATES match some clause and some hold every clause, only
    those are kept (`plan.every_clause_only`), unless `match_any`.
    """
    plan = query if isinstance(query, SearchPlan) else plan_query(query)
    language = language or content_language()
    also = None
    if not plan.is_empty and language in RecommendationText.Language.values:
        also = language_version_matches(plan.query, language, postgres=uses_postgres(queryset))
    ranked = _filter(queryset, plan, RECOMMENDATION_FIELDS, stored="search_document", also=also)
    plan.every_clause_only, plan.match_count = False, None
    if len(plan.clauses) > 1:
        every, some = _match_counts(queryset, plan, also)
        plan.every_clause_only = not match_any and every > 0 and some > SEARCH_CANDIDATES
        if plan.every_clause_only:
            plan.match_count = every
        elif some <= SEARCH_CANDIDATES or every == 0:
            plan.match_count = some
    if plan.every_clause_only:
        ranked = ranked.filter(_every_clause(plan, RECOMMENDATION_FIELDS, also, queryset))
    return ranked


def _every_clause(
    plan: SearchPlan, fields: Fields, also: QuerySet[Any] | None, queryset: QuerySet[Any]
) -> Q:
    """A record holds every clause (some alternative of each), or is found in its language
    version: on PostgreSQL one tsquery AND of ORs on the stored vector (the GIN index)."""
    if uses_postgres(queryset):
        text = " & ".join(
            "(" + " | ".join(_ts_text(a) for a in clause.alternatives) + ")"
            for clause in plan.clauses
        )
        condition = Q(search_document=SearchQuery(text, search_type="raw", config=SEARCH_CONFIG))
    else:
        condition = Q()
        for clause in plan.clauses:
            condition &= _anywhere(clause.alternatives, fields)
    return _or_also(condition, also)


def _match_counts(
    queryset: QuerySet[Any], plan: SearchPlan, also: QuerySet[Any] | None
) -> tuple[int, int]:
    """How many records of `queryset` hold every clause of the plan, and how many hold some:
    exactly when none holds every clause, else counted to SEARCH_CANDIDATES + 1 at most (it
    only decides whether to keep the first set). One query; the count that is not needed is
    not run (a CASE runs one of its subqueries).

    The records holding every clause are counted in full rather than tested with EXISTS:
    PostgreSQL expects the few of them to come early in a sequential scan and reads the whole
    table for them, where a count goes to the index.
    """
    fields = RECOMMENDATION_FIELDS
    some = _filter(queryset, plan, fields, stored="search_document", also=also)
    some = some.order_by().values("pk")
    every_sql, every_params = _compiled(some.filter(_every_clause(plan, fields, also, queryset)))
    capped_sql, capped_params = _compiled(some[: SEARCH_CANDIDATES + 1])
    some_sql, some_params = _compiled(some)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            "SELECT every.n, CASE WHEN every.n > 0"
            f" THEN (SELECT COUNT(*) FROM ({capped_sql}) capped)"
            f" ELSE (SELECT COUNT(*) FROM ({some_sql}) some_) END"
            f" FROM (SELECT COUNT(*) AS n FROM ({every_sql}) every_) every",
            [*capped_params, *some_params, *every_params],
        )
        every, some_count = cursor.fetchone()
    return int(every), int(some_count)


def _compiled(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    return queryset.query.get_compiler(using=queryset.db).as_sql()


# The fields of a language version a search reads, with their weights (as the English ones).
LANGUAGE_VERSION_FIELDS: Fields = (("text", "A", 1.0), ("chapeau", "B", 0.5))
_QUERY_WORD = re.compile(r"\w+")


def language_version_matches(query: str, language: str, *, postgres: bool) -> QuerySet[Any, Any]:
    """The ids of the recommendations whose official text in `language` holds a word of
    `query`, as a subquery (it runs inside the recommendations' own query).

    PostgreSQL reads the stored vector in the language's own configuration (French, Russian
    and Spanish stemming: "passeurs" finds "passeur"); Arabic and Chinese, which the
    "simple" configuration splits on spaces only, are also matched as a substring of the text
    (Chinese has no spaces between words; neither script has case, so a plain LIKE, which
    the trigram index of migration 0010 serves).
    SQLite, the newcomer's database, matches whole words with a plural ending, as the
    English fallback does, and substrings for Arabic and Chinese.
    """
    typed = [w for w in _QUERY_WORD.findall(query) if not w.isdigit()]
    versions = RecommendationText.objects.filter(language=language)
    phrase = " ".join(query.replace('"', " ").split())
    condition = Q()
    if language in TRIGRAM_LANGUAGES and phrase:
        condition |= Q(text__contains=phrase) | Q(chapeau__contains=phrase)
    if typed and postgres:
        raw = " | ".join(typed)
        config = TEXT_SEARCH_CONFIGS[language]
        condition |= Q(search_document=SearchQuery(raw, search_type="raw", config=config))
    elif typed:
        for word in typed:
            if len(word) > 2 and not is_stop_word(word.lower()):
                for name, _weight, _share in LANGUAGE_VERSION_FIELDS:
                    condition |= Q(**{f"{name}__iregex": _word_pattern([word])})
    if not condition:
        return versions.none().values("recommendation_id")
    return versions.filter(condition).values("recommendation_id")


def _filter(
    queryset: QuerySet[Any],
    plan: SearchPlan,
    fields: Fields,
    *,
    stored: str | None = None,
    also: QuerySet[Any] | None = None,
) -> QuerySet[Any]:
    if plan.is_empty:
        if plan.query:
            queryset = queryset.none()
        return queryset.annotate(
            search_score=Value(0.0, output_field=FloatField()),
            search_rank=Value(0.0, output_field=FloatField()),
        )
    if uses_postgres(queryset):
        if stored is None:
            queryset = queryset.annotate(search_document=_weighted_vector(fields))
        return _postgres_filter(queryset, plan, fields, also=also)
    return _fallback_filter(queryset, plan, fields, also=also)


def _or_also(condition: Q, also: QuerySet[Any] | None) -> Q:
    return condition if also is None else condition | Q(pk__in=also)


def _with_also(coverage: Any, plan: SearchPlan, also: QuerySet[Any] | None) -> Any:
    """Coverage, at least that of every clause matched for a record found in its language
    version."""
    if also is None:
        return coverage
    full = float(len(plan.clauses))
    found = Case(When(pk__in=also, then=Value(full)), default=Value(0.0), output_field=FloatField())
    return Greatest(coverage, found)


def _ts_text(alternative: Alternative, weights: str = "") -> str:
    """The alternative in to_tsquery's syntax, its words restricted to `weights` if given.
    Words are letters and digits only (core.text.words), so they need no quoting; stop words
    are dropped by PostgreSQL, which keeps the distance of the words around them."""
    suffix = f":{weights}" if weights else ""
    terms = [f"{w}{suffix}" for w in alternative.words]
    if len(terms) == 1:
        return terms[0]
    return "(" + (" <-> " if alternative.adjacent else " & ").join(terms) + ")"


def _ts_query(alternatives: Iterable[Alternative], weights: str = "") -> SearchQuery:
    text = " | ".join(_ts_text(a, weights) for a in alternatives)
    return SearchQuery(text, search_type="raw", config=SEARCH_CONFIG)


def _graded(clause: Clause, fields: Fields) -> list[tuple[float, list[Alternative], str]]:
    """(credit earned, alternatives, field) for a clause, best first."""
    graded = [
        (credit * share, alternatives, name)
        for credit, alternatives in clause.tiers()
        for name, _weight, share in fields
    ]
    return sorted(graded, key=lambda item: -item[0])


def _postgres_filter(
    queryset: QuerySet[Any], plan: SearchPlan, fields: Fields, *, also: QuerySet[Any] | None = None
) -> QuerySet[Any]:
    weights = {name: weight for name, weight, _share in fields}
    every = [a for clause in plan.clauses for a in clause.alternatives]
    # `search_document @@ query` in the WHERE clause, the form the GIN index answers: one OR
    # of every alternative of every clause.
    queryset = queryset.filter(_or_also(Q(search_document=_ts_query(every)), also))
    for clause in plan.excluded:
        queryset = queryset.exclude(search_document=_ts_query(clause.alternatives))
    coverage = _sum(
        Case(
            *(
                When(
                    search_document=_ts_query(alternatives, weights[name]),
                    then=Value(round(credit, 4)),
                )
                for credit, alternatives, name in _graded(clause, fields)
            ),
            default=Value(0.0),
            output_field=FloatField(),
        )
        for clause in plan.scored_clauses()
    )
    coverage = _with_also(coverage, plan, also)
    # normalization 32 maps the rank into [0, 1): it orders records of equal coverage only.
    rank = SearchRank(F("search_document"), _ts_query(every + plan.hints), normalization=32)
    return queryset.annotate(
        search_score=coverage,
        search_rank=coverage * Value(100.0) + Least(rank, Value(0.999)),
    )


def _sum(expressions: Iterable[Any]) -> Any:
    total: Any = Value(0.0, output_field=FloatField())
    for expression in expressions:
        total = total + expression
    return total


def _word_pattern(words_in_a_row: Sequence[str]) -> str:
    """A regular expression for words in a row, each whole and with an optional plural
    ending, separated by anything that is not a word character."""
    parts = [re.escape(w) + r"(?:s|es)?" for w in words_in_a_row]
    return r"\b" + r"\W+".join(parts) + r"\b"


def _in_field(alternatives: Iterable[Alternative], name: str) -> Q:
    condition = Q()
    for alternative in alternatives:
        if alternative.adjacent:
            condition |= Q(**{f"{name}__iregex": _word_pattern(alternative.words)})
        else:
            every_word = Q()
            for word in alternative.content_words:
                every_word &= Q(**{f"{name}__iregex": _word_pattern([word])})
            condition |= every_word
    return condition


def _anywhere(alternatives: Iterable[Alternative], fields: Fields) -> Q:
    """Some alternative in some field (SQLite's regular expressions)."""
    alternatives = list(alternatives)
    condition = Q()
    for name, _weight, _share in fields:
        condition |= _in_field(alternatives, name)
    return condition


def _fallback_filter(
    queryset: QuerySet[Any],
    plan: SearchPlan,
    fields: Fields,
    *,
    ranked: bool = True,
    also: QuerySet[Any] | None = None,
) -> QuerySet[Any]:
    def anywhere(alternatives: list[Alternative]) -> Q:
        return _anywhere(alternatives, fields)

    every = [a for clause in plan.clauses for a in clause.alternatives]
    queryset = queryset.filter(_or_also(anywhere(every), also))
    for clause in plan.excluded:
        queryset = queryset.exclude(anywhere(clause.alternatives))
    if not ranked:
        return queryset
    coverage = _sum(
        Case(
            *(
                When(_in_field(alternatives, name), then=Value(round(credit, 4)))
                for credit, alternatives, name in _graded(clause, fields)
            ),
            default=Value(0.0),
            output_field=FloatField(),
        )
        for clause in plan.scored_clauses()
    )
    # Where each clause (and hint) is found, weighted as PostgreSQL weighs the fields, folded
    # into [0, 1) as the rank is on PostgreSQL.
    weight = _sum(
        Case(
            When(_in_field(alternatives, name), then=Value(_FALLBACK_WEIGHTS[w])),
            default=Value(0.0),
            output_field=FloatField(),
        )
        for alternatives in [c.alternatives for c in plan.clauses] + [[h] for h in plan.hints]
        for name, w, _share in fields
    )
    coverage = _with_also(coverage, plan, also)
    return queryset.annotate(
        search_score=coverage,
        search_rank=coverage * Value(100.0) + weight / (weight + Value(1.0)),
    )


def _matching(
    queryset: QuerySet[Any], plan: SearchPlan, fields: Fields, *, stored: bool = False
) -> QuerySet[Any]:
    """`queryset` narrowed to what matches the plan, unranked: for counting, and for the
    models ranked in Python (`_ranked_in_python`). `stored`: the model has the vector in its
    `search_document` column."""
    if uses_postgres(queryset):
        every = [a for clause in plan.clauses for a in clause.alternatives]
        if not stored:
            queryset = queryset.annotate(search_document=_weighted_vector(fields))
        queryset = queryset.filter(search_document=_ts_query(every))
        for clause in plan.excluded:
            queryset = queryset.exclude(search_document=_ts_query(clause.alternatives))
        return queryset
    return _fallback_filter(queryset, plan, fields, ranked=False)


@lru_cache(maxsize=2048)
def _tokens(text: str) -> _Tokens:
    # Summaries are long and searched again and again: read each text's words once.
    return _Tokens(text)


class _Tokens:
    """A text's words, to test alternatives against in Python as the databases do: a word
    matches any inflection of itself; a phrase, its words in a row, stop words aside."""

    def __init__(self, text: str) -> None:
        content = [w for w in words(unaccent(text or "")) if not is_stop_word(w)]
        self.words = set(content)
        self.keys = [word_key(w) for w in content]
        self.key_set = set(self.keys)

    def holds(self, alternative: Alternative) -> bool:
        wanted = [word_key(unaccent(w)) for w in alternative.content_words]
        if len(wanted) == 1 or not alternative.adjacent:
            return all(k in self.key_set for k in wanted)
        n = len(wanted)
        return any(self.keys[i : i + n] == wanted for i in range(len(self.keys) - n + 1))


def _ranked(queryset: QuerySet[Any], plan: SearchPlan, fields: Fields, limit: int) -> list[Any]:
    """The best `limit` matches of `queryset` (already narrowed by `_matching`): on
    PostgreSQL graded in SQL on the stored vector, as recommendations are, so that only the
    page is read however many agenda items years of meetings hold; on SQLite in Python."""
    if uses_postgres(queryset):
        graded = _postgres_filter(queryset, plan, fields)
        return list(graded.order_by("-search_rank", "pk")[:limit])
    return _ranked_in_python(queryset, plan, fields, limit)


def _ranked_in_python(
    queryset: QuerySet[Any], plan: SearchPlan, fields: Fields, limit: int
) -> list[Any]:
    """Every match of `queryset`, scored as `filter_recommendations` scores in SQL (coverage,
    then where the clauses are found), best first, at most `limit`.

    For documents and agenda items on SQLite, which has no vectors: reading the matches
    once and testing them here costs one pass over each text.
    """
    items = list(queryset)
    for item in items:
        tokens = {name: _tokens(getattr(item, name) or "") for name, _weight, _share in fields}
        coverage = weight = 0.0
        for clause in plan.scored_clauses():
            coverage += max(
                (
                    credit
                    for credit, alternatives, name in _graded(clause, fields)
                    if any(tokens[name].holds(a) for a in alternatives)
                ),
                default=0.0,
            )
            weight += sum(
                _FALLBACK_WEIGHTS[w]
                for name, w, _share in fields
                if any(tokens[name].holds(a) for a in clause.alternatives)
            )
        item.search_score = round(coverage, 4)
        item.search_rank = item.search_score * 100 + weight / (weight + 1)
    items.sort(key=lambda item: (-item.search_rank, item.pk))
    return items[:limit]


# --- Highlighting ----------------------------------------------------------------------------


def marks_to_html(marked: str) -> SafeString:
    """Escape marked text, then turn the private-use markers into <mark> elements."""
    # Everything but our own markers is escaped first.
    return mark_safe(escape(marked).replace(_START, "<mark>").replace(_STOP, "</mark>"))


class Highlighter:
    """Marks the words of a text that a plan matched (any inflection of them)."""

    def __init__(self, plan: SearchPlan) -> None:
        self.plain, self.keys = plan.marked_words()

    def _matches(self, word: str) -> bool:
        folded = unaccent(word.casefold())
        return folded in self.plain or word_key(folded) in self.keys

    def mark(self, text: str) -> tuple[str, int]:
        count = 0

        def replace(match: re.Match[str]) -> str:
            nonlocal count
            if is_stop_word(match.group(0).casefold()) or not self._matches(match.group(0)):
                return match.group(0)
            count += 1
            return f"{_START}{match.group(0)}{_STOP}"

        return re.sub(r"\w+", replace, text or ""), count

    def html(self, text: str) -> SafeString:
        return marks_to_html(self.mark(text)[0])

    def snippet(self, text: str, *, max_words: int = 45) -> SafeString:
        """The paragraph of `text` with most matches, cut to about `max_words` words around
        its first match."""
        paragraphs = [p for p in re.split(r"\n\s*\n", text or "") if p.strip()] or [""]
        marked = [self.mark(p) for p in paragraphs]
        best, _count = max(marked, key=lambda pair: pair[1])
        tokens = best.split()
        if len(tokens) <= max_words:
            return marks_to_html(best)
        first = next((i for i, t in enumerate(tokens) if _START in t), 0)
        start = max(0, min(first - max_words // 3, len(tokens) - max_words))
        piece = tokens[start : start + max_words]
        # A cut must not leave a mark open.
        text = " ".join(piece)
        if text.count(_START) > text.count(_STOP):
            text += _STOP
        if text.count(_STOP) > text.count(_START):
            text = _START + text
        prefix = "… " if start else ""
        suffix = " …" if start + max_words < len(tokens) else ""
        return marks_to_html(f"{prefix}{text}{suffix}")


def highlight(text: str, query: str) -> SafeString:
    """Every word of `query` (any inflection of it) marked in `text`, without the thesaurus
    or the lexicon: for a text the plan did not search."""
    plan = SearchPlan(query=query, language=TEXT_LANGUAGE)
    for word in words(query):
        clause = Clause(typed=word)
        clause.add(Alternative((word,), EXACT, "query"))
        plan.clauses.append(clause)
    return Highlighter(plan).html(text)


@dataclass
class Matched:
    """Where a record matched, highlighted: `text` always, the other fields when they hold a
    match (they are not always shown), and `matched_in`, the names of the fields that do."""

    text: SafeString
    chapeau: SafeString | None
    section_title: SafeString | None
    matched_in: list[str]

    @property
    def hidden_only(self) -> bool:
        """Matched only in a field a list does not show: the section title."""
        return self.matched_in == ["section_title"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": str(self.text),
            "chapeau": None if self.chapeau is None else str(self.chapeau),
            "section_title": None if self.section_title is None else str(self.section_title),
            "matched_in": self.matched_in,
        }


def recommendation_highlight(recommendation: Recommendation, plan: SearchPlan) -> Matched:
    highlighter = Highlighter(plan)
    matched_in: list[str] = []
    marked: dict[str, SafeString | None] = {}
    for name, _weight, _share in RECOMMENDATION_FIELDS:
        value = getattr(recommendation, name) or ""
        text, count = highlighter.mark(value)
        if count:
            matched_in.append(name)
        marked[name] = marks_to_html(text) if (count or name == "text") else None
    return Matched(
        text=marked["text"] or marks_to_html(recommendation.text),
        chapeau=marked["chapeau"],
        section_title=marked["section_title"],
        matched_in=matched_in,
    )


def highlight_recommendations(recommendations: Iterable[Recommendation], plan: SearchPlan) -> None:
    """Set `highlighted` (the text) and `matched` (a `Matched`) on each recommendation."""
    for recommendation in recommendations:
        matched = recommendation_highlight(recommendation, plan)
        recommendation.highlighted = matched.text  # type: ignore[attr-defined]
        recommendation.matched = matched  # type: ignore[attr-defined]


# --- The search page -------------------------------------------------------------------------


@dataclass
class Facet:
    """One value of a facet: what it narrows to, its label and how many results it holds."""

    value: str
    label: str
    count: int
    selected: bool = False
    # The address that chooses it (or removes it when chosen), set by the page.
    url: str = ""


@dataclass
class SearchFilters:
    """The facets chosen on the search page (each None when not chosen)."""

    meeting: int | None = None
    theme: str | None = None
    status: str | None = None
    kind: str | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in (self.meeting, self.theme, self.status, self.kind))


@dataclass
class SearchResults:
    """What the search page shows: each kind ranked best first, each item carrying
    `search_rank` and `highlighted` (safe HTML with the matching words in <mark>), the
    facets with their counts, and the plan (its suggestion, its unknown words)."""

    query: str
    plan: SearchPlan | None = None
    recommendations: list[Any] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)
    agenda_items: list[Any] = field(default_factory=list)
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    # More recommendations matched than SEARCH_CANDIDATES: the best of them are shown, and
    # the facets count those.
    capped: bool = False

    @property
    def candidates(self) -> int:
        return SEARCH_CANDIDATES

    @property
    def total(self) -> int:
        return len(self.recommendations) + len(self.documents) + len(self.agenda_items)

    @property
    def suggestion(self) -> str | None:
        return self.plan.suggestion if self.plan else None


def search_site(
    query: str,
    *,
    filters: SearchFilters | None = None,
    language: str | None = None,
    limit: int = RESULTS_PER_KIND,
    match_any: bool = False,
) -> SearchResults:
    """Search recommendations, documents and agenda items (a meeting is found by its agenda),
    narrowed by the chosen facets.

    Ten queries whatever the data size (eleven on PostgreSQL): the thesaurus and the lexicon
    (the plan), whether to keep only the recommendations holding every clause
    (`filter_recommendations`), one per kind, the recommendations' themes, and three for the
    facets' counts; on PostgreSQL first the best SEARCH_CANDIDATES recommendations by
    full-text rank, which the rest then ranks, counts and highlights (`results.capped` says
    when more matched). Each kind is capped at `limit` results; the facets count every match
    ranked. `match_any`: the ranked OR even where many match (see the module's docstring).
    """
    filters = filters or SearchFilters()
    plan = plan_query(query, language=language)
    results = SearchResults(query=plan.query, plan=plan)
    if plan.is_empty:
        return results

    recommendations = filter_recommendations(
        Recommendation.objects.select_related("meeting", "agenda_item", "proposer"),
        plan,
        match_any=match_any,
    )
    candidate_ids = None
    if uses_postgres(recommendations):
        recommendations, results.capped, candidate_ids = _best_candidates(recommendations, plan)
    documents = _matching(
        Document.objects.select_related("meeting"), plan, DOCUMENT_FIELDS, stored=True
    )
    agenda_items = _matching(
        AgendaItem.objects.select_related("meeting"), plan, AGENDA_ITEM_FIELDS, stored=True
    )
    results.facets = _facets(recommendations, documents, filters, candidate_ids=candidate_ids)

    if filters.meeting is not None:
        recommendations = recommendations.filter(meeting__ordinal=filters.meeting)
        documents = documents.filter(meeting__ordinal=filters.meeting)
        agenda_items = agenda_items.filter(meeting__ordinal=filters.meeting)
    if filters.theme is not None:
        recommendations = recommendations.filter(themes__slug=filters.theme)
        documents = documents.filter(themes__slug=filters.theme)
        agenda_items = agenda_items.none()
    if filters.status is not None:
        recommendations = recommendations.filter(status=filters.status)
    if filters.kind is not None:
        documents = documents.filter(kind=filters.kind)

    highlighter = Highlighter(plan)
    # Among equals, what was adopted before a draft, and a draft before a proposal.
    authority = Case(
        When(status=Recommendation.Status.ADOPTED, then=Value(0)),
        When(status=Recommendation.Status.DRAFT, then=Value(1)),
        default=Value(2),
    )
    results.recommendations = list(
        with_text_in(recommendations.prefetch_related(themes_as_tags())).order_by(
            "-search_rank", authority, "-meeting__ordinal", "order", "pk"
        )[:limit]
    )
    highlight_recommendations(results.recommendations, plan)

    results.documents = _ranked(documents, plan, DOCUMENT_FIELDS, limit)
    for document in results.documents:
        document.highlighted_title = highlighter.html(document.title)
        document.highlighted = highlighter.snippet(document.summary)

    results.agenda_items = _ranked(agenda_items, plan, AGENDA_ITEM_FIELDS, limit)
    for item in results.agenda_items:
        item.highlighted = highlighter.html(item.title)
    return results


def _best_candidates(
    recommendations: QuerySet[Recommendation], plan: SearchPlan
) -> tuple[QuerySet[Recommendation], bool, list[int]]:
    """`recommendations` narrowed to the SEARCH_CANDIDATES best by full-text rank alone (one
    query on the GIN index, without grading clauses), whether more matched, and their ids."""
    every = [a for clause in plan.clauses for a in clause.alternatives]
    rank = SearchRank(F("search_document"), _ts_query(every), normalization=32)
    best = list(
        recommendations.order_by(rank.desc(), "pk").values_list("pk", flat=True)[
            : SEARCH_CANDIDATES + 1
        ]
    )
    ids = best[:SEARCH_CANDIDATES]
    return recommendations.filter(pk__in=ids), len(best) > SEARCH_CANDIDATES, ids


def _count_of(rows: QuerySet[Any]) -> Coalesce:
    """COUNT(*) of `rows` (correlated with the outer query by an OuterRef) as a subquery."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted), 0)


def _facets(
    recommendations: QuerySet[Recommendation],
    documents: QuerySet[Document],
    filters: SearchFilters,
    *,
    candidate_ids: list[int] | None = None,
) -> dict[str, list[Facet]]:
    """Counts of every match by meeting, theme, status and document kind (three queries).

    Counted before the facets narrow the results, so that every value stays in view with what
    choosing it would show.
    """
    matched_recommendations = recommendations.order_by().values("pk")
    matched_documents = documents.order_by().values("pk")
    by_meeting: dict[int, int] = {}
    by_status: dict[str, int] = {}
    years: dict[int, int] = {}
    for row in (
        recommendations.order_by()
        .values("meeting__ordinal", "meeting__year", "status")
        .annotate(count=Count("pk", distinct=True))
    ):
        ordinal, status = row["meeting__ordinal"], row["status"]
        years[ordinal] = row["meeting__year"]
        by_meeting[ordinal] = by_meeting.get(ordinal, 0) + row["count"]
        by_status[status] = by_status.get(status, 0) + row["count"]
    by_kind: dict[str, int] = {}
    for row in (
        documents.order_by()
        .values("meeting__ordinal", "meeting__year", "kind")
        .annotate(count=Count("pk"))
    ):
        if row["meeting__ordinal"] is not None:
            ordinal = row["meeting__ordinal"]
            years[ordinal] = row["meeting__year"]
            by_meeting[ordinal] = by_meeting.get(ordinal, 0) + row["count"]
        by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["count"]
    # Counted in the link tables on the matches, the themes kept in Python (a WHERE on the
    # counts would count them twice). Where the search took candidates (PostgreSQL), their
    # links are read once, by the (recommendation, theme) index, as one array beside the
    # themes: a count per theme would read every link of a common theme to find them.
    document_links = Document.themes.through.objects.filter(
        theme=OuterRef("pk"), document__in=matched_documents
    )
    themes_counted = Theme.objects.annotate(document_count=_count_of(document_links))
    if candidate_ids is not None:
        themes_of_candidates = (
            Recommendation.themes.through.objects.filter(recommendation_id__in=candidate_ids)
            .order_by()
            .values(ids=Func(F("theme_id"), function="ARRAY_AGG"))
        )
        themes_counted = themes_counted.annotate(candidate_themes=Subquery(themes_of_candidates))
    else:
        recommendation_links = Recommendation.themes.through.objects.filter(
            theme=OuterRef("pk"), recommendation__in=matched_recommendations
        )
        themes_counted = themes_counted.annotate(
            recommendation_count=_count_of(recommendation_links)
        )
    themes: list[Any] = list(themes_counted.order_by("order", "name"))
    if candidate_ids is not None:
        per_theme = Counter(themes[0].candidate_themes or [] if themes else [])
        for theme in themes:
            theme.recommendation_count = per_theme[theme.pk]
    themes = [theme for theme in themes if theme.recommendation_count or theme.document_count]
    return {
        "meeting": [
            Facet(
                str(o),
                _("Meeting %(ordinal)s (%(year)s)") % {"ordinal": o, "year": years[o]},
                n,
                filters.meeting == o,
            )
            for o, n in sorted(by_meeting.items(), reverse=True)
        ],
        "theme": [
            Facet(
                t.slug,
                t.name,
                t.recommendation_count + t.document_count,
                filters.theme == t.slug,
            )
            for t in themes
        ],
        "status": [
            Facet(s, str(label), by_status[s], filters.status == s)
            for s, label in Recommendation.Status.choices
            if s in by_status
        ],
        "kind": [
            Facet(k, str(label), by_kind[k], filters.kind == k)
            for k, label in Document.Kind.choices
            if k in by_kind
        ],
    }
