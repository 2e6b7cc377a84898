"""Reading the recommendations of a report's version in another UN language.

The English report is read in full by `parse_report`: meeting, agenda, attendance,
statements and recommendations, by the English words of its headings ("Recommendation 13",
"Working Group on ...", "the following agenda:"). A language version of the same report
only has to give the official text of each recommendation already on record, so only that is
read here: the layout in which each recommendation has its own numbered heading
("Recommandation 13", "Recomendación 13", "Рекомендация 13", "التوصية 13", "建议13"), the
numbering the English report uses, which the import matches label by label. Page furniture,
footnotes and hyphenation are removed by the same cleaning as the English report's.

Reports whose recommendations are lettered items under a chapeau, or numbered paragraphs of a
chapter, are refused with that reason: their language versions are recorded in the admin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cleaning import clean
from .limits import DEFAULT_LIMITS, Limits, time_budget
from .readers import PAGE_BREAK, read_pages
from .types import ReportParseError

# The heading of one recommendation, in each language the import reads: the word, then the
# number the English report gives it.
HEADINGS = {
    "fr": r"Recommandation",
    "es": r"Recomendaci[oó]n",
    "ru": r"Рекомендация",
    "ar": r"التوصية",
    "zh-hans": r"建议",
}
_WORDS = {
    "fr": "Recommandation",
    "es": "Recomendación",
    "ru": "Рекомендация",
    "ar": "التوصية",
    "zh-hans": "建议",
}
# What ends the text of the last recommendation of a section: a chapter (roman numeral, or
# an Arabic or Chinese ordinal), a section (a letter, Latin or Cyrillic, or an Arabic letter
# name) or an annex.
_PART = re.compile(
    r"^(?:[IVX]{1,4}\.\s|[A-Z\u0410-\u042f]\.\s|[一二三四五六七八九十]+、|"
    r"(?:أولا|ثانيا|ثالثا|رابعا|خامسا|سادسا|ألف|باء|جيم|دال|هاء)\s*[-\u2013]|"
    r"Annex|Annexe|Anexo|Приложение)"
)


@dataclass(frozen=True)
class LanguageRecommendation:
    label: str
    text: str
    where: str


@dataclass
class LanguageVersion:
    """The recommendations read from a report's version in `language`."""

    language: str
    symbol: str
    recommendations: list[LanguageRecommendation] = field(default_factory=list)


def parse_language_version(
    data: bytes, *, filename: str, language: str, limits: Limits = DEFAULT_LIMITS
) -> LanguageVersion:
    """The recommendations of the language version in `data`, by the number of their
    heading; ReportParseError (where and why) for a file that cannot be read, a language
    not supported, or a report without such headings."""
    if language not in HEADINGS:
        raise ReportParseError(
            f"reports in {language!r} cannot be read: the import reads "
            + ", ".join(sorted(HEADINGS))
        )
    heading = re.compile(rf"^{HEADINGS[language]}\s*(\d{{1,3}})\s*[.:\uff1a]?$", re.IGNORECASE)
    with time_budget(limits.seconds):
        fmt, pages = read_pages(data, filename=filename, limits=limits)
        cleaned = clean(pages, fmt=fmt)
    version = LanguageVersion(language=language, symbol=cleaned.symbol)
    label = where = ""
    parts: list[str] = []

    def close() -> None:
        if not label:
            return
        text = "".join(parts).strip()
        if not text:
            raise ReportParseError(f"recommendation {label} has no text", where=where)
        version.recommendations.append(LanguageRecommendation(label, " ".join(text.split()), where))

    for line in cleaned.lines:
        text = line.text.strip()
        if not text or text == PAGE_BREAK:
            continue
        found = heading.match(text)
        if found:
            close()
            label, where, parts = found.group(1), line.where, []
            continue
        if label and _PART.match(text):
            close()
            label, parts = "", []
            continue
        if label:
            # A line continuing a hyphenated word is glued on; CJK text has no spaces.
            glued = line.glue or language == "zh-hans"
            parts.append(text if glued else text + " ")
    close()
    if not version.recommendations:
        raise ReportParseError(
            f"found no recommendation headings ('{_WORDS[language]} N' alone on a line): "
            "only language versions whose recommendations have numbered headings can be "
            "imported; record the others in the admin"
        )
    labels = [recommendation.label for recommendation in version.recommendations]
    repeated = sorted({label for label in labels if labels.count(label) > 1}, key=int)
    if repeated:
        raise ReportParseError(f"recommendation {repeated[0]} appears more than once")
    return version
