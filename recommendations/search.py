"""Full-text search across recommendations, documents (background papers) and meetings.

On PostgreSQL this is the database's own full-text search: weighted `tsvector`s (a
recommendation's text weighs more than its chapeau, which weighs more than its section title),
`websearch_to_tsquery` (so "quoted phrases", `or` and `-word` work as people expect),
`SearchRank` for the order and `SearchHeadline` for the highlighted words. The recommendations'
vector is indexed (GIN, migration 0002_search_index): the expression there must stay identical
to `recommendation_vector()` or PostgreSQL stops using the index.

SQLite (the newcomer's database) has none of this, so the fallback matches every word of the
query with `icontains`, ranks by where the words occur (a phrase match first), and highlights
in Python. It is simpler, not stemmed, but it answers the same questions.

Highlighting never trusts the stored text as HTML: the database marks matches with two
private-use characters, the text is escaped, and only then are the markers turned into <mark>.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connections
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.text import query_words
from meetings.models import AgendaItem, Document

from .models import Recommendation

SEARCH_CONFIG = "english"
# Private-use code points: never in the documents, untouched by escape().
_START, _STOP = "\ue000", "\ue001"
RESULTS_PER_KIND = 50

# Fields searched, most telling first, with their PostgreSQL weights.
RECOMMENDATION_FIELDS = (("text", "A"), ("chapeau", "B"), ("section_title", "C"))
DOCUMENT_FIELDS = (("title", "A"), ("summary", "B"))
AGENDA_ITEM_FIELDS = (("title", "A"),)


def _weighted_vector(fields: tuple[tuple[str, str], ...]) -> SearchVector:
    vector = None
    for name, weight in fields:
        part = SearchVector(name, weight=weight, config=SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    return vector


def recommendation_vector() -> SearchVector:
    """The weighted vector the GIN index of migration 0002 is built on (keep them identical)."""
    return _weighted_vector(RECOMMENDATION_FIELDS)


def uses_postgres(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def filter_recommendations(queryset: QuerySet[Recommendation], query: str) -> QuerySet:
    """`queryset` narrowed to what matches `query`, annotated with `search_rank`.

    The list page's "words" filter and the search page share this, so both find the same
    recommendations.
    """
    return _filter(queryset, query, RECOMMENDATION_FIELDS, vector=recommendation_vector())


def _filter(queryset, query, fields, *, vector=None):
    query = query.strip()
    if not query:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if uses_postgres(queryset):
        vector = vector or _weighted_vector(fields)
        ts_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        # Filtering on the annotated vector puts `vector @@ query` in the WHERE clause, the
        # form the GIN index answers.
        return (
            queryset.annotate(search_vector=vector)
            .filter(search_vector=ts_query)
            .annotate(search_rank=SearchRank(F("search_vector"), ts_query))
        )
    return _fallback_filter(queryset, query, fields)


def _fallback_filter(queryset, query, fields):
    words = query_words(query)
    if not words:
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    weights = {"A": 1.0, "B": 0.4, "C": 0.2}
    condition = Q()
    rank = Value(0.0, output_field=FloatField())
    for word in words:
        condition &= _any_field(fields, word)
        for name, weight in fields:
            rank = rank + Case(
                When(**{f"{name}__icontains": word}, then=Value(weights[weight])),
                default=Value(0.0),
                output_field=FloatField(),
            )
    # The whole query as typed, found in the main field: what a person most likely wants.
    first_field = fields[0][0]
    rank = rank + Case(
        When(**{f"{first_field}__icontains": query}, then=Value(10.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return queryset.filter(condition).annotate(search_rank=rank)


def _any_field(fields, word: str) -> Q:
    condition = Q()
    for name, _weight in fields:
        condition |= Q(**{f"{name}__icontains": word})
    return condition


def _headline(queryset, query: str, field_name: str, *, highlight_all: bool):
    """Annotates `headline` on PostgreSQL; the fallback highlights in Python (see below)."""
    if not uses_postgres(queryset):
        return queryset
    ts_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    options = {"start_sel": _START, "stop_sel": _STOP, "config": SEARCH_CONFIG}
    if highlight_all:
        options["highlight_all"] = True
    else:
        options.update(max_words=40, min_words=15, max_fragments=2, fragment_delimiter=" … ")
    return queryset.annotate(headline=SearchHeadline(field_name, ts_query, **options))


def marks_to_html(marked: str) -> SafeString:
    """Escape marked text, then turn the private-use markers into <mark> elements."""
    # Everything but our own markers is escaped first.
    return mark_safe(escape(marked).replace(_START, "<mark>").replace(_STOP, "</mark>"))


def highlight(text: str, query: str) -> SafeString:
    """The fallback highlighter: every occurrence of a query word, case-insensitive, marked."""
    words = sorted(query_words(query), key=len, reverse=True)
    if not words or not text:
        return escape(text or "")
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    return marks_to_html(pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", text))


def _highlighted(item, field_name: str, query: str) -> SafeString:
    headline = getattr(item, "headline", None)
    if headline is not None:
        return marks_to_html(headline)
    return highlight(getattr(item, field_name), query)


@dataclass
class SearchResults:
    """What the search page shows: each kind ranked best first, each item carrying
    `search_rank` and `highlighted` (safe HTML with the matching words in <mark>)."""

    query: str
    recommendations: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    agenda_items: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.recommendations) + len(self.documents) + len(self.agenda_items)


def search_site(query: str, *, limit: int = RESULTS_PER_KIND) -> SearchResults:
    """Search recommendations, documents and agenda items (a meeting is found by its agenda).

    Three queries (one per kind) plus one for the recommendations' themes, whatever the data
    size; each kind is capped at `limit` results.
    """
    query = query.strip()
    results = SearchResults(query=query)
    if not query:
        return results

    recommendations = filter_recommendations(
        Recommendation.objects.select_related("meeting", "agenda_item", "proposer"), query
    ).prefetch_related("themes")
    recommendations = _headline(recommendations, query, "text", highlight_all=True)
    results.recommendations = _ranked(recommendations, limit, query, "text")

    documents = _filter(Document.objects.select_related("meeting"), query, DOCUMENT_FIELDS)
    summaries = _headline(documents, query, "summary", highlight_all=False)
    results.documents = _ranked(summaries, limit, query, "summary")
    for document in results.documents:
        # Titles are short: highlighting them in Python costs no query on either database.
        document.highlighted_title = highlight(document.title, query)

    agenda_items = _filter(AgendaItem.objects.select_related("meeting"), query, AGENDA_ITEM_FIELDS)
    agenda_items = _headline(agenda_items, query, "title", highlight_all=True)
    results.agenda_items = _ranked(agenda_items, limit, query, "title")
    return results


def _ranked(queryset, limit: int, query: str, field_name: str) -> list:
    items = list(queryset.order_by("-search_rank", "pk")[:limit])
    for item in items:
        item.highlighted = _highlighted(item, field_name, query)
    return items
