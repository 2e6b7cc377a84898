"""The token that names the recommendation texts on record, for the similarity model's cache.

Kept apart from similarity.py, which computes with scikit-learn: the receivers (receivers.py,
imported by every process when the apps are ready) only need to say that texts changed, and
that should not cost every process the import of scikit-learn and SciPy.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache

# A token that names the texts on record: changed when a committed transaction changes a text
# (receivers.py), so that the cached model of `similarity.similar_to_texts` is refitted. Cheap
# to read, unlike counting every recommendation.
TEXTS_VERSION_KEY = "recommendations:similarity:texts-version"


def texts_version() -> str:
    """The token naming the texts on record (see TEXTS_VERSION_KEY); a new one when none is
    cached, so that a cache that lost it cannot serve an older model."""
    token = cache.get(TEXTS_VERSION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(TEXTS_VERSION_KEY, token, None):
            token = cache.get(TEXTS_VERSION_KEY) or token
    return str(token)


def texts_changed() -> None:
    """Say that texts on record changed: the next `similarity.similar_to_texts` refits its
    model. Called once a transaction that changed texts commits (receivers.py)."""
    cache.set(TEXTS_VERSION_KEY, uuid.uuid4().hex, None)
