"""The fields of meetings kept in the six UN languages (django-modeltranslation; see
docs/languages-content.md): the titles of agenda items and documents, which the UN issues in
every official language."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, Document


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title",)
    # Blank is NULL, "not translated": it reads as English.
    empty_values = None


@register(Document)
class DocumentTranslationOptions(TranslationOptions):
    fields = ("title",)
    # Blank is NULL, "not translated": it reads as English.
    empty_values = None
