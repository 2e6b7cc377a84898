"""Text helpers shared by the search of every app: words, stop words, word keys, trigrams.

Pure Python, no database: the search builds the same plan from a query on PostgreSQL and on
SQLite with these, so both databases understand a query's words alike.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")


def _word_list(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that say nothing about what is wanted. The English list is PostgreSQL's `english`
# text search configuration's (Snowball's), so a word dropped here is a word PostgreSQL drops
# too; the French one is Snowball's as well; the last line holds the filler words of
# questions typed into a search box.
ENGLISH_STOP_WORDS = _word_list(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against
    between into through during before after above below to from up down in out on off over
    under again further then once here there when where why how all any both each few more
    most other some such no nor not only own same so than too very s t can will just don
    should now
    """
)
FRENCH_STOP_WORDS = _word_list(
    """
    au aux avec ce ces dans de des du elle en et eux il je la le les leur lui ma mais me même
    mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi
    ton tu un une vos votre vous c d j l à m n s t y été étée étées étés étant suis es est
    sommes êtes sont serai seras sera serons serez seront serais serait serions seriez
    seraient étais était étions étiez étaient fus fut fûmes fûtes furent sois soit soyons
    soyez soient fusse fusses fût fussions fussiez fussent ayant eu eue eues eus ai as avons
    avez ont aurai auras aura aurons aurez auront aurais aurait aurions auriez auraient avais
    avait avions aviez avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient eusse
    eusses eût eussions eussiez eussent ceci cela celà cet cette ici ils les leurs quel quels
    quelle quelles sans soi
    """
)
QUESTION_WORDS = _word_list(
    """
    would could may might must shall please tell find show give list regarding concerning
    deal deals dealing comment quoi quels quelles quelle quel est-ce
    """
)
STOP_WORDS = ENGLISH_STOP_WORDS | FRENCH_STOP_WORDS | QUESTION_WORDS


def query_words(query: str) -> list[str]:
    """The words of a query, lower-cased, without duplicates (the fallback matches each)."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(query.casefold()):
        seen.setdefault(word, None)
    return list(seen)


def words(text: str) -> list[str]:
    """Every word of `text`, lower-cased, in order (duplicates kept)."""
    return _WORD.findall(text.casefold())


@lru_cache(maxsize=65536)
def unaccent(text: str) -> str:
    """`text` without its accents ("équipes" -> "equipes"), as PostgreSQL's unaccent does."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_stop_word(word: str) -> bool:
    return word in STOP_WORDS or len(word) < 2


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """A key shared by the inflected forms of a word: lower case, no accents, no plural or
    verb ending ("teams" and "team", "crises" and "crisis", "smuggled" and "smuggling",
    "équipes" and "équipe" share a key).

    Deliberately light: inflections only, never derivation ("smuggler" and "smuggling" keep
    their own keys, the thesaurus relates those), so two words with one key always mean the
    same thing. English and French rules both apply: a query's language is not always the
    interface's.
    """
    key = unaccent(word.casefold())
    if len(key) <= 3 or not key.isalpha():
        return key
    for suffix, replacement, keep in (
        ("ies", "y", 3),  # countries
        ("aux", "al", 4),  # internationaux
        ("ises", "is", 3),  # crises -> crisis (below, -is drops: crisis -> cris)
        ("sses", "ss", 3),  # processes
        ("xes", "x", 3),
        ("ches", "ch", 3),
        ("shes", "sh", 3),
        ("ing", "", 4),  # smuggling -> smuggl
        ("ed", "", 4),  # smuggled -> smuggl
        ("s", "", 3),  # teams, migrants, équipes
    ):
        if key.endswith(suffix) and len(key) - len(suffix) >= keep:
            if suffix == "s" and key.endswith(("ss", "us", "is")):
                break
            key = key[: len(key) - len(suffix)] + replacement
            break
    if key.endswith("is") and len(key) > 4:
        key = key[:-2]  # crisis, analysis: the Greek plural's stem
    elif key.endswith("e") and len(key) > 4:
        key = key[:-1]  # équipe, enquête, crime: with and without the mute e
    if len(key) > 4 and key[-1] == key[-2] and key[-1] not in "aeiousl":
        key = key[:-1]  # planned -> plan, committed -> commit
    return key


def _trigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for word in re.findall(r"[^\W_]+", text.casefold()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's `similarity(a, b)`: shared trigrams over all trigrams of both words, each
    word padded with two spaces in front and one behind. The SQLite fallback uses it where
    PostgreSQL uses its own, so both rank close words alike."""
    first, second = _trigrams(a), _trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def common_prefix_length(a: str, b: str) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: the fewest letters inserted, deleted or replaced to make `b`
    from `a` ("prosecuters" is one from "prosecutors", two from "prosecute")."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]
