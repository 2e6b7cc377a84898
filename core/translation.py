"""Reading the fields kept in several languages (django-modeltranslation, see
docs/languages-content.md) without guessing at column names in every app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from modeltranslation.utils import build_localized_fieldname
from modeltranslation.utils import get_language as _translated_fields_language


def content_language() -> str:
    """The active language as the translated fields know it: one of
    MODELTRANSLATION_LANGUAGES (a variant such as "fr-ch" reads as "fr"), else English."""
    return _translated_fields_language()


def translated_values(obj: models.Model, field: str) -> list[Any]:
    """The values a translated field holds in each language, English first, the empty ones
    left out (for looking a record up by any of its names)."""
    found: list[Any] = []
    for language in settings.MODELTRANSLATION_LANGUAGES:
        value = getattr(obj, build_localized_fieldname(field, language), None)
        if value and value not in found:
            found.append(value)
    return found


def value_in(obj: models.Model, field: str, language: str) -> Any:
    """The field's value in `language` itself, without falling back to English (None when
    it is not translated)."""
    return getattr(obj, build_localized_fieldname(field, language), None) or None
