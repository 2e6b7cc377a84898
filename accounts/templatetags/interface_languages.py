"""The language switcher's list: each interface language named in itself.

Django's `get_available_languages` tag passes the names of settings.LANGUAGES through gettext,
so "English" would read "الإنجليزية" on an Arabic page; a reader looks for their own language's
name, whatever the page's language, hence this tag.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils.translation import get_language_info

register = template.Library()


@dataclass(frozen=True)
class InterfaceLanguage:
    code: str
    name: str
    bidi: bool

    @property
    def direction(self) -> str:
        return "rtl" if self.bidi else "ltr"


@register.simple_tag
def interface_languages() -> list[InterfaceLanguage]:
    """settings.LANGUAGES in their order, with the names as written there (untranslated)."""
    return [
        InterfaceLanguage(code=code, name=name, bidi=get_language_info(code)["bidi"])
        for code, name in settings.LANGUAGES
    ]
