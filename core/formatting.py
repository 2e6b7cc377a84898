"""Numbers as the reader's language writes them: percentages through Babel (the CLDR rules),
so "16 %" in French and "16%" in English, never a mix of the two on one page.

Dates are not here: templates use Django's `date` filter with the localized formats
(DATE_FORMAT, DATETIME_FORMAT), which already follow the active language.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_percent as babel_format_percent
from django.conf import settings
from django.utils.translation import get_language, to_locale


def _babel_locale(language: str | None) -> Locale:
    code = to_locale(language or get_language() or settings.LANGUAGE_CODE)
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(to_locale(settings.LANGUAGE_CODE))


def format_percent(share: float | Decimal | int, *, language: str | None = None) -> str:
    """`share` (a fraction: 0.16 for 16 percent) in whole percent, written the way the active
    language (or `language`) writes percentages."""
    return babel_format_percent(share, locale=_babel_locale(language))


def share_of(part: int, whole: int) -> float:
    """`part / whole` to four decimals, rounded half away from zero on the exact fraction
    (0 when `whole` is 0): the rule PostgreSQL's `round(numeric, 4)` follows, so figures
    counted in Python and in SQL agree to the last digit."""
    if not whole:
        return 0.0
    return float((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP))
