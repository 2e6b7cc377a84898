"""Near-duplicate recommendations by text similarity.

The recommendation page and the report import preview read it through these functions:

`similar_recommendations(recommendation, *, limit: int = 5) -> list[tuple[Recommendation,
float]]`: the recommendations whose text is closest to this one's, within and across
meetings, best first, with a similarity score between 0 and 1.

`similar_to_text(text, *, limit=5, exclude=())` does the same for a text not (yet) on record,
as the import preview needs for the recommendations of an uploaded report, and
`similar_to_texts(texts, ...)` for many texts in one go.

The method is the standard one: TF-IDF weights of words and word pairs (scikit-learn's
`TfidfVectorizer`, word 1- and 2-grams, sublinear term frequency) and the cosine of the angle
between two texts' vectors. Word pairs make "share information about outbreaks" count for more
than the same words scattered, which is what tells a reworded proposal (United States
proposal 9, 0.74) from a recommendation on the same subject (0.1-0.3). Scores below
`MINIMUM_SCORE` are not reported: at that level texts share only the vocabulary of the field.

The model is fitted on all recommendations at once (one query) and cached, keyed on the
number of recommendations and the latest `updated_at`, so that any save, addition or deletion
refits it and a page costs two queries: the cache key and the matched records. (A bulk
`QuerySet.update()` does not touch `updated_at`; the cache expires after a day anyway.)
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max
from sklearn.feature_extraction.text import TfidfVectorizer

from .models import Recommendation

# At or above: the texts say the same thing, reworded (flagged as near-duplicates).
NEAR_DUPLICATE_SCORE = 0.5
MINIMUM_SCORE = 0.1
CACHE_SECONDS = 24 * 60 * 60
_CACHE_VERSION = 1


@dataclass
class _Corpus:
    pks: list[int]
    vectorizer: TfidfVectorizer
    # One L2-normalised TF-IDF row per recommendation, in `pks` order.
    matrix: object


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True)


def _corpus() -> _Corpus | None:
    figures = Recommendation.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    if not figures["count"]:
        return None
    latest = figures["latest"].isoformat() if figures["latest"] else ""
    key = f"recommendations:similarity:v{_CACHE_VERSION}:{figures['count']}:{latest}"
    corpus = cache.get(key)
    if corpus is None:
        rows = list(Recommendation.objects.order_by("pk").values_list("pk", "text"))
        vectorizer = _vectorizer()
        try:
            matrix = vectorizer.fit_transform([text for _, text in rows])
        except ValueError:  # no words at all (texts of punctuation only)
            return None
        corpus = _Corpus(pks=[pk for pk, _ in rows], vectorizer=vectorizer, matrix=matrix)
        cache.set(key, corpus, CACHE_SECONDS)
    return corpus


def _ranked(
    corpus: _Corpus, vectors, *, limit: int, exclude: Collection[int]
) -> list[list[tuple[int, float]]]:
    scores = (vectors @ corpus.matrix.T).toarray()
    ranked = []
    for row in scores:
        order = np.argsort(-row, kind="stable")
        found: list[tuple[int, float]] = []
        for index in order:
            score = float(row[index])
            if score < MINIMUM_SCORE or len(found) == limit:
                break
            pk = corpus.pks[index]
            if pk not in exclude:
                found.append((pk, round(min(score, 1.0), 4)))
        ranked.append(found)
    return ranked


def _with_records(
    ranked: list[list[tuple[int, float]]],
) -> list[list[tuple[Recommendation, float]]]:
    pks = {pk for found in ranked for pk, _ in found}
    if not pks:
        return [[] for _ in ranked]
    records = Recommendation.objects.select_related("meeting", "proposer").in_bulk(pks)
    return [[(records[pk], score) for pk, score in found if pk in records] for found in ranked]


def similar_recommendations(
    recommendation: Recommendation, *, limit: int = 5
) -> list[tuple[Recommendation, float]]:
    """The recommendations whose text is closest to `recommendation`'s, best first."""
    corpus = _corpus()
    if corpus is None:
        return []
    try:
        index = corpus.pks.index(recommendation.pk)
        vector = corpus.matrix[index]
    except ValueError:  # not on record (unsaved): compare its text
        vector = corpus.vectorizer.transform([recommendation.text])
    exclude = {recommendation.pk} if recommendation.pk else set()
    return _with_records(_ranked(corpus, vector, limit=limit, exclude=exclude))[0]


def similar_to_texts(
    texts: Sequence[str], *, limit: int = 5, exclude: Collection[int] = ()
) -> list[list[tuple[Recommendation, float]]]:
    """For each text, the recommendations on record closest to it, best first.

    `exclude` names recommendations (by pk) never to return, e.g. the record an import would
    update with this very text.
    """
    if not texts:
        return []
    corpus = _corpus()
    if corpus is None:
        return [[] for _ in texts]
    vectors = corpus.vectorizer.transform(list(texts))
    return _with_records(_ranked(corpus, vectors, limit=limit, exclude=set(exclude)))


def similar_to_text(
    text: str, *, limit: int = 5, exclude: Collection[int] = ()
) -> list[tuple[Recommendation, float]]:
    return similar_to_texts([text], limit=limit, exclude=exclude)[0]
