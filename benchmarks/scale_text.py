"""Texts for the scale data generator (benchmarks/scale_data.py), built from the real ones.

The recommendations' texts are cut into their parts (the phrase saying what to do, and the
clauses hung on it: ", including ...", ", in particular ...") and recombined, so generated
texts use the real vocabulary and read as recommendations do, with lengths that vary as theirs
do. Everything is drawn from the `random.Random` it is given: the same seed, the same texts.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# The subject and verb a recommendation opens with, removed to leave what it asks for.
_OPENING = re.compile(
    r"^(?:In the context of [^,]+, )?"
    r"(?:The )?(?:States?(?: [Pp]arties)?|State parties|Secretariat|UNODC)"
    r"(?:, [^,]+,)? "
    r"(?:should|are encouraged to|may consider|may wish to consider|shall)(?: consider)? "
)

_OPENINGS = {
    ("states_parties", "should"): ("States parties should",),
    ("states_parties", "encouraged"): (
        "States parties are encouraged to",
        "States parties are strongly encouraged to",
    ),
    ("states_parties", "may_consider"): (
        "States parties may consider measures to",
        "States parties may wish to consider how to",
    ),
    ("states", "should"): ("States should", "States, supported by UNODC upon request, should"),
    ("states", "encouraged"): ("States are encouraged to",),
    ("states", "may_consider"): ("States may consider ways to",),
    ("secretariat", "should"): ("UNODC should", "The Secretariat should continue to"),
    ("secretariat", "encouraged"): ("UNODC is encouraged to",),
    ("secretariat", "may_consider"): ("UNODC may consider ways to",),
}

_LEGAL = (
    ", in accordance with article {n} of the Organized Crime Convention",
    ", consistent with article {n} of the Smuggling of Migrants Protocol",
    ", as provided for in article {n} of the Protocol and domestic law",
)

_SECTION_PREFIXES = (
    "Recommendations on",
    "Recommendations regarding",
    "Recommendations concerning",
)

_AGENDA_TOPICS = (
    "Good practices in {a}, including {b}",
    "{A} and {b}",
    "Challenges in {a} and ways to address them, including {b}",
    "Successful strategies concerning {a}, in particular {b}",
    "International cooperation on {a}, with a focus on {b}",
)

_REPORT_OPENINGS = (
    "Measures taken to {head}{tail}.",
    "The competent authorities took steps to {head}{tail}.",
    "A national action plan adopted in {year} commits the Government to {head}.",
    "In {year}, an inter-agency working group was set up to {head}{tail}.",
    "Legislation adopted in {year} provides the legal basis to {head}.",
    "The Government reported efforts to {head}{tail}.",
)

_REPORT_SENTENCES = (
    "Training was delivered to {n} officials of the border police and the prosecution service.",
    "The authorities reported {n} investigations and {m} prosecutions of smuggling cases in "
    "{year}.",
    "A draft law is before parliament and is expected to be adopted in {next_year}.",
    "Guidelines for front-line officers were issued in {year} and are reviewed each year.",
    "A memorandum of understanding on information-sharing was signed with {k} neighbouring States.",
    "Data on smuggled migrants are now collected by a central authority and published yearly.",
    "Awareness-raising campaigns reached an estimated {n} people in countries of origin.",
    "A specialised unit of {k} prosecutors handles cases of aggravated smuggling.",
    "Cooperation with civil society organizations provides assistance to smuggled migrants.",
    "The measures cover the whole territory; regional offices report every six months.",
    "Further information is available in the State's response to the questionnaire.",
    "Resources remain limited; technical assistance from UNODC has been requested.",
)

_REVIEW_COMMENTS = (
    "Please add the date the measure was adopted and a link to the text.",
    "The description does not say which authority is responsible; please add it.",
    "Please say what period the figures cover.",
    "The status does not match the description (a draft law is in progress); please check.",
    "Please attach or link the evidence cited.",
)


_CONNECTIVES = frozenset(
    (
        "including", "in", "as", "and", "with", "through", "such", "where", "while", "taking",
        "by", "at", "for", "to", "on", "consistent", "particularly", "notably", "especially",
        "inter", "which", "upon",
    )
)  # fmt: skip
_NOT_VERBS = frozenset(("in", "with", "and", "as", "such", "including", "consistent", "the", "a"))


@dataclass
class TextParts:
    """The parts the texts are recombined from, read once from the real texts."""

    heads: list[str] = field(default_factory=list)
    clauses: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    section_titles: list[str] = field(default_factory=list)
    agenda_titles: list[str] = field(default_factory=list)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def text_parts(
    *,
    texts: Iterable[str],
    topics: Iterable[str],
    section_titles: Iterable[str] = (),
    agenda_titles: Iterable[str] = (),
) -> TextParts:
    """Cut the real recommendations' `texts` into heads and clauses; `topics` (the themes' key
    topics) name what agenda items and section titles are about."""
    parts = TextParts()
    for raw in texts:
        # Whitespace runs become one space and backslashes go: the generator writes COPY's text
        # format, in which a tab, a line break or a backslash would need escaping.
        text = " ".join(raw.replace("\\", " ").split()).rstrip(".;: ")
        if not text:
            continue
        match = re.match(r"^(In the context of [^,]+), ", text)
        if match:
            parts.prefixes.append(match.group(1))
        body = _lower_first(_OPENING.sub("", text))
        pieces = [p.strip() for p in body.split(", ") if p.strip()]
        if not pieces:
            continue
        # A head says what to do ("enhance cooperation at the regional level"): a short piece
        # is what a comma cut from its verb ("consider"), not a head.
        if len(pieces[0].split()) >= 4 and pieces[0].split()[0].lower() not in _NOT_VERBS:
            parts.heads.append(pieces[0])
        # A clause hangs on a head by its first word ("including ...", "in particular ...");
        # a piece cut from the middle of a phrase does not.
        parts.clauses.extend(
            p for p in pieces[1:] if len(p.split()) >= 3 and p.split()[0].lower() in _CONNECTIVES
        )
    parts.topics = sorted({t.strip() for t in topics if t.strip()})
    parts.section_titles = sorted({t for t in section_titles if t})
    parts.agenda_titles = sorted({t for t in agenda_titles if t})
    if not parts.heads:
        raise ValueError("no recommendation text to build from: load the WGSOM data first")
    if not parts.clauses:
        parts.clauses = ["including through international cooperation"]
    if not parts.topics:
        parts.topics = ["smuggling of migrants", "international cooperation"]
    if not parts.prefixes:
        parts.prefixes = ["In the context of crises"]
    return parts


class TextMaker:
    """Draws texts from `parts` with `rng`."""

    def __init__(self, parts: TextParts, rng: random.Random) -> None:
        self.parts = parts
        self.rng = rng

    def _tail(self, most: int) -> str:
        rng = self.rng
        rnd = rng.random
        span = most + 1
        count = min(int(rnd() * span), int(rnd() * span))  # short tails more often
        clauses = self.parts.clauses
        return "".join([", " + clauses[int(rnd() * len(clauses))] for _ in range(count)])

    def recommendation(
        self, *, addressee: str, strength: str, article: int | None, lettered: bool
    ) -> str:
        """One recommendation's text: a sentence, or for a lettered item the phrase its
        chapeau ("States parties should:") introduces."""
        rng = self.rng
        head = rng.choice(self.parts.heads)
        tail = self._tail(4)
        legal = rng.choice(_LEGAL).format(n=article) if article else ""
        if lettered:
            return head[:1].upper() + head[1:] + tail + legal + ";"
        opening = rng.choice(_OPENINGS[(addressee, strength)])
        if rng.random() < 0.12:
            opening = rng.choice(self.parts.prefixes) + ", " + _lower_first(opening)
        return f"{opening} {head}{tail}{legal}."

    def agenda_title(self) -> str:
        rng = self.rng
        if self.parts.agenda_titles and rng.random() < 0.2:
            return rng.choice(self.parts.agenda_titles)
        a, b = rng.sample(self.parts.topics, 2) if len(self.parts.topics) > 1 else ("x", "y")
        template = rng.choice(_AGENDA_TOPICS)
        return template.format(a=_lower_first(a), b=_lower_first(b), A=a[:1].upper() + a[1:])

    def section_title(self, agenda_title: str) -> str:
        if self.parts.section_titles and self.rng.random() < 0.1:
            return self.rng.choice(self.parts.section_titles)
        return f"{self.rng.choice(_SECTION_PREFIXES)} {_lower_first(agenda_title)}"

    def report_description(self, *, year: int) -> str:
        """What a State says it did: empty now and then, else one to five sentences."""
        # rng.random() scaled rather than randint or choice: this runs for every report.
        rnd = self.rng.random
        if rnd() < 0.06:
            return ""
        heads = self.parts.heads
        first = _REPORT_OPENINGS[int(rnd() * len(_REPORT_OPENINGS))].format(
            head=heads[int(rnd() * len(heads))], tail=self._tail(2), year=year
        )
        sentences = [first]
        for _ in range(min(int(rnd() * 5), int(rnd() * 5))):
            sentences.append(
                _REPORT_SENTENCES[int(rnd() * len(_REPORT_SENTENCES))].format(
                    n=12 + int(rnd() * 2388),
                    m=1 + int(rnd() * 300),
                    k=2 + int(rnd() * 8),
                    year=year,
                    next_year=year + 1,
                )
            )
        return " ".join(sentences)

    def review_comment(self) -> str:
        return self.rng.choice(_REVIEW_COMMENTS)


def weighted_orders(
    rng: random.Random, items: Sequence[int], weights: Sequence[float], count: int
) -> list[list[int]]:
    """`count` orders of `items`, each drawn without replacement by weight
    (Efraimidis-Spirakis keys): a prefix of one is a weighted sample of any length."""
    orders = []
    for _ in range(count):
        keyed = sorted(
            ((rng.random() ** (1.0 / w), item) for item, w in zip(items, weights, strict=True)),
            reverse=True,
        )
        orders.append([item for _key, item in keyed])
    return orders
