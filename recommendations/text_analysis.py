"""Reading a recommendation's text: who it is addressed to, how firm it is, what it cites, themes.

Pure functions over strings (no models, no database), so that the rules are written down once,
are testable on every recommendation in `data/`, and are applied the same way by the loader and
by anyone who re-derives a value. Each function raises `ValueError` when the text does not say
what it is asked for, rather than guessing: a recommendation the rules cannot read is a
recommendation staff must look at, not one to file under a default.

The vocabulary matches `recommendations.models`:

- addressee: "states_parties" | "states" | "secretariat"
- strength: "should" (firm) | "encouraged" (encouraging) | "may_consider" (permissive)
- legal reference: {"instrument": "convention" | "protocol", "article": int | None,
  "paragraph": str | None}
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

ADDRESSEE_STATES_PARTIES = "states_parties"
ADDRESSEE_STATES = "states"
ADDRESSEE_SECRETARIAT = "secretariat"

STRENGTH_SHOULD = "should"
STRENGTH_ENCOURAGED = "encouraged"
STRENGTH_MAY_CONSIDER = "may_consider"

CONVENTION = "convention"
PROTOCOL = "protocol"

# --- The main clause: SUBJECT [qualifier] [, parenthetical,] MODAL ------------------------------
#
# A recommendation is one sentence whose main clause is "<addressee> <modal> <verb> ...",
# possibly after an introductory phrase ("In the context of a pandemic, States parties should")
# and with a qualifier or a parenthetical between subject and modal ("States, supported by
# international organizations when requested, should"). Looking for the subject *together with*
# its modal is what tells the addressee from a mere mention of States further on ("Encourage all
# States to submit cases": States is an object there, not a subject).

_SUBJECTS = (
    # Order matters: "States parties" before "States".
    (ADDRESSEE_STATES_PARTIES, r"States?\s+Parties"),
    (ADDRESSEE_STATES, r"(?<!United\s)States"),
    (
        ADDRESSEE_SECRETARIAT,
        r"(?:the\s+)?(?:Secretariat|UNODC|United\s+Nations\s+Office\s+on\s+Drugs\s+and\s+Crime)",
    ),
)
_SUBJECT = "|".join(f"(?P<{key}>\\b{pattern}\\b)" for key, pattern in _SUBJECTS)
_ANY_SUBJECT = "|".join(pattern for _, pattern in _SUBJECTS)

_ADVERB = r"(?:also|further|therefore|strongly|again|equally|continue\s+to\s+be)\s+"
_MODALS = (
    # "should consider" is firm: the modal is "should", "consider" is what they should do.
    (STRENGTH_SHOULD, r"should\b"),
    (STRENGTH_ENCOURAGED, rf"(?:are|is)\s+(?:{_ADVERB})*encouraged\s+to\b"),
    # "may" in the main clause is permissive: "may consider", "may wish to consider", "may ...".
    (STRENGTH_MAY_CONSIDER, r"may\b"),
)
_MODAL = "|".join(f"(?P<{key}>{pattern})" for key, pattern in _MODALS)

# Between subject and modal: a qualifier without commas ("States parties to the Protocol",
# "States parties that have not yet done so") and/or a parenthetical between commas that names
# no other addressee ("States, supported by international organizations when requested,").
_QUALIFIER = r"(?:\s+(?:that|which|who|to|of|in|concerned)\b[^,.;:]*?)?"
_PARENTHETICAL = rf"(?:\s*,(?:(?!{_ANY_SUBJECT})[^.;:])*?,)?"

_MAIN_CLAUSE = re.compile(
    rf"(?:{_SUBJECT}){_QUALIFIER}{_PARENTHETICAL}\s+(?:{_ADVERB})*(?:{_MODAL})",
    re.IGNORECASE,
)


def _main_clause(text: str, chapeau: str) -> re.Match[str] | None:
    """The first "addressee ... modal" in the sentence made of the chapeau and the text.

    A lettered item ("(d) Consider deploying prosecutors ...") continues its chapeau ("States
    Parties should:"), so the two are read as one sentence, chapeau first.
    """
    sentence = f"{chapeau} {text}" if chapeau else text
    return _MAIN_CLAUSE.search(sentence)


def _refuse(what: str, text: str, chapeau: str) -> ValueError:
    shown = f"{chapeau} {text}" if chapeau else text
    if len(shown) > 120:
        shown = shown[:117] + "..."
    return ValueError(
        f"No {what} found: expected a subject ('States parties', 'States', 'the Secretariat' or "
        f"'UNODC') followed by 'should', 'are encouraged to' or 'may consider' in {shown!r}"
    )


def detect_addressee(text: str, chapeau: str = "") -> str:
    """Who the recommendation is addressed to: the subject of its main clause.

    Returns "states_parties" ("States parties", "States Parties", "State parties"), "states"
    ("States, supported by international organizations when requested, should ...") or
    "secretariat" ("the Secretariat", "UNODC"). For an item of a lettered list the subject is in
    the chapeau ("States Parties should:"), passed as `chapeau`.

    The subject is only taken where a modal follows it (see `detect_strength`), because a State
    named elsewhere in the sentence is not the addressee. Raises ValueError when the text has no
    such clause, so that an unreadable text is looked at rather than filed under a default.
    """
    match = _main_clause(text, chapeau)
    if match is None:
        raise _refuse("addressee", text, chapeau)
    for key, _ in _SUBJECTS:
        if match.group(key):
            return key
    raise AssertionError("unreachable: the main clause always has a subject")  # pragma: no cover


def detect_strength(text: str, chapeau: str = "") -> str:
    """How firm the recommendation is: the modal of its main clause.

    Returns "should" (firm; "should consider" is still "should"), "encouraged" ("are encouraged
    to", including "are encouraged to consider") or "may_consider" (permissive: "may consider",
    "may wish to consider"). Only the first modal bound to the addressee counts: "States parties
    should encourage ..." is firm, and "This should include ..." in a second sentence does not
    change the first. For an item of a lettered list the modal is in the chapeau.

    Raises ValueError when no addressee is followed by one of these modals.
    """
    match = _main_clause(text, chapeau)
    if match is None:
        raise _refuse("modal of the main clause", text, chapeau)
    for key, _ in _MODALS:
        if match.group(key):
            return key
    raise AssertionError("unreachable: the main clause always has a modal")  # pragma: no cover


# --- Legal references ---------------------------------------------------------------------------
#
# Only the two instruments the Working Group works under: the Organized Crime Convention and its
# Smuggling of Migrants Protocol. Other conventions and protocols (the Law of the Sea, the
# Trafficking in Persons Protocol) are deliberately not matched.

_CONVENTION_NAMED = (
    r"(?:United\s+Nations\s+)?Convention\s+against\s+Transnational\s+Organized\s+Crime"
    r"|Organized\s+Crime\s+Convention|UNTOC|Palermo\s+Convention"
)
_PROTOCOL_NAMED = (
    r"Protocol\s+against\s+the\s+Smuggling\s+of\s+Migrants\s+by\s+Land,\s+Sea,?\s+and\s+Air"
    r"(?:,\s+supplementing\s+the\s+United\s+Nations\s+Convention\s+against\s+Transnational"
    r"\s+Organized\s+Crime)?"
    r"|(?:Smuggling\s+of\s+Migrants|Migrant\s+Smuggling)\s+Protocol"
)
# "the Convention" / "the Protocol" as a defined term, but not another convention or protocol.
_CONVENTION_SHORT = r"Convention(?!\s+(?:on|relating|against|for|concerning|of)\b)"
_PROTOCOL_SHORT = r"Protocol(?!s)(?!\s+(?:to|against\s+the\s+Illicit|on|relating)\b)"

# After "article N of the", short names are matched in any case ("Article 10 of the protocol").
_INSTRUMENT_AFTER_ARTICLE = (
    rf"(?P<protocol>{_PROTOCOL_NAMED}|{_PROTOCOL_SHORT})\b"
    rf"|(?P<convention>{_CONVENTION_NAMED}|{_CONVENTION_SHORT})\b"
)
_ARTICLE_WORD = r"(?:articles?|arts?\.)"
_PARAGRAPH_WORD = r"(?:paragraphs?|paras?\.)"
_ARTICLE_TOKEN = (
    rf"(?:\s+|,|\d+|\([a-z]{{1,4}}\)|\band\b|\b{_PARAGRAPH_WORD}|\b{_ARTICLE_WORD}|"
    rf"\bsubparagraphs?\b)"
)
_ARTICLE_REFERENCE = re.compile(
    rf"\b{_ARTICLE_WORD}\s*(?P<body>\d+{_ARTICLE_TOKEN}*?)\s*,?\s+of\s+(?:the\s+)?"
    rf"(?:{_INSTRUMENT_AFTER_ARTICLE})",
    re.IGNORECASE,
)
# A mention without an article: the full names in any case, the short names only capitalised
# and after "the" ("Consistent with the Protocol"), as defined terms are written.
_BARE_REFERENCE = re.compile(
    rf"(?P<protocol>(?i:{_PROTOCOL_NAMED})\b|(?<=\b[Tt]he\s){_PROTOCOL_SHORT}\b)"
    rf"|(?P<convention>(?i:{_CONVENTION_NAMED})\b|(?<=\b[Tt]he\s){_CONVENTION_SHORT}\b)"
)
_BODY_TOKEN = re.compile(
    rf"(?P<article>{_ARTICLE_WORD})|(?P<paragraph>{_PARAGRAPH_WORD}|subparagraphs?)"
    r"|(?P<number>\d+)|(?P<letter>\([a-z]{1,4}\))",
    re.IGNORECASE,
)


def _parse_article_body(body: str, instrument: str) -> list[dict[str, Any]]:
    """Split "27, paragraph 1 (e), and article 28, paragraph 2" into one entry per provision."""
    found: list[dict[str, Any]] = [{"instrument": instrument, "article": None, "paragraph": None}]
    mode = "article"
    for token in _BODY_TOKEN.finditer("article " + body):
        if token.group("article"):
            mode = "article"
        elif token.group("paragraph"):
            mode = "paragraph"
        elif token.group("number"):
            last = found[-1]
            if mode == "article":
                if last["article"] is None:
                    last["article"] = int(token.group("number"))
                else:
                    found.append(
                        {
                            "instrument": instrument,
                            "article": int(token.group("number")),
                            "paragraph": None,
                        }
                    )
            elif last["paragraph"] is None:
                last["paragraph"] = token.group("number")
            else:  # "paragraphs 1 and 2": a second paragraph of the same article
                found.append({**last, "paragraph": token.group("number")})
        else:  # a letter: "paragraph 1 (e)", "paragraph (a)", "article 3 (a)"
            last = found[-1]
            letter = token.group("letter").lower()
            last["paragraph"] = f"{last['paragraph']} {letter}" if last["paragraph"] else letter
    return found


def detect_legal_references(text: str) -> list[dict[str, Any]]:
    """The provisions of the Convention and the Protocol the text cites, in order, each once.

    Each entry is {"instrument": "convention" | "protocol", "article": int | None,
    "paragraph": str | None}:

    - "article 19 of the United Nations Convention against Transnational Organized Crime"
      -> convention, 19, None;
    - "article 27, paragraph 1 (e), and article 28, paragraph 2, of the Organized Crime
      Convention" -> convention 27 "1 (e)", convention 28 "2";
    - "Article 10 of the protocol" -> protocol, 10;
    - a mention without an article ("Consistent with the Protocol", "including through UNTOC",
      "In accordance with the Smuggling of Migrants Protocol") -> article None.

    The Convention is "the United Nations Convention against Transnational Organized Crime",
    "the Organized Crime Convention", "UNTOC" or "the Convention"; the Protocol is "the
    Protocol against the Smuggling of Migrants by Land, Sea and Air" (its "supplementing ..."
    tail is part of its title, not a reference to the Convention), "the Smuggling of Migrants
    Protocol" or "the Protocol". A bare mention of an instrument is dropped when the text cites
    an article of that same instrument, since it says nothing the article does not.
    """
    positioned: list[tuple[int, dict[str, Any]]] = []
    covered: list[tuple[int, int]] = []
    for match in _ARTICLE_REFERENCE.finditer(text):
        instrument = PROTOCOL if match.group("protocol") else CONVENTION
        for reference in _parse_article_body(match.group("body"), instrument):
            positioned.append((match.start(), reference))
        covered.append(match.span())
    for match in _BARE_REFERENCE.finditer(text):
        if any(start <= match.start() < end for start, end in covered):
            continue
        instrument = PROTOCOL if match.group("protocol") else CONVENTION
        positioned.append(
            (match.start(), {"instrument": instrument, "article": None, "paragraph": None})
        )
    positioned.sort(key=lambda item: item[0])
    with_articles = {ref["instrument"] for _, ref in positioned if ref["article"] is not None}
    references: list[dict[str, Any]] = []
    for _, reference in positioned:
        if reference["article"] is None and reference["instrument"] in with_articles:
            continue
        if reference not in references:
            references.append(reference)
    return references


# --- Themes -------------------------------------------------------------------------------------


def load_theme_rules(path: str | Path) -> dict[str, list[str]]:
    """Read the written theme rule: a YAML mapping of theme slug -> list of lowercase terms.

    See data/theme_rules.yaml and data/THEME_RULE.md for the rule itself. The file is checked
    here, so that a typo fails the load with the file's name rather than tagging silently wrong:
    every slug maps to a non-empty list of non-empty, lowercase, distinct strings. Raises
    ValueError for a malformed file (FileNotFoundError, as usual, for a missing one).
    """
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        try:
            data = yaml.safe_load(handle)
        except yaml.YAMLError as exc:
            raise ValueError(
                f"{path.name}: not valid YAML ({' '.join(str(exc).split())})"
            ) from None
    if not isinstance(data, Mapping) or not data:
        raise ValueError(f"{path.name}: expected a mapping of theme slug -> list of terms")
    rules: dict[str, list[str]] = {}
    for slug, terms in data.items():
        if not isinstance(slug, str) or not isinstance(terms, list) or not terms:
            raise ValueError(f"{path.name}: theme {slug!r} needs a non-empty list of terms")
        for term in terms:
            if not isinstance(term, str) or not term.strip() or term != term.strip().lower():
                raise ValueError(
                    f"{path.name}: theme {slug!r}: {term!r} is not a trimmed lowercase term"
                )
        if len(set(terms)) != len(terms):
            raise ValueError(f"{path.name}: theme {slug!r} lists a term twice")
        rules[slug] = list(terms)
    return rules


@functools.lru_cache(maxsize=2048)
def _term_pattern(term: str) -> re.Pattern[str]:
    """A term matched as whole words, any case; a space or hyphen in it matches either.

    "information-sharing" matches "information sharing", "data collection" matches
    "data-collection". Whole words: "sea" would not match "research", "media" not "immediate".
    """
    words = [re.escape(word) for word in re.split(r"[\s-]+", term.strip()) if word]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(words) + r"(?!\w)", re.IGNORECASE)


def matching_terms(
    *, text: str, section_title: str, rules: Mapping[str, list[str]]
) -> dict[str, list[str]]:
    """For each theme, the terms of the rule found in the text or its section title.

    Themes none of whose terms occur are left out. Useful to explain a tag ("why is this
    technology?") as well as to compute it.
    """
    haystack = f"{text}\n{section_title}"
    found: dict[str, list[str]] = {}
    for slug, terms in rules.items():
        hits = [term for term in terms if _term_pattern(term).search(haystack)]
        if hits:
            found[slug] = hits
    return found


def themes_for(*, text: str, section_title: str, rules: Mapping[str, list[str]]) -> list[str]:
    """The theme slugs of a recommendation under the written rule, in the rule file's order.

    A theme applies when any of its terms occurs, as whole words and in any case, in the
    recommendation's text or in the title of the section it was adopted under (the section
    title says what the Working Group was discussing: a recommendation adopted under "the use
    of technology" is a technology recommendation). Raises ValueError when no theme applies:
    every recommendation belongs to at least one theme, so that means the rule needs a term.
    """
    slugs = list(matching_terms(text=text, section_title=section_title, rules=rules))
    if not slugs:
        shown = text if len(text) <= 120 else text[:117] + "..."
        raise ValueError(f"No theme rule matches {shown!r}: add a term to data/theme_rules.yaml")
    return slugs
