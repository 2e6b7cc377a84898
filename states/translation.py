"""The fields of the States' reference data kept in the six UN languages
(django-modeltranslation; see docs/languages-content.md). States' names are not here: they
come from CLDR and the UN's short names (states/names.py), not from the Secretariat's typing."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from .models import RegionalGroup


@register(RegionalGroup)
class RegionalGroupTranslationOptions(TranslationOptions):
    fields = ("name",)
    # Blank is NULL, "not translated": it reads as English, and never clashes with another
    # record's blank under the unique constraint the English name has.
    empty_values = None
