"""Near-duplicate recommendations by text similarity.

The recommendation page and the report import preview read it through these functions:

`similar_recommendations(recommendation, *, limit: int = 5) -> list[tuple[Recommendation,
float]]`: the recommendations whose text is closest to this one's, within and across
meetings, best first, with a similarity score between 0 and 1. It reads the stored
neighbours (`RecommendationNeighbour`, one query), never a model.

`similar_to_text(text, *, limit=5, exclude=())` does the same for a text not (yet) on record,
as the import preview needs for the recommendations of an uploaded report, and
`similar_to_texts(texts, ...)` for many texts in one go. These fit a model (cached), so they
belong in background work, not in a page.

The method is the standard one: TF-IDF weights of words and word pairs (scikit-learn's
`TfidfVectorizer`, word 1- and 2-grams, sublinear term frequency) and the cosine of the angle
between two texts' vectors. Word pairs make "share information about outbreaks" count for more
than the same words scattered, which is what tells a reworded proposal (United States
proposal 9, 0.74) from a recommendation on the same subject (0.1-0.3). Scores below
`MINIMUM_SCORE` are not reported: at that level texts share only the vocabulary of the field.

Stored neighbours
-----------------
Each recommendation keeps its `NEIGHBOURS_KEPT` closest recommendations (scores at least
`MINIMUM_SCORE`), ranked as the direct computation ranks them: best score first, ties in
primary key order. They are computed when texts change, never during a request:

- `recommendation_neighbours_rebuild()` fits the model once on every text and computes every
  recommendation's neighbours, in blocks of rows whose score matrix stays under
  `BLOCK_CELLS` cells (a few hundred MB whatever the number of recommendations), then replaces
  every row in one short transaction. It costs one sparse product of every text with every
  other: quadratic, half a minute at 25,000 recommendations, about an hour at 250,000
  (docs/similarity.md has the figures), so it is the management command's work and the
  refresh's only for small collections.
- `recommendation_neighbours_refresh(pks, holders=...)` follows changed texts. Up to
  `FULL_REBUILD_UP_TO` recommendations it rebuilds everything (exact). Above, it refits the
  model, recomputes in full the lists of the changed recommendations and of those whose list
  held one of them (a neighbour that changed or was deleted may leave a list, and the one
  that takes its place is unknown), and merges each changed recommendation into every other
  list it now enters (its score beats that list's last one, or the list is short). Scores of
  pairs that did not change are kept as last computed: the model's word weights (IDF) move a
  little with every text, so a stored score may drift from a fresh one in the third decimal;
  the nightly or occasional rebuild re-bases them. The receivers (receivers.py) queue it as
  the Celery task `recommendations.tasks.refresh_neighbours` once the saving transaction
  commits, one task per transaction however many texts it wrote.

Runs are serialised (a PostgreSQL advisory lock) so that an older run cannot overwrite a newer
one's rows.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from django.core.cache import cache
from django.db import transaction

from core.data_versions.services import data_version_bump
from core.locks import advisory_lock

from .models import Recommendation, RecommendationNeighbour
from .similarity_signals import texts_version

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

logger = logging.getLogger(__name__)

# At or above: the texts say the same thing, reworded (flagged as near-duplicates).
NEAR_DUPLICATE_SCORE = 0.5
MINIMUM_SCORE = 0.1
# How many neighbours each recommendation keeps: the most a page may ask for.
NEIGHBOURS_KEPT = 10
# A block of the score matrix (rows x every recommendation) holds at most this many cells: the
# product, its transposed copy and the partition (8 bytes a cell each) stay near 150 MB at any
# size. Larger blocks are slower per row (measured at 25,000: 2,000 rows took twice as long
# a row as 200).
BLOCK_CELLS = 5_000_000
BLOCK_ROWS = 256
# Up to this many recommendations a refresh rebuilds everything (a few seconds, exact).
FULL_REBUILD_UP_TO = 5000
WRITE_BATCH = 5000
# PostgreSQL advisory lock id serialising neighbour runs (any constant shared by all processes).
NEIGHBOURS_LOCK_ID = 0x57_67_4E_62  # "WgNb"

CACHE_SECONDS = 24 * 60 * 60
_CACHE_VERSION = 2


def _vectorizer() -> TfidfVectorizer:
    # Imported where a model is fitted, not with the module: the pages import this module to
    # read the stored neighbours, and scikit-learn with SciPy would cost every web worker and
    # every management command (the URL checks import the views) about a second and 100 MB.
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True)


@dataclass
class _Corpus:
    pks: list[int]
    vectorizer: TfidfVectorizer
    # One L2-normalised TF-IDF row per recommendation, in `pks` order.
    matrix: Any


def _fit() -> _Corpus | None:
    """The model fitted on every recommendation's text (one query), rows in primary key order;
    None when no text has a word."""
    rows = list(Recommendation.objects.order_by("pk").values_list("pk", "text"))
    if not rows:
        return None
    vectorizer = _vectorizer()
    try:
        matrix = vectorizer.fit_transform([text for _, text in rows])
    except ValueError:  # no words at all (texts of punctuation only)
        return None
    return _Corpus(pks=[pk for pk, _ in rows], vectorizer=vectorizer, matrix=matrix.tocsr())


# --- Reading ---------------------------------------------------------------------------------


def similar_recommendations(
    recommendation: Recommendation, *, limit: int = 5
) -> list[tuple[Recommendation, float]]:
    """The recommendations whose text is closest to `recommendation`'s, best first (at most
    `NEIGHBOURS_KEPT`), as last computed: one query, the neighbours with their meeting and
    proposer. Empty until the neighbours are computed, and for an unsaved recommendation."""
    if recommendation.pk is None or limit <= 0:
        return []
    rows = (
        RecommendationNeighbour.objects.filter(recommendation=recommendation)
        .select_related("neighbour__meeting", "neighbour__proposer")
        .order_by("rank")[: min(limit, NEIGHBOURS_KEPT)]
    )
    return [(row.neighbour, round(min(row.score, 1.0), 4)) for row in rows]


def _cached_corpus() -> _Corpus | None:
    key = f"recommendations:similarity:v{_CACHE_VERSION}:{texts_version()}"
    corpus = cache.get(key)
    if corpus is None:
        corpus = _fit()
        if corpus is None:
            return None
        cache.set(key, corpus, CACHE_SECONDS)
    return corpus


def _ranked(
    corpus: _Corpus, vectors: Any, *, limit: int, exclude: Collection[int]
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


def similar_to_texts(
    texts: Sequence[str], *, limit: int = 5, exclude: Collection[int] = ()
) -> list[list[tuple[Recommendation, float]]]:
    """For each text, the recommendations on record closest to it, best first.

    `exclude` names recommendations (by pk) never to return, e.g. the record an import would
    update with this very text. Fits the model on every text when the texts changed since it
    was cached (seconds at scale): for background work such as the import preview.
    """
    if not texts:
        return []
    corpus = _cached_corpus()
    if corpus is None:
        return [[] for _ in texts]
    vectors = corpus.vectorizer.transform(list(texts))
    return _with_records(_ranked(corpus, vectors, limit=limit, exclude=set(exclude)))


def similar_to_text(
    text: str, *, limit: int = 5, exclude: Collection[int] = ()
) -> list[tuple[Recommendation, float]]:
    return similar_to_texts([text], limit=limit, exclude=exclude)[0]


# --- Computing the stored neighbours -----------------------------------------------------------


def _score_blocks(corpus: _Corpus, rows: Sequence[int]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(row indices, their dense scores against every recommendation) in blocks of at most
    BLOCK_CELLS cells; a row's score with itself is -inf.

    The block's rows are made dense (words x rows) and multiplied by the sparse matrix: the
    scores are nearly all non-zero (every text shares "States" or "should" with every other),
    so a sparse result only costs more, about three times more at 25,000 recommendations.
    The sums are the same, in the same order, as the sparse product's.
    """
    matrix = corpus.matrix
    count, words = matrix.shape
    step = max(1, min(BLOCK_ROWS, BLOCK_CELLS // max(count, words, 1)))
    ordered = np.asarray(rows, dtype=np.int64)
    for start in range(0, len(ordered), step):
        block = ordered[start : start + step]
        scores = np.ascontiguousarray((matrix @ matrix[block].T.toarray()).T)
        scores[np.arange(len(block)), block] = -np.inf
        yield block, scores


def _top(block: np.ndarray, scores: np.ndarray) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """For each row of a block: (row, neighbour indices, scores), at most NEIGHBOURS_KEPT at
    least MINIMUM_SCORE, best first, ties in index (primary key) order, as a stable sort of
    the whole row would give."""
    count = scores.shape[1]
    kept = min(NEIGHBOURS_KEPT, count - 1)
    if kept <= 0:
        for row in block:
            yield int(row), np.empty(0, dtype=np.int64), np.empty(0)
        return
    # The kept-th best score of each row; every cell at or above it (ties included) is a
    # candidate, then sorted exactly.
    kth = np.partition(scores, count - kept, axis=1)[:, count - kept]
    floor = np.maximum(kth, MINIMUM_SCORE)
    rows, columns = np.nonzero(scores >= floor[:, None])
    values = scores[rows, columns]
    order = np.lexsort((columns, -values, rows))
    rows, columns, values = rows[order], columns[order], values[order]
    bounds = np.searchsorted(rows, np.arange(len(block) + 1))
    for i, row in enumerate(block):
        start = bounds[i]
        end = min(bounds[i + 1], start + kept)
        yield int(row), columns[start:end], values[start:end]


def _serialised() -> contextlib.AbstractContextManager[None]:
    """One neighbours run at a time across workers (on PostgreSQL)."""
    return advisory_lock(NEIGHBOURS_LOCK_ID, name="neighbours")


Lists = dict[int, list[tuple[int, float]]]


def _lists(corpus: _Corpus, rows: Sequence[int]) -> Lists:
    """Neighbour lists (recommendation pk -> [(neighbour pk, score)], best first) of `rows`."""
    pks = corpus.pks
    found: Lists = {}
    for block, scores in _score_blocks(corpus, rows):
        for row, columns, values in _top(block, scores):
            found[pks[row]] = [(pks[c], float(v)) for c, v in zip(columns, values, strict=True)]
    return found


def _write(lists: Lists, *, replace_all: bool) -> int:
    """Replace the rows of the recommendations in `lists` (every row, with `replace_all`) in
    one transaction; returns how many rows were written."""

    def new_rows() -> Iterator[RecommendationNeighbour]:
        for pk, found in lists.items():
            for rank, (neighbour, score) in enumerate(found, start=1):
                yield RecommendationNeighbour(
                    recommendation_id=pk, neighbour_id=neighbour, score=score, rank=rank
                )

    written = 0
    with transaction.atomic():
        if replace_all:
            RecommendationNeighbour.objects.all().delete()
        else:
            pks = list(lists)
            for start in range(0, len(pks), 1000):
                RecommendationNeighbour.objects.filter(
                    recommendation_id__in=pks[start : start + 1000]
                ).delete()
        batch: list[RecommendationNeighbour] = []
        for row in new_rows():
            batch.append(row)
            if len(batch) == WRITE_BATCH:
                RecommendationNeighbour.objects.bulk_create(batch)
                written += len(batch)
                batch = []
        if batch:
            RecommendationNeighbour.objects.bulk_create(batch)
            written += len(batch)
        # Bulk writes send no signal: the similar recommendations a page shows are
        # published data, and what is kept under the versions must see them change.
        data_version_bump(name=Recommendation._meta.app_label)
    return written


def _rebuild(corpus: _Corpus | None) -> int:
    lists = _lists(corpus, range(len(corpus.pks))) if corpus is not None else {}
    return _write(lists, replace_all=True)


def recommendation_neighbours_rebuild() -> int:
    """Compute every recommendation's neighbours afresh and replace every stored row (one
    transaction); returns how many rows are stored. Quadratic in the number of
    recommendations, memory bounded (see the module's docstring)."""
    with _serialised():
        return _rebuild(_fit())


def recommendation_neighbours_refresh(pks: Iterable[int], *, holders: Iterable[int] = ()) -> int:
    """Bring the stored neighbours up to date after the texts of `pks` changed (saved, added
    or deleted); `holders` are recommendations whose lists held a deleted one (their rows to
    it are gone with it). Returns how many rows were written. See the module's docstring for
    what is recomputed; safe to run twice."""
    changed_pks = sorted(set(pks))
    with _serialised():
        corpus = _fit()
        if corpus is None or len(corpus.pks) <= FULL_REBUILD_UP_TO:
            return _rebuild(corpus)
        index = {pk: i for i, pk in enumerate(corpus.pks)}
        held = set(holders)
        for start in range(0, len(changed_pks), 1000):
            held.update(
                RecommendationNeighbour.objects.filter(
                    neighbour_id__in=changed_pks[start : start + 1000]
                ).values_list("recommendation_id", flat=True)
            )
        changed = sorted(index[pk] for pk in changed_pks if pk in index)
        recompute = sorted({index[pk] for pk in held if pk in index} - set(changed))
        lists = _lists(corpus, recompute)
        # Each changed text's scores with every other: its own list, and the lists it enters
        # (as (entered list, newcomer, score) index arrays).
        entering: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for block, scores in _score_blocks(corpus, changed):
            for row, columns, values in _top(block, scores):
                lists[corpus.pks[row]] = [
                    (corpus.pks[c], float(v)) for c, v in zip(columns, values, strict=True)
                ]
            rows, columns = np.nonzero(scores >= MINIMUM_SCORE)
            entering.append((columns, block[rows], scores[rows, columns]))
        recomputed = np.asarray([index[pk] for pk in lists], dtype=np.int64)
        lists.update(_merged(corpus, entering, recomputed))
        return _write(lists, replace_all=False)


def _merged(
    corpus: _Corpus,
    entering: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    recomputed: np.ndarray,
) -> Lists:
    """The lists that the changed recommendations enter, merged. `entering` holds, by index,
    (list, newcomer, score) for every pair scoring at least MINIMUM_SCORE; lists already
    recomputed are left out. Only the lists that are short or whose last score a newcomer
    reaches are read and rewritten."""
    if not entering:
        return {}
    targets = np.concatenate([e[0] for e in entering])
    newcomers = np.concatenate([e[1] for e in entering])
    values = np.concatenate([e[2] for e in entering])
    keep = ~np.isin(targets, recomputed)
    targets, newcomers, values = targets[keep], newcomers[keep], values[keep]
    if not len(targets):
        return {}
    index = {pk: i for i, pk in enumerate(corpus.pks)}
    # The score a newcomer must reach: the list's last when it is full, else the minimum.
    last = np.full(len(corpus.pks), MINIMUM_SCORE)
    for pk, score in RecommendationNeighbour.objects.filter(rank=NEIGHBOURS_KEPT).values_list(
        "recommendation_id", "score"
    ):
        if pk in index:
            last[index[pk]] = score
    reaching = values >= last[targets]
    targets, newcomers, values = targets[reaching], newcomers[reaching], values[reaching]
    affected = sorted({corpus.pks[t] for t in np.unique(targets)})
    stored: Lists = {pk: [] for pk in affected}
    for start in range(0, len(affected), 1000):
        for pk, neighbour, score in RecommendationNeighbour.objects.filter(
            recommendation_id__in=affected[start : start + 1000]
        ).values_list("recommendation_id", "neighbour_id", "score"):
            stored[pk].append((neighbour, score))
    for target, newcomer, value in zip(targets, newcomers, values, strict=True):
        stored[corpus.pks[target]].append((corpus.pks[newcomer], float(value)))
    # Best first, primary key order breaking ties, as in a full rebuild.
    return {
        pk: sorted(found, key=lambda pair: (-pair[1], pair[0]))[:NEIGHBOURS_KEPT]
        for pk, found in stored.items()
    }
