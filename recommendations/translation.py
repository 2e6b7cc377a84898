"""The fields of recommendations' reference data kept in the six UN languages
(django-modeltranslation: one column per language, English the original; see
docs/languages-content.md). A recommendation's own text is not here: each language version
is a `RecommendationText`, with the official document it comes from."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from .models import Theme


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("name", "key_topics")
    # Blank is NULL, "not translated": it reads as English, and never clashes with another
    # record's blank under the unique constraint the English name has.
    empty_values = None
