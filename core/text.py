"""Text helpers shared by the search of every app."""

from __future__ import annotations

import re


def query_words(query: str) -> list[str]:
    """The words of a query, lower-cased, without duplicates (the fallback matches each)."""
    seen: dict[str, None] = {}
    for word in re.findall(r"\w+", query.casefold()):
        seen.setdefault(word, None)
    return list(seen)
