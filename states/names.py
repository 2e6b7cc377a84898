"""States' names in the six UN languages.

The English name is the State's UN name (`State.name`, from the UN's own roster). In the other
languages a name comes from the UN's short name where the data holds one
(`data/state_names_un.csv`, each row with its source), else from the Unicode Common Locale Data
Repository (CLDR, through Babel), which names every territory in every UN language but not
always as the UN does ("Turquie" for Türkiye, "Territoires palestiniens" for the State of
Palestine). Names are read from files shipped with the code, once per process, so showing a
name costs no query.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import babel
import icu  # type: ignore[import-untyped]  # the package ships no types
from django.conf import settings

from core.translation import content_language

UN_NAMES_FILE = "state_names_un.csv"


def _babel_locale(language: str) -> babel.Locale:
    # Django's "zh-hans" is CLDR's "zh_Hans".
    return babel.Locale.parse(language.replace("-", "_"), sep="_")


@lru_cache(maxsize=1)
def un_short_names() -> dict[tuple[str, str], str]:
    """(State code, language) -> the UN short name, from the data file."""
    path = settings.WGSOM_DATA_DIR / UN_NAMES_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row["code"], row["language"]): row["name"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=8)
def _territories(language: str) -> dict[str, str]:
    return dict(_babel_locale(language).territories)


def state_name(*, code: str, iso2: str | None, name: str, language: str) -> str:
    """The name of the State with `code` (alpha-2 `iso2`, UN name `name`) in `language`:
    the UN name in English, else the UN short name the data gives, else CLDR's, else the
    UN name."""
    if language == "en":
        return name
    found = un_short_names().get((code, language))
    if found:
        return found
    if iso2:
        try:
            return _territories(language).get(iso2) or name
        except (babel.UnknownLocaleError, ValueError):
            return name
    return name


def state_name_active(*, code: str, iso2: str | None, name: str) -> str:
    """`state_name` in the active language (English for a language content is not kept in)."""
    return state_name(code=code, iso2=iso2, name=name, language=content_language())


def fold(text: str) -> str:
    """`text` without case or accents ("Côte d'Ivoire" -> "cote d'ivoire"): what a search or a
    sort compares when no collation is at hand."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=8)
def name_sort_key(language: str) -> Callable[[str], Any]:
    """A key that sorts names as readers of `language` expect: ICU's collation for the
    language (Django's "zh-hans" is ICU's "zh_Hans", by pinyin)."""
    collator = icu.Collator.createInstance(icu.Locale(language.replace("-", "_")))
    return collator.getSortKey
