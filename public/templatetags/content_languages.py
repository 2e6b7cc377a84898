"""Telling readers (and screen readers) which language a piece of content is in.

A translated field falls back to English where it is not translated, and a recommendation's
text to its English text where the official text is not recorded: the `lang` attribute must
say so, or a screen reader reads English with the voice of the page's language.
"""

from __future__ import annotations

from django import template
from django.db import models
from django.utils.translation import get_language_info

from core.translation import content_language, value_in

register = template.Library()


@register.filter
def value_language(obj: models.Model, field: str) -> str:
    """The language `obj.<field>` is shown in: the active one when translated, else "en"."""
    language = content_language()
    if language == "en" or value_in(obj, field, language):
        return language
    return "en"


@register.filter
def language_dir(language: str) -> str:
    """ "rtl" for a language written right to left (Arabic), else "ltr"."""
    try:
        return "rtl" if get_language_info(language)["bidi"] else "ltr"
    except KeyError:
        return "ltr"
