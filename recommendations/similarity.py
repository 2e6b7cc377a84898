"""Near-duplicate recommendations by text similarity.

INTERFACE (implemented by the report import work, issue 7; the recommendation page reads it):

`similar_recommendations(recommendation, *, limit: int = 5) -> list[tuple[Recommendation,
float]]`: the recommendations whose text is closest to this one's, within and across
meetings, best first, with a similarity score between 0 and 1.
"""

from __future__ import annotations


def similar_recommendations(recommendation, *, limit: int = 5) -> list:
    return []
